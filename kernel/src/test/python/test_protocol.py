"""Protocol-level tests of the Java kernel through Debian's jupyter_client: what a notebook user sees."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from kernel_helpers import (KERNEL_NAME, MARKUP, collect, execute, has_jdk_sources, inspect, make_maven_repo, png_size, start,
                            stop)


class NotebookFeatureTests(unittest.TestCase):
    """One kernel for the whole class, as a notebook would use it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="rnnlab-kernel-test-")
        cls.km, cls.kc = start()

    @classmethod
    def tearDownClass(cls):
        stop(cls.km, cls.kc)
        shutil.rmtree(cls.tmp, ignore_errors=True)
        shutil.rmtree(os.path.expanduser("~/.m2/repository/org/rnnlab/test"), ignore_errors=True)

    def run_ok(self, code, timeout=120):
        r = execute(self.kc, code, timeout=timeout)
        self.assertEqual(r.status, "ok", r)
        self.assertEqual(r.stream("stderr"), "", r)
        return r

    def test_state_persists_and_last_expression_is_the_result(self):
        self.run_ok("int base = 40;")
        r = self.run_ok("int more = 2;\nbase + more")
        self.assertEqual(r.data()["text/plain"], "42")

    def test_xchart_chart_arrives_as_valid_png_at_notebook_width(self):
        self.run_ok("%maven org.knowm.xchart:xchart:4.0.3")
        r = self.run_ok('import org.knowm.xchart.*;\n'
                        'var chart = QuickChart.getChart("loss", "epoch", "loss", "train", '
                        'new double[]{1, 2, 3}, new double[]{0.9, 0.5, 0.3});\nchart')
        data = r.data()
        width, height = png_size(data["image/png"])
        meta = r.of_type("execute_result")[0]["content"]["metadata"]["image/png"]
        self.assertEqual((meta["width"], meta["height"]), (600, 400))
        self.assertEqual((width, height), (1200, 800), "rendered at twice the size so it stays sharp")

    def test_tablesaw_table_is_html_and_long_tables_are_elided_with_row_count(self):
        self.run_ok("%maven tech.tablesaw:tablesaw-core:0.44.4")
        r = self.run_ok('import tech.tablesaw.api.*;\n'
                        'Table small = Table.create("small", IntColumn.create("a", new int[]{1, 2, 3}));\nsmall')
        html = r.data()["text/html"]
        self.assertIn("<table", html)
        self.assertIn("3 rows", html)
        r = self.run_ok('Table.create("long", IntColumn.indexColumn("i", 1000, 0))')
        html = r.data()["text/html"]
        self.assertIn("1000 rows", html)
        self.assertIn("985 more rows", html)
        self.assertLess(html.count("<tr>"), 25)

    def test_library_logging_noise_stays_out_of_stderr(self):
        self.run_ok("%maven tech.tablesaw:tablesaw-core:0.44.4")
        r = self.run_ok('org.slf4j.LoggerFactory.getLogger("student").info("quiet");\n'
                        'tech.tablesaw.api.Table.create("t").rowCount()')
        self.assertEqual(r.data()["text/plain"], "0")

    def test_ejml_matrix_renders_as_html_and_plain_text(self):
        self.run_ok("%maven org.ejml:ejml-simple:0.46.1")
        r = self.run_ok("var m = new org.ejml.simple.SimpleMatrix(new double[][]{{1, 2}, {3, 4.5}});\nm")
        data = r.data()
        self.assertIn("<table", data["text/html"])
        self.assertIn("4.500", data["text/plain"])
        self.assertIn("2×2", data["text/plain"])

    def test_a_renderer_missing_a_class_of_its_library_shows_the_value_as_text(self):
        """A library renderer that fails to link (the NoClassDefFoundError of a %maven classpath missing a
        dependency) must not cost the cell its execute_reply: the value is shown as text, with the reason."""
        self.run_ok('class Unlinked { public String toString() { return "unlinked value"; } }\n'
                    'registerRenderer(Unlinked.class.getName(), v -> {\n'
                    '    throw new NoClassDefFoundError("org/apache/commons/lang3/Range"); });')
        r = self.run_ok("new Unlinked()")
        text = r.data()["text/plain"]
        self.assertIn("unlinked value", text)
        self.assertIn("rich display failed: java.lang.NoClassDefFoundError: org/apache/commons/lang3/Range", text)

    def test_a_failure_inside_the_kernel_still_gets_an_error_reply(self):
        """An error thrown outside the cell's code (here a renderer's AssertionError, which the renderers do not
        catch) is answered with an error reply naming it, and the kernel goes on to the next cell. Before, the
        kernel logged it and sent no reply, so JupyterLab showed the cell queued for ever."""
        self.run_ok('class Broken { }\n'
                    'registerRenderer(Broken.class.getName(), v -> { throw new AssertionError("renderer bug"); });')
        r = execute(self.kc, "new Broken()")
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "java.lang.AssertionError")
        self.assertIn("not in your code", "\n".join(r.error["traceback"]))
        self.assertEqual(self.run_ok("6 * 7").data()["text/plain"], "42")

    def test_buffered_image_renders_as_png(self):
        r = self.run_ok("var img = new java.awt.image.BufferedImage(30, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);\nimg")
        self.assertEqual(png_size(r.data()["image/png"]), (30, 20))

    def test_runtime_exception_reports_real_class_and_trace_trimmed_to_cell_code(self):
        self.run_ok("int depth(int n) {\n  if (n == 0) throw new IllegalArgumentException(\"too deep\");\n"
                    "  return depth(n - 1);\n}")
        r = execute(self.kc, "int unused = 0;\ndepth(2)")
        self.assertEqual(r.status, "error")
        err = r.error
        self.assertEqual(err["ename"], "java.lang.IllegalArgumentException")
        self.assertEqual(err["evalue"], "too deep")
        trace = "\n".join(err["traceback"])
        self.assertIn("depth (cell [", trace)
        self.assertIn("line 2)", trace)
        self.assertIn("<cell> (cell [", trace)
        for internal in ("jdk.jshell", "REPL.", "org.rnnlab.kernel", "jdk.internal.reflect", "java.lang.reflect"):
            self.assertNotIn(internal, trace)
        self.assertEqual(r.reply["content"]["ename"], "java.lang.IllegalArgumentException")

    def test_compile_error_points_at_line_and_column(self):
        r = execute(self.kc, 'int fine = 1;\nString s = 42;')
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "CompilationException")
        trace = "\n".join(r.error["traceback"])
        self.assertIn("line 2, column 12", trace)
        self.assertIn("incompatible types", trace)
        self.assertIn("String s = 42;", trace)

    def test_interrupt_stops_tight_loop_and_keeps_state(self):
        self.run_ok("int kept = 7;")
        started = time.monotonic()
        r = execute(self.kc, "while (true) {}", interrupt=(self.km, 1.0))
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(r.status, "error")
        self.assertIn("Interrupted", "\n".join(r.error["traceback"]))
        self.assertEqual(self.run_ok("kept * 6").data()["text/plain"], "42")

    def test_interrupt_stops_blocking_sleep(self):
        r = execute(self.kc, "Thread.sleep(60_000);", interrupt=(self.km, 1.0))
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "java.lang.InterruptedException")

    def test_maven_from_local_file_repository_with_bundle_dependency(self):
        url = make_maven_repo(self.tmp)
        self.run_ok(f"%mavenRepo testrepo {url}")
        r = self.run_ok("%maven org.rnnlab.test:testlib:1.0")
        self.assertRegex(r.stream("stdout"), r"Added org.rnnlab.test:testlib:1.0 \([02] new jars")
        r = self.run_ok("org.rnnlab.testlib.Spinner.hello()")
        self.assertEqual(r.data()["text/plain"], "hello from testlib 7")

    def test_interrupt_stops_long_library_call(self):
        url = make_maven_repo(self.tmp)
        self.run_ok(f"%mavenRepo testrepo {url}\n%maven org.rnnlab.test:testlib:1.0")
        r = execute(self.kc, "org.rnnlab.testlib.Spinner.spinForever()", interrupt=(self.km, 1.0))
        self.assertEqual(r.status, "error")
        self.assertIn("Interrupted", "\n".join(r.error["traceback"]))
        self.assertEqual(self.run_ok("1 + 1").data()["text/plain"], "2")

    def test_missing_maven_artifact_names_what_was_not_found(self):
        r = execute(self.kc, "%maven org.rnnlab.test:does-not-exist:9.9", timeout=120)
        self.assertEqual(r.status, "error")
        text = "\n".join(r.error["traceback"])
        self.assertIn("does-not-exist", text)
        self.assertIn("local repository", text)

    def test_system_exit_ends_the_cell_not_the_kernel(self):
        r = execute(self.kc, "System.exit(1);")
        self.assertEqual(r.status, "error")
        self.assertIn("kernel keeps running", r.error["evalue"])
        self.assertEqual(self.run_ok("2 + 3").data()["text/plain"], "5")

    def test_reading_system_in_without_input_allowed_ends_at_once_and_says_why(self):
        started = time.monotonic()
        r = execute(self.kc, "new java.util.Scanner(System.in).nextLine()", timeout=30, allow_stdin=False)
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "java.util.NoSuchElementException")
        self.assertIn("takes no keyboard input", r.stream("stderr"))
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(self.run_ok("2 + 3").data()["text/plain"], "5")

    def test_system_in_asks_the_notebook_for_a_line_after_showing_the_prompt(self):
        msg_id = self.kc.execute('System.out.print("name? ");\n'
                                 'var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));\n'
                                 '"hello " + in.readLine() + ", then " + in.readLine()', allow_stdin=True)
        for answer in ("Ada", "Grace"):
            question = self.kc.get_stdin_msg(timeout=30)
            self.assertEqual(question["msg_type"], "input_request")
            self.assertEqual(question["parent_header"]["msg_id"], msg_id)
            self.assertFalse(question["content"]["password"])
            self.kc.input(answer)
        r = collect(self.kc, msg_id)
        self.assertEqual(r.status, "ok", r)
        self.assertEqual(r.data()["text/plain"], 'hello Ada, then Grace')
        self.assertEqual(r.stream("stdout"), "name? ")

    def test_interrupt_while_waiting_for_input_ends_the_cell_and_the_next_question_works(self):
        msg_id = self.kc.execute("new java.util.Scanner(System.in).nextLine()", allow_stdin=True)
        self.kc.get_stdin_msg(timeout=30)
        self.km.interrupt_kernel()
        r = collect(self.kc, msg_id, timeout=30)
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "org.rnnlab.kernel.api.CellInterruptedError")
        self.kc.input("too late")                                   # an answer to the abandoned question
        time.sleep(0.3)
        msg_id = self.kc.execute("new java.util.Scanner(System.in).nextLine()", allow_stdin=True)
        self.kc.get_stdin_msg(timeout=30)
        self.kc.input("in time")
        r = collect(self.kc, msg_id)
        self.assertEqual(r.data()["text/plain"], 'in time')

    def test_out_of_memory_is_reported_and_kernel_keeps_serving(self):
        r = execute(self.kc, "var hog = new ArrayList<long[]>();\nwhile (true) hog.add(new long[1_000_000]);",
                    timeout=120)
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "java.lang.OutOfMemoryError")
        self.assertIn("hog", "\n".join(r.error["traceback"]))
        self.assertEqual(self.run_ok("new long[10_000_000].length").data()["text/plain"], "10000000")

    def test_assertions_are_enabled(self):
        r = execute(self.kc, 'assert 1 > 2 : "checked";')
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "java.lang.AssertionError")

    def test_progress_bar_updates_in_place(self):
        r = self.run_ok('var bar = progress("training", 4);\n'
                        'java.util.function.IntConsumer callback = bar;\n'
                        'for (int i = 1; i <= 4; i++) { Thread.sleep(120); callback.accept(i); }')
        shown = r.of_type("display_data")
        updates = r.of_type("update_display_data")
        self.assertEqual(len(shown), 1)
        self.assertGreaterEqual(len(updates), 1)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        self.assertIn("4/4", updates[-1]["content"]["data"]["text/plain"])

    def last_progress_text(self, r):
        """The text of the last state a cell's progress bar showed: its last update, else its first display."""
        shown = r.of_type("display_data", "update_display_data")
        self.assertTrue(shown, r)
        return shown[-1]["content"]["data"]["text/plain"]

    def test_progress_bar_of_a_fast_loop_ends_on_its_last_state(self):
        r = self.run_ok('var fast = progress("training", 60);\n'
                        'for (int step = 0; step < 60; step++) { fast.accept(step + 1); fast.accept("loss " + (60 - step)); }')
        self.assertEqual(len(r.of_type("display_data")), 1)
        self.assertRegex(self.last_progress_text(r), r"\] 60/60  loss 1$",
                         "the status given after the last step is held back by the rate limit and must still show")

    def test_progress_bar_shows_the_step_reached_when_the_cell_fails(self):
        r = execute(self.kc, 'var failing = progress("training", 60);\n'
                             'for (int step = 0; step < 60; step++) {\n'
                             '    if (step == 47) throw new IllegalStateException("diverged");\n'
                             '    failing.accept(step + 1);\n'
                             '}')
        self.assertEqual(r.status, "error")
        self.assertEqual(r.error["ename"], "java.lang.IllegalStateException")
        self.assertIn("47/60", self.last_progress_text(r))
        last_bar = max(i for i, m in enumerate(r.outputs) if m["msg_type"] in ("display_data", "update_display_data"))
        self.assertLess(last_bar, r.outputs.index(r.of_type("error")[0]), "the bar's last state comes before the error")

    def test_progress_bar_shows_the_step_reached_when_the_cell_is_interrupted(self):
        r = execute(self.kc, 'var stopped = progress("training", 60);\n'
                             'for (int step = 0; step < 60; step++) {\n'
                             '    stopped.accept(step + 1);\n'
                             '    if (step + 1 == 30) Thread.sleep(60_000);\n'
                             '}', interrupt=(self.km, 1.0))
        self.assertEqual(r.status, "error")
        self.assertIn("30/60", self.last_progress_text(r))

    def test_display_update_and_clear_output(self):
        r = self.run_ok('String id = display("first");\nupdateDisplay(id, "second");\nclearOutput(true);')
        self.assertEqual(r.of_type("display_data")[0]["content"]["data"]["text/plain"], "first")
        self.assertEqual(r.of_type("update_display_data")[0]["content"]["data"]["text/plain"], "second")
        self.assertTrue(r.of_type("clear_output")[0]["content"]["wait"])
        r = self.run_ok('display("<i>x</i>", "text/html")')
        self.assertEqual(r.of_type("execute_result"), [], "a cell ending in display(x) shows x, not its id")

    def test_time_magics(self):
        r = self.run_ok("%time 6 * 7")
        self.assertIn("Wall time:", r.stream("stdout"))
        self.assertEqual(r.data()["text/plain"], "42")
        r = self.run_ok("%%time\nint t = 0;\nfor (int i = 0; i < 10; i++) t += i;\nt")
        self.assertIn("Wall time:", r.stream("stdout"))
        self.assertEqual(r.data()["text/plain"], "45")

    def test_vars_and_lsmagic(self):
        self.run_ok('double learningRate = 0.1;\nString label = "rnn";')
        plain = self.run_ok("%vars").data()["text/plain"]
        self.assertRegex(plain, r"learningRate\s+double\s+0\.1")
        self.assertRegex(plain, r'label\s+String\s+"rnn"')
        listing = self.run_ok("%lsmagic").stream("stdout")
        for magic in ("%maven", "%jars", "%classpath", "%load", "%time", "%%time", "%lsmagic", "%vars"):
            self.assertIn(magic, listing)

    def test_load_runs_files_and_notebooks(self):
        jsh = os.path.join(self.tmp, "helpers.jsh")
        with open(jsh, "w") as f:
            f.write("int triple(int x) { return 3 * x; }\n")
        nb = os.path.join(self.tmp, "other.ipynb")
        with open(nb, "w") as f:
            json.dump({"cells": [{"cell_type": "markdown", "source": "# title", "metadata": {}},
                                 {"cell_type": "code", "source": ["int fromNotebook = ", "5;"], "metadata": {},
                                  "outputs": [], "execution_count": None}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, f)
        self.run_ok(f"%load {jsh}\n%load {nb}")
        self.assertEqual(self.run_ok("triple(fromNotebook)").data()["text/plain"], "15")

    def test_jars_and_classpath_magics(self):
        repo = make_maven_repo()[len("file://"):]
        jar = os.path.join(repo, "org", "rnnlab", "test", "testdep", "1.0", "testdep-1.0.jar")
        self.run_ok(f"%jars {os.path.dirname(jar)}/*.jar")
        self.assertIn(jar, self.run_ok("%classpath").stream("stdout"))
        self.assertEqual(self.run_ok("org.rnnlab.testdep.Dep.VALUE").data()["text/plain"], "7")

    def test_unknown_magic_is_a_clear_error(self):
        r = execute(self.kc, "%nosuchmagic")
        self.assertEqual(r.status, "error")
        self.assertIn("not a magic", r.error["evalue"])

    def test_completion_and_inspection(self):
        self.run_ok('String greeting = "hi";')
        msg_id = self.kc.complete("greeting.toUpp", 14)
        reply = self.kc.get_shell_msg(timeout=30)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertIn("toUpperCase(", reply["content"]["matches"])
        self.assertEqual(reply["content"]["cursor_start"], 9)
        self.kc.complete("%mav", 4)
        reply = self.kc.get_shell_msg(timeout=30)
        self.assertIn("%maven", reply["content"]["matches"])
        self.kc.inspect("Math.max(1, 2)", 6)
        reply = self.kc.get_shell_msg(timeout=30)
        self.assertTrue(reply["content"]["found"])
        self.assertIn("max(int a, int b)", reply["content"]["data"]["text/plain"])

    def test_inspection_shows_readable_documentation_as_text_and_html(self):
        if not has_jdk_sources():
            self.skipTest("the kernel's JDK has no lib/src.zip (on Debian: apt-get install openjdk-17-source)")
        content = inspect(self.kc, "Math.max(1, 2)", 6)
        self.assertTrue(content["found"])
        plain = content["data"]["text/plain"]
        self.assertIn("int Math.max(int a, int b)\nReturns the greater of two int values.", plain)
        self.assertIn("the value of Integer.MAX_VALUE.", plain)
        self.assertIn("Parameters:\n  a - an argument.\n  b - another argument.\nReturns:\n  the larger of a and b.", plain)
        self.assertNotRegex(plain, MARKUP)
        html = content["data"]["text/html"]
        self.assertIn("<pre>int Math.max(int a, int b)</pre>", html)
        self.assertIn("two <code>int</code> values", html)
        self.assertNotIn("{@", html)

        plain = inspect(self.kc, 'String.valueOf(3.5)', 10)["data"]["text/plain"]
        self.assertIn("Returns the string representation of the Object argument.", plain)
        self.assertIn("See Also:\n  Object.toString()", plain)
        self.assertNotRegex(plain, MARKUP)


# Run in a child Python: starts a kernel the way a notebook server does (jupyter_client's KernelManager, which sets
# JPY_PARENT_PID unless the kernel is "independent"), prints its pid, lets it answer a cell after `linger` seconds,
# then ends abruptly, as a killed or crashed server would, without shutting the kernel down.
ABANDONING_STARTER = """
import os, sys, time
from jupyter_client.manager import KernelManager
kernel_name, linger, how = sys.argv[1], float(sys.argv[2]), sys.argv[3]
km = KernelManager(kernel_name=kernel_name)
km.start_kernel(independent=(how == "independent"))
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)
print(km.provisioner.pid, flush=True)
time.sleep(linger)
msg_id = kc.execute("1 + 1")
while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
    pass
print("answered", flush=True)
os._exit(0)
"""


def jvm_running(pid):
    """Whether `pid` is a live java process (a zombie waiting for init to reap it counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read()
    except OSError:
        return False
    return state != "Z" and b"java" in command


def seconds_until_gone(pid, limit):
    """Seconds until process `pid` has ended, polling every 50 ms; None if it still runs after `limit` seconds."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if not jvm_running(pid):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


class MavenSettingsTests(unittest.TestCase):
    """%maven under the user's settings.xml (named by -Dorg.apache.maven.user-settings, with a fresh local repository)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rnnlab-kernel-settings-")
        self.url = make_maven_repo()

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_with_settings(self, settings, code):
        path = os.path.join(self.tmp, "settings.xml")
        with open(path, "w") as f:
            f.write(f"<settings>{settings}</settings>")
        env = dict(os.environ, JAVA_TOOL_OPTIONS=f"-Dorg.apache.maven.user-settings={path}"
                                                  f" -Dmaven.repo.local={os.path.join(self.tmp, 'local')}")
        km, kc = start(env=env)
        try:
            return execute(kc, code, timeout=120)
        finally:
            stop(km, kc)

    def test_a_mirror_of_everything_serves_maven_central(self):
        r = self.run_with_settings(f"<mirrors><mirror><id>campus</id><mirrorOf>*</mirrorOf><url>{self.url}</url>"
                                   "</mirror></mirrors>", "%maven org.rnnlab.test:testlib:1.0\n"
                                   "org.rnnlab.testlib.Spinner.hello()")
        self.assertEqual(r.status, "ok", r)
        self.assertEqual(r.data()["text/plain"], "hello from testlib 7")
        self.assertEqual(r.stream("stderr"), "", r)

    def test_offline_mode_downloads_nothing_and_says_so(self):
        r = self.run_with_settings("<offline>true</offline>",
                                   f"%mavenRepo testrepo {self.url}\n%maven org.rnnlab.test:testlib:1.0")
        self.assertEqual(r.status, "error", r)
        self.assertIn("Maven is offline", "\n".join(r.error["traceback"]))


class KernelLifecycleTests(unittest.TestCase):
    """Each test starts its own kernel."""

    def start_and_abandon(self, how, linger=2.5):
        """Starts a kernel from a child Python that then exits without shutting it down; returns the kernel's pid
        and whether it answered a cell `linger` seconds after start, while its starter still lived."""
        env = dict(os.environ)
        env.pop("JPY_PARENT_PID", None)
        log = tempfile.TemporaryFile(mode="w+")
        self.addCleanup(log.close)
        child = subprocess.Popen([sys.executable, "-c", ABANDONING_STARTER, KERNEL_NAME, str(linger), how],
                                 stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        try:
            first = child.stdout.readline()
            if not first.strip().isdigit():
                log.seek(0)
                self.fail(f"the starter printed no kernel pid: {first!r}\n{log.read()}")
            pid = int(first)
            self.addCleanup(self.kill_if_running, pid)
            answered = child.stdout.readline().strip() == "answered"
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
        return pid, answered

    @staticmethod
    def kill_if_running(pid):
        if jvm_running(pid):
            os.kill(pid, signal.SIGKILL)

    def test_kernel_exits_soon_after_the_process_that_started_it_is_gone(self):
        pid, answered = self.start_and_abandon("attached")
        self.assertTrue(answered, "the kernel must keep serving while the process that started it runs")
        gone_after = seconds_until_gone(pid, 10)
        self.assertIsNotNone(gone_after, f"the kernel (pid {pid}) still runs 10 s after its starter exited")
        self.assertLess(gone_after, 5)

    def test_kernel_started_independently_outlives_its_starter(self):
        pid, answered = self.start_and_abandon("independent", linger=0.5)
        self.assertTrue(answered)
        self.assertIsNone(seconds_until_gone(pid, 3),
                          "without JPY_PARENT_PID (an independent kernel) the kernel must not exit on its own")

    def test_a_kernel_whose_port_is_taken_exits_instead_of_lingering(self):
        # Many servers starting kernels at once (a class logging in) can lose a port of the connection file to
        # another process between jupyter_client choosing it and the kernel binding it; Jupyter then starts a
        # new kernel, so the failed one must end, not keep running on its heartbeat thread.
        import socket
        import uuid
        from jupyter_client.kernelspec import KernelSpecManager
        taken = socket.socket()
        self.addCleanup(taken.close)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        tmp = tempfile.mkdtemp(prefix="rnnlab-kernel-port-")
        self.addCleanup(shutil.rmtree, tmp, True)
        connection = os.path.join(tmp, "kernel.json")
        ports = []
        for _ in range(4):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                ports.append(s.getsockname()[1])
        with open(connection, "w") as f:
            json.dump({"ip": "127.0.0.1", "transport": "tcp", "signature_scheme": "hmac-sha256",
                       "key": uuid.uuid4().hex, "shell_port": taken.getsockname()[1], "iopub_port": ports[0],
                       "stdin_port": ports[1], "control_port": ports[2], "hb_port": ports[3]}, f)
        argv = [a.replace("{connection_file}", connection)
                for a in KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv]
        kernel = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            status = kernel.wait(timeout=60)
        except subprocess.TimeoutExpired:
            kernel.kill()
            kernel.wait()
            self.fail("a kernel that could not bind its shell port still runs 60 s later")
        stderr = kernel.stderr.read()
        kernel.stderr.close()
        self.assertNotEqual(0, status)
        self.assertIn("Address already in use", stderr)

    def test_restart_gives_a_fresh_working_kernel(self):
        km, kc = start()
        try:
            self.assertEqual(execute(kc, "int before = 1;").status, "ok")
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=60)
            r = execute(kc, "before")
            self.assertEqual(r.status, "error")
            self.assertEqual(r.error["ename"], "CompilationException")
            self.assertEqual(execute(kc, "1 + 1").data()["text/plain"], "2")
        finally:
            stop(km, kc)

    def test_badly_signed_and_unsigned_messages_are_dropped_and_logged(self):
        import zmq
        from jupyter_client.session import Session
        tmp = tempfile.mkdtemp(prefix="rnnlab-kernel-sig-")
        log_path = os.path.join(tmp, "kernel.log")
        marker = os.path.join(tmp, "executed")
        with open(log_path, "w") as log:
            km, kc = start(stderr=log)
        try:
            info = km.get_connection_info()
            code = f'new java.io.File("{marker}").createNewFile();'
            ctx = zmq.Context()
            sock = ctx.socket(zmq.DEALER)
            sock.connect(f"tcp://{info['ip']}:{info['shell_port']}")
            for key in (b"not-the-key", b""):
                forger = Session(key=key, username="attacker")
                msg = forger.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                      "user_expressions": {}, "allow_stdin": False})
                forger.send(sock, msg)
            time.sleep(1.5)
            sock.close(linger=0)
            ctx.term()
            r = execute(kc, "1 + 1")
            self.assertEqual(r.data()["text/plain"], "2", "the kernel still serves signed requests")
            self.assertFalse(os.path.exists(marker), "a badly signed request was executed")
            with open(log_path) as f:
                log_text = f.read()
            self.assertGreaterEqual(log_text.count("HMAC signature does not match"), 2, log_text)
        finally:
            stop(km, kc)
            shutil.rmtree(tmp, ignore_errors=True)

    def test_binds_only_to_the_connection_file_address(self):
        km, kc = start()
        try:
            info = km.get_connection_info()
            self.assertEqual(info["ip"], "127.0.0.1")
            ports = {info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
            listening = {}
            for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                with open(table) as f:
                    for line in f.readlines()[1:]:
                        fields = line.split()
                        if fields[3] != "0A":
                            continue
                        addr, port = fields[1].rsplit(":", 1)
                        listening.setdefault(int(port, 16), set()).add(addr)
            loopback = {"0100007F", "0000000000000000FFFF00000100007F"}  # 127.0.0.1, or ::ffff:127.0.0.1
            for port in ports:
                addresses = listening.get(port, set())
                self.assertTrue(addresses and addresses <= loopback, f"port {port} listens on {addresses}")
        finally:
            stop(km, kc)


if __name__ == "__main__":
    unittest.main()
