"""Interrupt and robustness on a second JDK (25, where Thread.stop no longer exists).

Runs against the kernelspec named by RNNLAB_KERNEL_NAME_JDK25 (kernel/scripts/test-kernel.sh installs one
when /usr/lib/jvm/temurin-25-jdk-amd64 exists); skipped when that variable is empty.
"""
import shutil
import tempfile
import time
import unittest

from kernel_helpers import MARKUP, KERNEL_NAME_JDK25, execute, has_jdk_sources, inspect, make_maven_repo, start, stop


@unittest.skipUnless(KERNEL_NAME_JDK25, "no JDK 25 kernelspec installed (RNNLAB_KERNEL_NAME_JDK25 unset)")
class Jdk25KernelTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="rnnlab-kernel-jdk25-")
        cls.km, cls.kc = start(KERNEL_NAME_JDK25)

    @classmethod
    def tearDownClass(cls):
        stop(cls.km, cls.kc)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_runs_on_jdk_25(self):
        r = execute(self.kc, 'System.getProperty("java.specification.version")')
        self.assertEqual(r.data()["text/plain"], "25")

    def test_interrupt_stops_tight_loop_and_keeps_state(self):
        self.assertEqual(execute(self.kc, "int kept25 = 5;").status, "ok")
        started = time.monotonic()
        r = execute(self.kc, "while (true) {}", interrupt=(self.km, 1.0))
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(r.status, "error")
        self.assertIn("Interrupted", "\n".join(r.error["traceback"]))
        self.assertEqual(execute(self.kc, "kept25 + 1").data()["text/plain"], "6")

    def test_interrupt_stops_long_library_call(self):
        url = make_maven_repo(self.tmp)
        self.assertEqual(execute(self.kc, f"%mavenRepo testrepo {url}\n%maven org.rnnlab.test:testlib:1.0").status, "ok")
        r = execute(self.kc, "org.rnnlab.testlib.Spinner.spinForever()", interrupt=(self.km, 1.0))
        self.assertEqual(r.status, "error")
        self.assertIn("Interrupted", "\n".join(r.error["traceback"]))
        self.assertEqual(execute(self.kc, "2 * 21").data()["text/plain"], "42")

    def test_system_exit_ends_the_cell_not_the_kernel(self):
        self.assertEqual(execute(self.kc, "Runtime.getRuntime().exit(2);").status, "error")
        self.assertEqual(execute(self.kc, "3 + 4").data()["text/plain"], "7")

    def test_inspection_shows_documentation_without_markup(self):
        if not has_jdk_sources(KERNEL_NAME_JDK25):
            self.skipTest("this JDK 25 has no lib/src.zip")
        content = inspect(self.kc, "String.valueOf(42)", 10)
        plain = content["data"]["text/plain"]
        self.assertIn("Returns the string representation of the Object argument.", plain)
        self.assertNotRegex(plain, MARKUP)
        self.assertIn("<code>Object</code>", content["data"]["text/html"])


if __name__ == "__main__":
    unittest.main()
