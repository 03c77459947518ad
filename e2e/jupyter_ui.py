"""What the two browser tests share: a Jupyter server on a copy of the lessons, headless Chromium, and the
scratch notebook whose cells both UIs run.

test_browser.py (the classic Notebook, nbclassic) and test_jupyterlab.py (JupyterLab 4) each start one
`JupyterServer` in their own scratch folder:

    server = JupyterServer("nbclassic", scratch).start()      # or "jupyterlab", with extra environment
    server.kernel_state("00-welcome.ipynb")                    # the state of THAT notebook's kernel
    server.close_sessions()                                     # the notebooks' sessions and kernels, closed
    server.stop()

The server runs on 127.0.0.1 with a random token, on a copy of notebooks/ (siblings symlinked, so the
lessons in the repository are never overwritten by an autosave), with the `java` kernel that the root
conftest.py installed (or a scratch install of the built jar when run outside pytest's conftest).
"""
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import sys
import time
import unittest
import urllib.error
import urllib.request
import zipfile

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "e2e" / "artifacts"
PY = sys.executable   # the venv's: nbclassic, jupyterlab, nbconvert
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
KERNEL_JAR = ROOT / "kernel" / "target" / "rnnlab-kernel-0.1.0.jar"
WELCOME = "00-welcome"
# The heavy lesson: the first that exists, by number (names may change while lessons are written).
HEAVY_PREFERENCE = ["02-", "05-", "03-", "07-", "06-", "04-", "01-"]
RUN_ALL_TIMEOUT = {"welcome": 180, "heavy": 420}
VIEW_WIDTH, VIEW_HEIGHT, MAX_SHOT_HEIGHT = 1280, 900, 12000

# The scratch notebook both UIs run cell by cell: a value to keep, a progress display, an endless loop to
# interrupt, the kept value read back, a completion and a signature to ask for.
SCRATCH_CELLS = [
    "int kept = 42;",
    'var bar = progress("training", 4);\njava.util.function.IntConsumer callback = bar;\n'
    "for (int i = 1; i <= 4; i++) { Thread.sleep(500); callback.accept(i); }",
    "while (true) { }",
    "kept * 2",
    "Integer.MAX_VAL",
    "Math.max(1, 2)",
]
KEPT, PROGRESS, LOOP, READ_BACK, COMPLETE, INSPECT = range(len(SCRATCH_CELLS))
SIGNATURE = r"max\((int|long|float|double) a, (int|long|float|double) b\)"
SCRATCH_NAME = "scratch"

# Watches a cell's output area (arguments[0]) and notes every state it shows: how many outputs (elements
# matching arguments[1]) and their text. A display updated in place shows one output whose text changes; a
# display that appends shows more outputs.
WATCH_OUTPUT_JS = """
    var box = arguments[0], sel = arguments[1];
    window.rnnlabSeen = [];
    var note = function () {
        var n = box.querySelectorAll(sel).length, t = box.innerText.trim();
        var last = window.rnnlabSeen[window.rnnlabSeen.length - 1];
        if (!last || last.outputs !== n || last.text !== t) { window.rnnlabSeen.push({outputs: n, text: t}); }
    };
    if (window.rnnlabObserver) { window.rnnlabObserver.disconnect(); }
    window.rnnlabObserver = new MutationObserver(note);
    window.rnnlabObserver.observe(box, {childList: true, subtree: true, characterData: true, attributes: true});
"""


def check_progress(test, seen):
    """The progress cell's output as it changed (WATCH_OUTPUT_JS): never more than one output, at least two
    different steps shown in it (so it was updated, not written once at the end), the last 4/4."""
    steps = [s["text"] for s in seen if s["outputs"] == 1 and "/4" in s["text"]]
    test.assertTrue(steps, f"the progress display never showed: {seen}")
    test.assertEqual(1, max(s["outputs"] for s in seen), f"the progress display appended outputs: {seen}")
    test.assertIn("4/4", steps[-1], f"the progress display did not end at 4/4: {seen}")
    shown = {t.split("/4")[0][-1] for t in steps}
    test.assertGreaterEqual(len(shown), 2, f"the progress display showed one state only, not updated: {seen}")


def log(msg):
    print(f"  {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heavy_lesson():
    wanted = os.environ.get("E2E_HEAVY")
    if wanted:
        return wanted if (ROOT / "notebooks" / f"{wanted}.ipynb").exists() else None
    for prefix in HEAVY_PREFERENCE:
        found = sorted((ROOT / "notebooks").glob(f"{prefix}*.ipynb"))
        if found:
            return found[0].stem
    return None


def stored_expectations(path):
    """What the stored (executed) notebook shows: code cells, images, HTML tables."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = images = tables = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        code += 1
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data:
                images += 1
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if "<table" in html:
                tables += 1
    return {"code_cells": code, "images": images, "tables": tables}


def stored_markdown_images(path):
    """Images (figures) in the markdown cells of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    n = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            n += src.count("<img") + src.count("![")
    return n


def write_scratch_notebook(folder, name):
    nb = {"cells": [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None,
                     "id": f"c{i}"} for i, s in enumerate(SCRATCH_CELLS)],
          "metadata": {"kernelspec": {"name": "java", "display_name": "Java (RNN Lab)", "language": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    (folder / f"{name}.ipynb").write_text(json.dumps(nb))


def need_chromium():
    for p in (CHROMIUM, CHROMEDRIVER):
        if not os.access(p, os.X_OK):
            raise unittest.SkipTest(f"{p} is missing: apt-get install chromium chromium-driver")


def chrome(scratch):
    """Headless Debian Chromium through its chromedriver, with a profile in the scratch folder."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--hide-scrollbars", f"--window-size={VIEW_WIDTH},{VIEW_HEIGHT}",
                 f"--user-data-dir={scratch / 'chromium-profile'}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(90)
    log(f"browser: {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}")
    return driver


def open_browser(prefix):
    """What a browser test module starts with: Chromium checked, a scratch folder (Jupyter's dirs, the notebook
    copy, Chromium's profile) and the artifacts folder made, Chromium started; returns (scratch, driver)."""
    need_chromium()
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return scratch, chrome(scratch)


def close_browser(driver, scratch):
    """Quits Chromium and removes the scratch folder of open_browser; either may be None (a failed start)."""
    if driver is not None:
        driver.quit()
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


def full_page_screenshot(driver, path, content_height_js):
    """Resizes the window to the content's height (capped), saves a PNG, restores the window. A screenshot is
    evidence, not the test: if the renderer is too slow for a tall one (a loaded machine), it says so and
    keeps the viewport instead."""
    height = int(driver.execute_script(content_height_js) or VIEW_HEIGHT)
    height = max(VIEW_HEIGHT, min(height, MAX_SHOT_HEIGHT))
    try:
        driver.set_window_size(VIEW_WIDTH, height)
        time.sleep(0.8)  # let the page re-layout (the notebook resizes #site on window resize)
        driver.save_screenshot(str(path))
        log(f"screenshot {path.relative_to(ROOT)} ({VIEW_WIDTH}x{height})")
    except WebDriverException as e:
        log(f"full-page screenshot {path.name} failed ({e.msg.strip().splitlines()[0]}); saving the viewport")
        driver.set_window_size(VIEW_WIDTH, VIEW_HEIGHT)
        time.sleep(0.5)
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(VIEW_WIDTH, VIEW_HEIGHT)
        time.sleep(0.3)


def screenshot(driver, name):
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    log(f"screenshot {path.relative_to(ROOT)}")


def kernel_env(scratch):
    """The environment for the server: a `java` kernel from JUPYTER_PATH, or a scratch install of the built jar;
    Jupyter's data, runtime and config folders in the scratch folder."""
    env = dict(os.environ)
    for d in filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep)):
        if (pathlib.Path(d) / "kernels" / "java" / "kernel.json").exists():
            log(f"kernel: java from JUPYTER_PATH {d}")
            break
    else:
        if not KERNEL_JAR.exists():
            raise AssertionError(f"{KERNEL_JAR} is missing: build it (mvn -B -ntp -q package -DskipTests)")
        prefix = scratch / "kernel"
        started = time.monotonic()
        for attempt in range(3):  # a jar caught between Maven's jar and shade steps fails; take it again
            jar = snapshot_jar(scratch)
            p = subprocess.run(["java", "-jar", str(jar), "install", "--prefix", str(prefix)],
                               capture_output=True, text=True)
            if p.returncode == 0:
                break
            log(f"kernel install failed (attempt {attempt + 1}): {(p.stderr or p.stdout).strip()[:300]}")
            time.sleep(20)
        else:
            raise AssertionError("the kernel does not install from " + str(KERNEL_JAR))
        log(f"kernel: installed into {prefix} in {time.monotonic() - started:.1f} s")
        env["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    env["JUPYTER_DATA_DIR"] = str(scratch / "data")
    env["JUPYTER_RUNTIME_DIR"] = str(scratch / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(scratch / "config")
    env.pop("JUPYTER_TOKEN", None)
    return env


def snapshot_jar(scratch):
    """A copy of the built kernel jar that a rebuild cannot change under the installer (Maven may be rewriting
    kernel/target while the tests run); retried until the copy is a complete jar."""
    target = scratch / KERNEL_JAR.name
    for attempt in range(10):
        shutil.copy2(KERNEL_JAR, target)
        try:
            with zipfile.ZipFile(target) as z:
                if z.testzip() is None and "META-INF/MANIFEST.MF" in z.namelist():
                    return target
        except zipfile.BadZipFile:
            pass
        time.sleep(6)
    raise AssertionError(f"{KERNEL_JAR} stayed incomplete for a minute (a build writing it?)")


def notebook_copy(scratch):
    """scratch/repo: notebooks/ copied, every other top-level entry symlinked (relative paths keep working)."""
    repo = scratch / "repo"
    repo.mkdir()
    for entry in ROOT.iterdir():
        if entry.name == "notebooks":
            shutil.copytree(entry, repo / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        elif entry.name != ".git":
            (repo / entry.name).symlink_to(entry)
    return repo / "notebooks"


def proc_status(pid, field):
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


class JupyterServer:
    """One Jupyter server (`python -m nbclassic` or `python -m jupyterlab`) from .venv on a copy of the lessons.

    Kernel states are read per notebook, from the server's sessions: a page may hold more than one notebook
    (JupyterLab restores the documents of its workspace), and 'the' kernel of the server is then a guess."""

    def __init__(self, app, scratch, env=None, args=()):
        self.app, self.scratch = app, scratch
        self.env = kernel_env(scratch)
        self.env.update(env or {})
        self.args = list(args)
        self.proc = None

    def start(self, timeout=90):
        self.nbdir = notebook_copy(self.scratch)
        self.port, self.token = free_port(), secrets.token_hex(16)
        cmd = [PY, "-m", self.app, "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.nbdir}",
               "--ServerApp.port_retries=0", *self.args]
        if os.getuid() == 0:
            cmd.append("--allow-root")
        self.log_path = self.scratch / f"{self.app}-server.log"
        self.log_file = open(self.log_path, "w")
        started = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{self.app} did not start:\n" + self.log_path.read_text())
            time.sleep(0.3)
        log(f"server: {self.app} on 127.0.0.1:{self.port} (token) up in {time.monotonic() - started:.1f} s")
        return self

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, path, method="GET", token=True):
        req = urllib.request.Request(self.url(path) if token else f"{self.base}{path}", method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def refuses_without_token(self):
        try:
            self.api("/api/kernels", token=False)
            return False
        except urllib.error.HTTPError as e:
            return e.code == 403

    def sessions(self):
        return self.api("/api/sessions")

    def kernel_state(self, path):
        """The execution state of the kernel of the notebook at `path` (relative to the lessons' folder);
        'none' when that notebook has no session."""
        for s in self.sessions():
            if s.get("path") == path and s.get("kernel"):
                return s["kernel"]["execution_state"]
        return "none"

    def kernel_pids(self):
        """Java kernel processes started by the server (its children running the kernel jar)."""
        out = subprocess.run(["ps", "-ww", "-o", "pid=,args=", "--ppid", str(self.proc.pid)], capture_output=True,
                             text=True).stdout
        return [int(l.split()[0]) for l in out.splitlines() if "rnnlab-kernel" in l]

    def close_sessions(self):
        """Every notebook's session closed and its kernel shut down, through the server (as closing a tab and
        choosing 'shut down kernel' does), and then every kernel left without a session: one student, one
        kernel, so the next notebook starts alone."""
        try:
            for s in self.sessions():
                self.api(f"/api/sessions/{s['id']}", method="DELETE")
            for k in self.api("/api/kernels"):
                self.api(f"/api/kernels/{k['id']}", method="DELETE")
        except OSError as e:
            log(f"could not shut the kernels down through the server: {e}")

    def stop(self):
        if self.proc is None:
            return
        pids = self.kernel_pids()
        self.close_sessions()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pid in pids:  # a kernel the server failed to stop
            if pathlib.Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
        self.log_file.close()
