#!/usr/bin/env python3
"""A class logs in at the start of a lecture: K simulated students on the course's JupyterHub, on this machine.

    .venv/bin/python hub/loadtest.py --students 10 [--lesson notebooks/02-vanishing-gradient.ipynb]
                                     [--json results.json] [--state DIR] [--cell-timeout 300]

Each student, in a thread of their own and all at once, does what a browser would do:
  1. logs in through the hub's login form (dummy authenticator) and asks the Hub's REST API for a token;
  2. starts their server through the Hub API and waits until it is ready (time to a running server);
  3. opens a `java` kernel through the proxy: the server's REST API, then the kernel's websocket;
  4. runs the lesson's code cells in order over that websocket, timing each cell from request to reply;
  5. submits: saves the executed notebook into their home (submissions/) through the server's contents API;
  6. stops their server through the Hub API.
Meanwhile every student's processes (found by JUPYTERHUB_USER in their environment) are sampled for resident
memory and CPU time twice a second. At the end the hub is stopped, and the kernel JVMs still alive are counted: after the
servers stopped, and after the hub stopped. The report: time to a running server, per-cell time p50 and p95
across students, peak memory per student, failures, leftovers. It starts its own hub (hub/hub.py) in a
temporary folder and stops by itself; every request and cell has a timeout.
"""
import argparse
import datetime
import json
import os
import pathlib
import statistics
import sys
import tempfile
import threading
import time
import uuid

import nbformat
import psutil
import requests
import websocket

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import hub as hubmod  # noqa: E402

ROOT = HERE.parent
LESSON = ROOT / "notebooks" / "02-vanishing-gradient.ipynb"
HTTP_TIMEOUT = 120


def percentile(values, q):
    """The q-th percentile (0..100) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Student:
    """One student's browser session: cookies, then an API token, then their server and one kernel."""

    def __init__(self, hub_url, name, password, lesson, cell_timeout):
        self.hub_url = hub_url
        self.name = name
        self.password = password
        self.lesson = lesson
        self.cell_timeout = cell_timeout
        self.http = requests.Session()
        self.token = None
        self.server_seconds = None
        self.cell_seconds = []
        self.failure = None
        self.submitted = None
        self.kernel_id = None

    # -- the hub
    def login(self):
        page = self.http.get(f"{self.hub_url}/hub/login", timeout=HTTP_TIMEOUT)
        page.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf")
        answer = self.http.post(f"{self.hub_url}/hub/login?next=", timeout=HTTP_TIMEOUT, allow_redirects=False,
                                data={"username": self.name, "password": self.password, "_xsrf": xsrf})
        if answer.status_code != 302:
            raise RuntimeError(f"login answered {answer.status_code}, not a redirect: {answer.text[:200]}")
        xsrf = self.http.cookies.get("_xsrf")           # the hub issues a new one bound to the login session
        made = self.http.post(f"{self.hub_url}/hub/api/users/{self.name}/tokens", timeout=HTTP_TIMEOUT,
                              headers={"X-XSRFToken": xsrf}, json={"note": "load test", "expires_in": 3600})
        made.raise_for_status()
        self.token = made.json()["token"]
        self.http.headers["Authorization"] = f"token {self.token}"

    def start_server(self, timeout):
        started = time.monotonic()
        answer = self.http.post(f"{self.hub_url}/hub/api/users/{self.name}/server", timeout=HTTP_TIMEOUT)
        if answer.status_code not in (201, 202):
            raise RuntimeError(f"starting the server answered {answer.status_code}: {answer.text[:200]}")
        while time.monotonic() - started < timeout:
            model = self.http.get(f"{self.hub_url}/hub/api/users/{self.name}", timeout=HTTP_TIMEOUT).json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                self.server_seconds = time.monotonic() - started
                return
            if not server and time.monotonic() - started > 5:
                raise RuntimeError(f"the server stopped while starting: {model}")
            time.sleep(0.25)
        raise RuntimeError(f"the server was not ready within {timeout} s")

    def stop_server(self):
        answer = self.http.delete(f"{self.hub_url}/hub/api/users/{self.name}/server", timeout=HTTP_TIMEOUT)
        if answer.status_code not in (202, 204):
            raise RuntimeError(f"stopping the server answered {answer.status_code}: {answer.text[:200]}")
        deadline = time.monotonic() + HTTP_TIMEOUT
        while time.monotonic() < deadline:
            model = self.http.get(f"{self.hub_url}/hub/api/users/{self.name}", timeout=HTTP_TIMEOUT).json()
            if not model.get("servers"):
                return
            time.sleep(0.25)
        raise RuntimeError("the server did not stop within the HTTP timeout")

    # -- the student's server, through the proxy
    @property
    def server(self):
        return f"{self.hub_url}/user/{self.name}"

    def start_kernel(self):
        answer = self.http.post(f"{self.server}/api/kernels", json={"name": "java"}, timeout=HTTP_TIMEOUT)
        answer.raise_for_status()
        self.kernel_id = answer.json()["id"]
        return self.kernel_id

    def connect(self):
        ws_url = self.server.replace("http", "ws", 1) + \
            f"/api/kernels/{self.kernel_id}/channels?session_id={uuid.uuid4().hex}"
        return websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"],
                                           timeout=self.cell_timeout)

    def execute(self, ws, code):
        """Runs one cell over the websocket; returns (seconds, reply content, outputs as nbformat outputs)."""
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                       "session": uuid.uuid4().hex, "version": "5.3",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        started = time.monotonic()
        reply, idle, outputs = None, False, []
        ws.settimeout(1.0)      # short reads, so the cell's deadline holds although the server pings the socket
        while reply is None or not idle:
            if time.monotonic() - started > self.cell_timeout:
                raise TimeoutError(f"a cell ran longer than {self.cell_timeout} s")
            try:
                msg = json.loads(ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if msg["channel"] == "shell" and kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(nbformat.v4.output_from_msg(msg))
        return time.monotonic() - started, reply, outputs

    def run_lesson(self):
        nb = nbformat.read(str(self.lesson), as_version=4)
        ws = self.connect()
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                seconds, reply, outputs = self.execute(ws, cell.source)
                self.cell_seconds.append((index, seconds))
                cell.outputs = outputs
                cell.execution_count = reply.get("execution_count")
                if reply.get("status") != "ok":
                    raise RuntimeError(f"cell {index} ended in {reply.get('ename')}: {reply.get('evalue')}")
        finally:
            ws.close()
        return nb

    def submit(self, nb):
        """Saves the notebook as submissions/LESSON.ipynb in the student's home, as a browser's save does."""
        self.http.put(f"{self.server}/api/contents/submissions", timeout=HTTP_TIMEOUT,
                      json={"type": "directory"}).raise_for_status()
        path = f"submissions/{self.lesson.name}"
        self.http.put(f"{self.server}/api/contents/{path}", timeout=HTTP_TIMEOUT,
                      json={"type": "notebook", "format": "json", "content": nb}).raise_for_status()
        self.submitted = path

    def lecture(self, server_timeout):
        """The whole session; a failure is recorded, never raised, and the server is stopped in any case."""
        try:
            self.login()
            self.start_server(server_timeout)
            self.start_kernel()
            self.submit(self.run_lesson())
        except Exception as e:  # noqa: BLE001 -- a student's failure is a result of the load test
            self.failure = f"{type(e).__name__}: {e}"
        finally:
            if self.token:
                try:
                    self.stop_server()
                except Exception as e:  # noqa: BLE001
                    self.failure = self.failure or f"stopping the server: {type(e).__name__}: {e}"


def processes_by_student():
    """{student: [psutil.Process]} for every process whose environment names a hub user (server and kernel)."""
    found = {}
    for p in psutil.process_iter(["pid"]):
        try:
            user = p.environ().get("JUPYTERHUB_USER")
        except (psutil.Error, OSError):
            continue
        if user:
            found.setdefault(user, []).append(p)
    return found


def kernel_jvms(hub):
    """The live JVMs running this hub's kernel (their command line names the jar in the hub's kernel prefix)."""
    jar = str(hub.kernel_prefix / "share" / "jupyter" / "kernels" / "java" / "rnnlab-kernel.jar")
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            if jar in (p.info["cmdline"] or []):
                found.append(p.pid)
        except psutil.Error:
            continue
    return found


class MemorySampler(threading.Thread):
    """Samples each student's total resident memory (server + kernel) and the kernel's alone, twice a second."""

    def __init__(self, interval=0.5):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_total = {}
        self.peak_kernel = {}
        self.cpu_seconds = {}        # CPU time used by the student's live processes (cumulative, so its maximum)
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            for user, procs in processes_by_student().items():
                total = kernel = 0
                cpu = 0.0
                for p in procs:
                    try:
                        rss = p.memory_info().rss
                        times = p.cpu_times()
                        total += rss
                        cpu += times.user + times.system
                        if "rnnlab-kernel.jar" in " ".join(p.cmdline()):
                            kernel += rss
                    except psutil.Error:
                        continue
                self.cpu_seconds[user] = max(self.cpu_seconds.get(user, 0.0), cpu)
                self.peak_total[user] = max(self.peak_total.get(user, 0), total)
                self.peak_kernel[user] = max(self.peak_kernel.get(user, 0), kernel)
            self.done.wait(self.interval)


def lecture(hub, students, lesson=LESSON, cell_timeout=300, server_timeout=300, names="student"):
    """K students on a running hub, all at once; returns (students, memory sampler, wall seconds, kernel JVMs
    still alive after every server stopped, notebooks found submitted in the homes)."""
    sampler = MemorySampler()
    class_ = [Student(hub.url, f"{names}{i + 1:02d}", hub.password, pathlib.Path(lesson), cell_timeout)
              for i in range(students)]
    sampler.start()
    try:
        started = time.monotonic()
        threads = [threading.Thread(target=s.lecture, args=(server_timeout,)) for s in class_]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
    finally:
        sampler.done.set()
        sampler.join()
    time.sleep(2)                        # a kernel whose server stopped has a second to notice
    after_stop = kernel_jvms(hub)
    submissions = sum(1 for s in class_ if s.submitted and (hub.home(s.name) / s.submitted).is_file())
    return class_, sampler, wall, after_stop, submissions


def run(students, lesson=LESSON, state=None, cell_timeout=300, server_timeout=300, mem_limit="1G", log=print):
    """Runs the load test on a hub of its own, then stops the hub; returns the results as a dict (report())."""
    with tempfile.TemporaryDirectory(prefix="rnnlab-loadtest-") as tmp:
        hub = hubmod.Hub(state or pathlib.Path(tmp) / "state", mem_limit=mem_limit)
        log(f"starting a hub for {students} students ...")
        hub.start()
        try:
            class_, sampler, wall, after_stop, submissions = lecture(hub, students, lesson, cell_timeout,
                                                                     server_timeout)
        finally:
            hub.stop()
        time.sleep(2)
        after_hub = kernel_jvms(hub)
    return report(class_, sampler, wall, after_stop, after_hub, submissions)


def report(class_, sampler, wall, after_stop, after_hub, submissions):
    mib = 1024 * 1024
    per_cell = {}
    for s in class_:
        for index, seconds in s.cell_seconds:
            per_cell.setdefault(index, []).append(seconds)
    every = [x for xs in per_cell.values() for x in xs]
    servers = [s.server_seconds for s in class_ if s.server_seconds is not None]
    totals = [sampler.peak_total.get(s.name, 0) / mib for s in class_]
    kernels = [sampler.peak_kernel.get(s.name, 0) / mib for s in class_]
    cpus = [sampler.cpu_seconds.get(s.name, 0.0) for s in class_]
    return {
        "students": len(class_),
        "cpus": os.cpu_count(),
        "wall_seconds": round(wall, 1),
        "server_seconds": {"p50": percentile(servers, 50), "p95": percentile(servers, 95),
                           "max": max(servers, default=float("nan"))},
        "cell_seconds_all": {"p50": percentile(every, 50), "p95": percentile(every, 95)},
        "cell_seconds": {str(i): {"p50": percentile(xs, 50), "p95": percentile(xs, 95)}
                         for i, xs in sorted(per_cell.items())},
        "lesson_seconds": {"p50": percentile([sum(x for _, x in s.cell_seconds) for s in class_], 50),
                           "max": max((sum(x for _, x in s.cell_seconds) for s in class_), default=0.0)},
        "peak_mib_per_student": {"p50": percentile(totals, 50), "max": max(totals, default=0.0)},
        "peak_kernel_mib": {"p50": percentile(kernels, 50), "max": max(kernels, default=0.0)},
        "cpu_seconds_per_student": {"p50": percentile(cpus, 50), "max": max(cpus, default=0.0)},
        "failures": {s.name: s.failure for s in class_ if s.failure},
        "submitted": submissions,
        "leftover_kernels_after_servers_stopped": len(after_stop),
        "leftover_kernels_after_hub_stopped": None if after_hub is None else len(after_hub),
    }


def print_report(r, out=sys.stdout):
    p = lambda d: f"p50 {d['p50']:.2f} s, p95 {d['p95']:.2f} s"  # noqa: E731
    print(f"\n{r['students']} students on {r['cpus']} CPUs, {r['wall_seconds']} s from login to the last "
          f"server stopped", file=out)
    print(f"  time to a running server   {p(r['server_seconds'])}, max {r['server_seconds']['max']:.2f} s", file=out)
    print(f"  time per cell (all cells)  {p(r['cell_seconds_all'])}", file=out)
    print(f"  whole lesson per student   p50 {r['lesson_seconds']['p50']:.1f} s, max {r['lesson_seconds']['max']:.1f} s",
          file=out)
    print(f"  peak memory per student    p50 {r['peak_mib_per_student']['p50']:.0f} MiB, max "
          f"{r['peak_mib_per_student']['max']:.0f} MiB (server + kernel; kernel alone p50 "
          f"{r['peak_kernel_mib']['p50']:.0f} MiB)", file=out)
    print(f"  CPU time per student       p50 {r['cpu_seconds_per_student']['p50']:.1f} s, max "
          f"{r['cpu_seconds_per_student']['max']:.1f} s (server + kernel)", file=out)
    print(f"  submitted                  {r['submitted']} of {r['students']}", file=out)
    print(f"  failures                   {len(r['failures'])}", file=out)
    for name, why in r["failures"].items():
        print(f"    {name}: {why}", file=out)
    print(f"  leftover kernel JVMs       {r['leftover_kernels_after_servers_stopped']} after the servers stopped, "
          f"{r['leftover_kernels_after_hub_stopped']} after the hub stopped", file=out)
    print("  per cell (index in the lesson): p50 / p95 seconds", file=out)
    print("   " + "  ".join(f"{i}: {d['p50']:.2f}/{d['p95']:.2f}" for i, d in r["cell_seconds"].items()), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", "-k", type=int, default=5)
    parser.add_argument("--lesson", default=str(LESSON))
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--state", help="the hub's state folder (default: a temporary one)")
    parser.add_argument("--cell-timeout", type=float, default=300)
    parser.add_argument("--mem-limit", default="1G")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    r = run(args.students, args.lesson, args.state, args.cell_timeout, mem_limit=args.mem_limit)
    print_report(r)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(r, indent=2) + "\n")
    return 1 if r["failures"] or r["leftover_kernels_after_hub_stopped"] else 0


if __name__ == "__main__":
    sys.exit(main())
