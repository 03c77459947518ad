"""The course's JupyterHub, for real: JupyterHub from PyPI, configurable-http-proxy from npm, JupyterLab servers,
the built `java` kernel, over loopback. Two hubs, each in a temporary folder:

  CourseHubTest  a class of three runs lesson 02 through the proxy's websocket (the load test, K = 3), a student's
                 kernel heap follows the memory limit, stopping a server through the REST API ends its kernel JVM,
                 nbgitpuller pulls lessons from a local git repository, a class's assignment is collected from the
                 homes and graded in one run (a hanging student cut off), and a hub shutdown leaves no JVM.
  CullingTest    the server's own culler shuts an idle kernel down (its JVM too) and leaves a busy one alone;
                 jupyterhub-idle-culler then stops both idle servers, the busy kernel's JVM included.

The tests of a class run in the order of their names (unittest's), sharing that class's hub.
"""
import csv
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
HUB = HERE.parent
ROOT = HUB.parent
sys.path.insert(0, str(HUB))
sys.path.insert(0, str(ROOT / "grader" / "tests"))

import collect  # noqa: E402
import hub as hubmod  # noqa: E402
import loadtest  # noqa: E402
import test_assignments as prepared  # noqa: E402  -- the grader's prepared submissions (solved, wrong, hanging)

MEM_LIMIT_MIB = 600
GRADE_TIMEOUT = 15           # seconds a cell may run when grading (the %maven set-up gets longer): the hanging
                             # student costs one of these; a1's other cells take under 3 s on a loaded machine
KERNEL_PREFIX = None         # one kernel install serves both hubs


def setUpModule():
    global KERNEL_PREFIX
    KERNEL_PREFIX = tempfile.TemporaryDirectory(prefix="rnnlab-hub-kernel-")
    hubmod.install_kernel(KERNEL_PREFIX.name)


def tearDownModule():
    KERNEL_PREFIX.cleanup()


def wait_until(condition, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def student(hub, name):
    s = loadtest.Student(hub.url, name, hub.password, loadtest.LESSON, cell_timeout=120)
    s.login()
    return s


class CourseHubTest(unittest.TestCase):
    hub = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="rnnlab-hub-test-")
        cls.hub = hubmod.Hub(pathlib.Path(cls.tmp.name) / "state", mem_limit=f"{MEM_LIMIT_MIB}M",
                             kernel_prefix=KERNEL_PREFIX.name)
        cls.hub.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.hub.stop()
        finally:
            cls.tmp.cleanup()

    def test_1_a_class_of_three_runs_lesson_02_over_the_proxy_and_submits(self):
        class_, sampler, wall, after_stop, submitted = loadtest.lecture(self.hub, 3, server_timeout=180)
        r = loadtest.report(class_, sampler, wall, after_stop, None, submitted)
        loadtest.print_report(r)
        self.assertEqual({}, r["failures"])
        code_cells = sum(1 for c in nbformat.read(str(loadtest.LESSON), as_version=4).cells if c.cell_type == "code")
        for s in class_:
            self.assertEqual(code_cells, len(s.cell_seconds), f"{s.name} ran every code cell of lesson 02")
            saved = nbformat.read(str(self.hub.home(s.name) / s.submitted), as_version=4)
            self.assertTrue(any("image/png" in o.get("data", {})
                                for c in saved.cells if c.cell_type == "code" for o in c.outputs),
                            f"{s.name}'s submitted notebook holds the charts the kernel drew")
            self.assertTrue((self.hub.home(s.name) / "lessons" / "02-vanishing-gradient.ipynb").is_file(),
                            "the lessons were copied into the home on the first spawn")
        self.assertEqual(3, r["submitted"])
        self.assertEqual(0, r["leftover_kernels_after_servers_stopped"])
        self.assertGreater(r["peak_kernel_mib"]["p50"], 50, "the sampler saw each student's kernel JVM")

    def test_2_the_heap_follows_the_memory_limit_and_stopping_the_server_ends_the_jvm(self):
        s = student(self.hub, "kim")
        s.start_server(180)
        s.start_kernel()
        ws = s.connect()
        try:
            _, reply, outputs = s.execute(ws, "Runtime.getRuntime().maxMemory()")
        finally:
            ws.close()
        self.assertEqual("ok", reply["status"])
        heap = int(outputs[-1]["data"]["text/plain"])
        limit = MEM_LIMIT_MIB * 1024 * 1024
        self.assertTrue(0.65 * limit < heap <= 0.75 * limit,
                        f"the kernel's heap is 75% of the {MEM_LIMIT_MIB} MiB limit (less a survivor space), "
                        f"not {heap / 2**20:.0f} MiB")
        jvms = loadtest.kernel_jvms(self.hub)
        self.assertEqual(1, len(jvms), "kim's kernel is running")
        s.stop_server()
        self.assertTrue(wait_until(lambda: not loadtest.kernel_jvms(self.hub), 20),
                        f"the kernel JVM {jvms} outlived its server stopped through the Hub API")

    def test_3_nbgitpuller_pulls_the_lessons_from_a_git_repository(self):
        repo = pathlib.Path(self.tmp.name) / "course-repo"
        repo.mkdir()
        (repo / "notebooks").mkdir()
        (repo / "notebooks" / "00-welcome.ipynb").write_bytes((ROOT / "notebooks" / "00-welcome.ipynb").read_bytes())
        git = ["git", "-C", str(repo), "-c", "user.name=Lecturer", "-c", "user.email=lecturer@example.org"]
        subprocess.run(git[:3] + ["init", "-q", "-b", "main"], check=True)
        subprocess.run(git + ["add", "."], check=True)
        subprocess.run(git + ["commit", "-q", "-m", "lesson 00"], check=True)
        s = student(self.hub, "lee")
        s.start_server(180)
        query = urllib.parse.urlencode({"repo": f"file://{repo}", "branch": "main", "targetpath": "course"})
        events = []
        with s.http.get(f"{s.server}/git-pull/api?{query}", stream=True, timeout=120) as answer:
            answer.raise_for_status()
            for line in answer.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        self.assertEqual("finished", events[-1].get("phase"), events[-3:])
        self.assertTrue((self.hub.home("lee") / "course" / "notebooks" / "00-welcome.ipynb").is_file())
        # lee's server stays up: test_9 shuts the hub down under it

    def test_4_a_class_is_collected_from_the_homes_and_graded_in_one_run(self):
        name = "a1-lstm-step"
        work = {"ana": prepared.solved(name), "ben": prepared.wrong(name), "cy": prepared.hanging(name)}

        def save(who):
            s = student(self.hub, who)
            s.start_server(180)
            # They worked in the copy the hub gave them and hand in by saving it into ~/submissions.
            s.http.put(f"{s.server}/api/contents/submissions", json={"type": "directory"},
                       timeout=60).raise_for_status()
            s.http.put(f"{s.server}/api/contents/submissions/{name}.ipynb", timeout=60,
                       json={"type": "notebook", "format": "json", "content": work[who]}).raise_for_status()
            s.stop_server()

        threads = [threading.Thread(target=save, args=(who,)) for who in work]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out = pathlib.Path(self.tmp.name) / "collected"
        table = out / "grades.csv"
        results, missing = collect.grade_class(name, self.hub.state / "home", "submissions/{name}.ipynb",
                                               out, csv_path=str(table), timeout=GRADE_TIMEOUT, jobs=2,
                                               maven_repo=os.environ.get("RNNLAB_HUB_MAVEN_REPO"))
        self.assertEqual(["ana", "ben", "cy"], sorted(r.student for r in results))
        self.assertIn("kim", missing, "a student without the notebook is reported, not graded")
        with table.open() as f:
            rows = {row["student"]: row for row in csv.DictReader(f)}
        self.assertEqual({"ana", "ben", "cy"}, set(rows), "one row per student")
        test_cells = [s.grade_id for s in results[0].scores]
        self.assertEqual(["test_sigmoid", "test_lstm_step", "test_run"], test_cells, "one column per test cell")
        self.assertTrue(set(test_cells) <= set(rows["ana"]))
        self.assertEqual(rows["ana"]["max"], rows["ana"]["total"], "the solution scores full marks")
        self.assertLess(float(rows["ben"]["total"]), float(rows["ben"]["max"]))
        self.assertGreater(float(rows["ben"]["total"]), 0, "the prepared mistakes cost some points, not all")
        self.assertEqual("2", rows["cy"]["test_sigmoid"], "the part before the hang keeps its points")
        self.assertEqual(("0", "0"), (rows["cy"]["test_lstm_step"], rows["cy"]["test_run"]),
                         "the hanging student is cut off and scores 0 for the rest")
        self.assertIn("test_lstm_step", rows["cy"]["timed_out"])

    def test_9_a_hub_shutdown_leaves_no_kernel_jvm(self):
        s = student(self.hub, "lee")
        model = s.http.get(f"{self.hub.url}/hub/api/users/lee", timeout=30).json()
        if not model.get("servers"):
            s.start_server(180)
        s.start_kernel()
        self.assertTrue(wait_until(lambda: loadtest.kernel_jvms(self.hub), 30), "lee's kernel is running")
        jvms = loadtest.kernel_jvms(self.hub)
        self.hub.stop()
        self.assertTrue(wait_until(lambda: not loadtest.kernel_jvms(self.hub), 20),
                        f"the kernel JVM {jvms} outlived the hub's shutdown")


class CullingTest(unittest.TestCase):
    """Idle culling with short timeouts: servers after 15 s (jupyterhub-idle-culler), kernels after 6 s (the
    server's MappingKernelManager)."""
    CULL = 15

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="rnnlab-hub-cull-")
        cls.hub = hubmod.Hub(pathlib.Path(cls.tmp.name) / "state", cull_timeout=cls.CULL, kernel_cull_timeout=6,
                             lessons="", kernel_prefix=KERNEL_PREFIX.name)
        cls.hub.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.hub.stop()
        finally:
            cls.tmp.cleanup()

    def test_idle_kernels_and_servers_are_culled_and_no_jvm_is_left(self):
        idle, busy = student(self.hub, "idle"), student(self.hub, "busy")
        for s in (busy, idle):
            s.start_server(180)
        busy.start_kernel()
        ws = busy.connect()
        try:
            # A cell that runs for ten minutes: the kernel is busy, so the kernel culler leaves it alone; the
            # server sees no traffic, so the hub's culler stops it, JVM and all.
            ws.send(json.dumps({
                "header": {"msg_id": "sleep", "msg_type": "execute_request", "username": "busy", "session": "s",
                           "version": "5.3", "date": "2026-01-01T00:00:00Z"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": "Thread.sleep(600_000);", "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        finally:
            ws.close()
        idle.start_kernel()

        def kernels(s):
            answer = s.http.get(f"{s.server}/api/kernels", timeout=30)
            return answer.json() if answer.status_code == 200 else None

        self.assertTrue(wait_until(lambda: kernels(idle) == [], 20),
                        f"the idle kernel was shut down by the server's culler: {kernels(idle)}")
        self.assertTrue(wait_until(lambda: len(loadtest.kernel_jvms(self.hub)) == 1, 20),
                        "the culled kernel's JVM is gone; the busy one runs")
        self.assertEqual(1, len(kernels(busy) or []), "the busy kernel is not culled")

        def servers_left():
            return [s.name for s in (idle, busy)
                    if s.http.get(f"{self.hub.url}/hub/api/users/{s.name}", timeout=30).json().get("servers")]

        self.assertTrue(wait_until(lambda: not servers_left(), 3 * self.CULL, interval=1),
                        f"the idle culler stopped both servers: {servers_left()} are still running")
        self.assertTrue(wait_until(lambda: not loadtest.kernel_jvms(self.hub), 20),
                        "the busy kernel's JVM outlived its culled server")


if __name__ == "__main__":
    unittest.main()
