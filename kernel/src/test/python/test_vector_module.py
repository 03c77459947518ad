"""The kernel runs with the JDK's Vector API module, so the library takes its Vector API kernels, and the JVM's
warning about incubator modules goes to the kernel process's own stderr (the Jupyter server's log), never to a cell."""
import os
import pathlib
import tempfile
import unittest

from kernel_helpers import KERNEL_NAME, execute, start, stop

ROOT = pathlib.Path(__file__).resolve().parents[4]
LIB_JAR = ROOT / "lib" / "target" / "rnnlab-lib-0.1.0.jar"
WARNING = "WARNING: Using incubator modules: jdk.incubator.vector"


class VectorModuleTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The kernel's own stderr (what a Jupyter server writes to its log) goes to a file we can read.
        cls.log = tempfile.NamedTemporaryFile(prefix="rnnlab-kernel-stderr-", suffix=".log", delete=False)
        cls.km, cls.kc = start(stderr=cls.log)

    @classmethod
    def tearDownClass(cls):
        stop(cls.km, cls.kc)
        cls.log.close()
        os.unlink(cls.log.name)

    def run_ok(self, code):
        r = execute(self.kc, code, timeout=120)
        self.assertEqual(r.status, "ok", r)
        self.assertEqual(r.stream("stderr"), "", r)
        self.assertNotIn("incubator", r.stream("stdout"), r)
        return r

    def test_the_kernelspec_adds_the_vector_module(self):
        argv = self.km.kernel_spec.argv
        self.assertIn("--add-modules", argv)
        self.assertEqual(argv[argv.index("--add-modules") + 1], "jdk.incubator.vector")

    def test_a_cell_sees_the_module_and_no_warning(self):
        r = self.run_ok('ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()')
        self.assertEqual(r.data()["text/plain"], "true")
        # (JShell compiles cells without the module, so a cell names the class by reflection.)
        r = self.run_ok('Class.forName("jdk.incubator.vector.DoubleVector").getModule().getName()')
        self.assertEqual(r.data()["text/plain"], "jdk.incubator.vector")

    @unittest.skipUnless(LIB_JAR.is_file(), f"{LIB_JAR} is not built (mvn -B -ntp -q package -DskipTests)")
    def test_the_library_takes_its_vector_kernels_in_a_cell_without_stderr(self):
        self.run_ok(f"%jars {LIB_JAR}")
        r = self.run_ok("org.rnnlab.hotloop.Kernels.describe()")
        self.assertTrue(r.data()["text/plain"].startswith("Vector API kernels"), r)
        # A product on the Vector API kernels: four sequences over a packed block.
        r = self.run_ok("double[][] w = {{1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};\n"
                        "double[][] x = {{1, 0}, {0, 1}, {1, 1}, {2, 0}};\n"
                        "double[][] z = new double[4][9];\n"
                        "org.rnnlab.hotloop.RowMath.multiplyInto(x, new org.rnnlab.hotloop.PackedMatrix(2, 9).pack(w, 0),"
                        " z, 0, 4);\n"
                        "java.util.Arrays.deepToString(z)")
        self.assertIn("[2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]", r.data()["text/plain"])

    def test_the_jvm_warning_goes_to_the_kernel_process_stderr(self):
        self.run_ok("1 + 1")
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            self.assertIn(WARNING, f.read())


if __name__ == "__main__":
    unittest.main()
