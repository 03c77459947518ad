#!/usr/bin/env python3
"""Starts the course's JupyterHub on this machine, for a demo, a small class, the tests and the load test.

    .venv/bin/python hub/hub.py start [--port 8000] [--ip 127.0.0.1] [--state hub/state] [--mem-limit 1G]
                                      [--cpu-limit 1] [--cull-timeout 3600] [--kernel-cull-timeout 1200]
                                      [--lessons DIR] [--password rnnlab] [--admin NAME]

It prepares what hub/jupyterhub_config.py expects, then runs JupyterHub in the foreground until Ctrl-C:
  - configurable-http-proxy from npm, installed by `npm ci` into hub/node_modules (git-ignored) when missing;
  - the project's `java` kernelspec, installed from kernel/target (build it first: ./rnnlab test, or
    mvn -B -ntp -q package -DskipTests) into STATE/prefix with the heap as 75% of the memory limit;
  - free ports for the hub's and the proxy's internal APIs.
Then open http://IP:PORT and log in with any user name and the password (dummy authenticator: a demo on
127.0.0.1 only; hub/README.md says how to use the university's login).

`Hub` is the same thing as a Python object: the tests and hub/loadtest.py start and stop hubs with it.
"""
import argparse
import hashlib
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HUB_DIR = pathlib.Path(__file__).resolve().parent
ROOT = HUB_DIR.parent
KERNEL_JAR = ROOT / "kernel" / "target" / "rnnlab-kernel-0.1.0.jar"
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = HUB_DIR / "jupyterhub_config.py"
HEAP_SHARE = "75%"


class HubError(RuntimeError):
    """Something the hub needs is missing or the hub did not come up; the message says what to do."""


def ensure_proxy():
    """Installs configurable-http-proxy (pinned in hub/package-lock.json) into hub/node_modules if missing."""
    if PROXY.exists():
        return PROXY
    npm = shutil.which("npm")
    if npm is None:
        raise HubError("JupyterHub needs configurable-http-proxy from npm, and npm is missing. Debian, Ubuntu: "
                       "sudo apt-get install npm   (./rnnlab test installs it as root), then run this again")
    subprocess.run([npm, "ci", "--prefix", str(HUB_DIR), "--no-audit", "--no-fund", "--loglevel=error"],
                   check=True)
    if not PROXY.exists():
        raise HubError(f"npm ci ran but {PROXY} is not there; see npm's output above")
    return PROXY


def _sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def install_kernel(prefix, java=None):
    """Installs the built kernel as the kernelspec `java` in PREFIX, its heap 75% of the memory it is given;
    skipped when that very jar is installed there already (the install records a class-data archive: ~10 s)."""
    if not KERNEL_JAR.is_file():
        raise HubError(f"{KERNEL_JAR.relative_to(ROOT)} is missing: build it first "
                       "(mvn -B -ntp -q package -DskipTests, or ./rnnlab test)")
    spec = pathlib.Path(prefix) / "share" / "jupyter" / "kernels" / "java"
    installed = spec / "rnnlab-kernel.jar"
    if installed.is_file() and (spec / "kernel.json").is_file() and _sha256(installed) == _sha256(KERNEL_JAR):
        return spec
    java = java or os.environ.get("JAVA") or shutil.which("java") or "java"
    subprocess.run([java, "-jar", str(KERNEL_JAR), "install", "--prefix", str(prefix), "--name", "java",
                    "--heap", HEAP_SHARE], check=True, stdout=subprocess.DEVNULL)
    return spec


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """One JupyterHub process on 127.0.0.1 with the course configuration; `with Hub(state) as hub:` starts it,
    waits until its API answers, and stops it (SIGTERM: the hub stops every student's server) on exit."""

    def __init__(self, state, *, port=None, ip="127.0.0.1", mem_limit="1G", cpu_limit=1, cull_timeout=3600,
                 kernel_cull_timeout=1200, lessons=None, password="rnnlab", admins=(), maven_repo=None,
                 kernel_prefix=None, log=None):
        self.state = pathlib.Path(state).resolve()
        self.kernel_prefix = pathlib.Path(kernel_prefix).resolve() if kernel_prefix else self.state / "prefix"
        self.ip = ip
        self.port = port or free_port()
        self.password = password
        self.env = dict(os.environ)
        # The pytest session's JUPYTER_* variables point into its scratch prefix; the hub has its own.
        for name in ("JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR"):
            self.env.pop(name, None)
        self.env.update({
            "RNNLAB_HUB_STATE": str(self.state),
            "RNNLAB_HUB_KERNEL_PREFIX": str(self.kernel_prefix),
            "RNNLAB_HUB_IP": ip,
            "RNNLAB_HUB_PORT": str(self.port),
            "RNNLAB_HUB_INTERNAL_PORT": str(free_port()),
            "RNNLAB_HUB_PROXY_API_PORT": str(free_port()),
            "RNNLAB_HUB_PROXY": str(PROXY),
            "RNNLAB_HUB_MEM_LIMIT": str(mem_limit),
            "RNNLAB_HUB_CPU_LIMIT": str(cpu_limit),
            "RNNLAB_HUB_CULL_TIMEOUT": str(cull_timeout),
            "RNNLAB_HUB_KERNEL_CULL_TIMEOUT": str(kernel_cull_timeout),
            "RNNLAB_HUB_AUTH": "dummy",
            "RNNLAB_HUB_DUMMY_PASSWORD": password,
            "RNNLAB_HUB_ADMINS": ",".join(admins),
        })
        if lessons is not None:
            self.env["RNNLAB_HUB_LESSONS"] = str(lessons)
        if maven_repo is not None:
            self.env["RNNLAB_HUB_MAVEN_REPO"] = str(maven_repo)
        self.log_path = pathlib.Path(log) if log else self.state / "jupyterhub.log"
        self.process = None

    @property
    def url(self):
        return f"http://{self.ip}:{self.port}"

    def home(self, user):
        return self.state / "home" / user

    def start(self, timeout=120):
        self.state.mkdir(parents=True, exist_ok=True)
        ensure_proxy()
        install_kernel(self.kernel_prefix)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.state, env=self.env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub exited with status {self.process.returncode} while starting; "
                               f"its log: {self.log_path}\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/hub/api", timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        raise HubError(f"JupyterHub did not answer on {self.url}/hub/api within {timeout} s; log: {self.log_path}"
                       f"\n{self.log_tail()}")

    def stop(self, timeout=60):
        """SIGTERM, as systemd or Ctrl-C would: the hub stops every student's server, then exits."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            raise HubError(f"JupyterHub did not stop within {timeout} s of SIGTERM and was killed; "
                           f"log: {self.log_path}")

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start JupyterHub in the foreground (Ctrl-C stops it and every server)")
    start.add_argument("--ip", default="127.0.0.1", help="address students connect to (default 127.0.0.1)")
    start.add_argument("--port", type=int, default=8000)
    start.add_argument("--state", default=str(HUB_DIR / "state"), help="database, homes, kernel (hub/state)")
    start.add_argument("--mem-limit", default="1G", help="memory per student, e.g. 768M, 1G (default 1G)")
    start.add_argument("--cpu-limit", type=float, default=1, help="cores per student (default 1)")
    start.add_argument("--cull-timeout", type=int, default=3600, help="stop servers idle this many seconds")
    start.add_argument("--kernel-cull-timeout", type=int, default=1200, help="shut down kernels idle this long")
    start.add_argument("--lessons", help="folder copied into each new home as lessons/ (default notebooks/; "
                                         "'' for none)")
    start.add_argument("--maven-repo", help="the Maven repository every kernel reads (default ~/.m2/repository)")
    start.add_argument("--password", default="rnnlab", help="the dummy authenticator's password (demo only)")
    start.add_argument("--admin", action="append", default=[], help="a hub admin's user name (repeatable)")
    args = parser.parse_args(argv)
    hub = Hub(args.state, port=args.port, ip=args.ip, mem_limit=args.mem_limit, cpu_limit=args.cpu_limit,
              cull_timeout=args.cull_timeout, kernel_cull_timeout=args.kernel_cull_timeout, lessons=args.lessons,
              password=args.password, admins=args.admin, maven_repo=args.maven_repo)
    try:
        hub.start()
    except (HubError, subprocess.CalledProcessError) as e:
        print(f"hub.py: {e}", file=sys.stderr)
        return 1
    print(f"JupyterHub is running on {hub.url} (log: {hub.log_path}); log in with any user name and the "
          f"password '{args.password}'. Ctrl-C stops it and every student's server.", flush=True)
    try:
        hub.process.wait()
    except KeyboardInterrupt:
        print("stopping JupyterHub and every student's server ...", flush=True)
    finally:
        hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
