#!/usr/bin/env python3
"""The course in a real browser, as a student sees it.

Starts the classic Notebook UI (nbclassic on Jupyter Server, from the project's .venv) on 127.0.0.1 with a random
token and a scratch install of the `java` kernel, opens the welcome lesson and one heavy lesson in headless
Chromium (Debian's chromium and chromium-driver, driven by Selenium from .venv), restarts the kernel and runs every cell through the UI
(Kernel -> Restart & Run All, confirming the dialog), waits until no cell is busy and the kernel is idle, and
checks: no error (and no stderr) output, every output image loaded (naturalWidth > 0, as many as the stored
notebook holds), HTML tables rendered as <table>. And a cell that reads System.in: Notebook's input box appears
under the printed prompt, and what is typed is read. (The course as a book, the static pages: e2e/test_book.py.)

Screenshots (full page) go to e2e/artifacts/. The server runs on a copy of notebooks/ (siblings symlinked), so
the lessons in the repository are never overwritten by an autosave.

    .venv/bin/python -m pytest e2e/test_browser.py
    E2E_HEAVY=07-lstm-variants .venv/bin/python -m pytest e2e/test_browser.py     (choose the heavy lesson)

Uses JUPYTER_PATH's `java` kernel when one is there, else installs kernel/target/rnnlab-kernel-0.1.0.jar into
a scratch prefix (build it first: mvn -B -q install -DskipTests).
"""
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import zipfile

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "e2e" / "artifacts"
PY = sys.executable   # the venv's: nbclassic, nbconvert
CLASSIC = "/nbclassic"   # nbclassic's URLs when Notebook 7 is installed beside it
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
KERNEL_JAR = ROOT / "kernel" / "target" / "rnnlab-kernel-0.1.0.jar"
WELCOME = "00-welcome"
# The heavy lesson: the first that exists, by number (names may change while lessons are written).
HEAVY_PREFERENCE = ["02-", "05-", "03-", "07-", "06-", "04-", "01-"]
RUN_ALL_TIMEOUT = {"welcome": 180, "heavy": 420}
VIEW_WIDTH, VIEW_HEIGHT, MAX_SHOT_HEIGHT = 1280, 900, 12000

SCRATCH = None        # temp dir of this run: kernel prefix, Jupyter dirs, notebook copy, Chromium profile, site
DRIVER = None


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


def chrome():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--hide-scrollbars", f"--window-size={VIEW_WIDTH},{VIEW_HEIGHT}",
                 f"--user-data-dir={SCRATCH / 'chromium-profile'}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(90)
    return driver


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


def setUpModule():
    global SCRATCH, DRIVER
    for p in (CHROMIUM, CHROMEDRIVER):
        if not os.access(p, os.X_OK):
            raise unittest.SkipTest(f"{p} is missing: apt-get install chromium chromium-driver")
    SCRATCH = pathlib.Path(tempfile.mkdtemp(prefix="rnnlab-browser."))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    DRIVER = chrome()
    log(f"browser: {DRIVER.capabilities.get('browserName')} {DRIVER.capabilities.get('browserVersion')}")


def tearDownModule():
    if DRIVER is not None:
        DRIVER.quit()
    if SCRATCH is not None:
        shutil.rmtree(SCRATCH, ignore_errors=True)


def kernel_env():
    """The environment for the server: a `java` kernel from JUPYTER_PATH, or a scratch install of the built jar."""
    env = dict(os.environ)
    for d in filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep)):
        if (pathlib.Path(d) / "kernels" / "java" / "kernel.json").exists():
            log(f"kernel: java from JUPYTER_PATH {d}")
            break
    else:
        if not KERNEL_JAR.exists():
            raise AssertionError(f"{KERNEL_JAR} is missing: build it (mvn -B -q install -DskipTests)")
        prefix = SCRATCH / "kernel"
        started = time.monotonic()
        for attempt in range(3):  # a jar caught between Maven's jar and shade steps fails; take it again
            jar = snapshot_jar()
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
    env["JUPYTER_DATA_DIR"] = str(SCRATCH / "data")
    env["JUPYTER_RUNTIME_DIR"] = str(SCRATCH / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(SCRATCH / "config")
    env.pop("JUPYTER_TOKEN", None)
    return env


def snapshot_jar():
    """A copy of the built kernel jar that a rebuild cannot change under the installer (Maven may be rewriting
    kernel/target while the tests run); retried until the copy is a complete jar."""
    target = SCRATCH / KERNEL_JAR.name
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


def notebook_copy():
    """SCRATCH/repo: notebooks/ copied, every other top-level entry symlinked (relative paths keep working)."""
    repo = SCRATCH / "repo"
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


def kernel_pids(server_pid):
    """Java kernel processes started by the server (its children running the kernel jar)."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(server_pid)], capture_output=True, text=True).stdout
    return [int(l.split()[0]) for l in out.splitlines() if "rnnlab-kernel" in l]


class Lessons(unittest.TestCase):
    """Restart & Run All, through the UI, in a lesson opened from Jupyter's own URL."""

    @classmethod
    def setUpClass(cls):
        cls.server = None
        env = kernel_env()
        cls.nbdir = notebook_copy()
        cls.port, cls.token = free_port(), secrets.token_hex(16)
        cmd = [PY, "-m", "nbclassic", "--no-browser", "--ip=127.0.0.1", f"--port={cls.port}",
               f"--ServerApp.token={cls.token}", f"--ServerApp.root_dir={cls.nbdir}", "--ServerApp.port_retries=0"]
        if os.getuid() == 0:
            cmd.append("--allow-root")
        cls.server_log = open(SCRATCH / "server.log", "w")
        started = time.monotonic()
        cls.server = subprocess.Popen(cmd, env=env, stdout=cls.server_log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        cls.base = f"http://127.0.0.1:{cls.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{cls.base}/api/status?token={cls.token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if cls.server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the notebook server did not start:\n" + (SCRATCH / "server.log").read_text())
            time.sleep(0.3)
        log(f"server: notebook on 127.0.0.1:{cls.port} (token) up in {time.monotonic() - started:.1f} s")
        # The token is also checked: without it the server refuses the API.
        try:
            urllib.request.urlopen(f"{cls.base}/api/kernels", timeout=5)
            cls.refuses_without_token = False
        except urllib.error.HTTPError as e:
            cls.refuses_without_token = e.code == 403

    @classmethod
    def tearDownClass(cls):
        if cls.server is None:
            return
        pids = kernel_pids(cls.server.pid)
        cls.shutdown_kernels()  # the kernels through the server, then the server itself
        cls.server.send_signal(signal.SIGTERM)
        try:
            cls.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cls.server.kill()
            cls.server.wait()
        for pid in pids:  # a kernel the server failed to stop
            if pathlib.Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
        cls.server_log.close()

    @classmethod
    def shutdown_kernels(cls):
        try:
            with urllib.request.urlopen(f"{cls.base}/api/kernels?token={cls.token}", timeout=10) as r:
                for k in json.load(r):
                    urllib.request.urlopen(urllib.request.Request(
                        f"{cls.base}/api/kernels/{k['id']}?token={cls.token}", method="DELETE"), timeout=30)
        except OSError as e:
            log(f"could not shut the kernels down through the server: {e}")

    def test_0_server_needs_the_token(self):
        self.assertTrue(self.refuses_without_token, "the server answered /api/kernels without the token")

    def run_lesson(self, name, kind):
        path = ROOT / "notebooks" / f"{name}.ipynb"
        shutil.copy2(path, self.nbdir / path.name)  # the lesson as it is now (lessons are still being written)
        expect = stored_expectations(path)
        d = DRIVER
        self.open_notebook(name)

        # Kernel -> Restart & Run All, then confirm the dialog, as a student would.
        d.find_element(By.ID, "kernellink").click()
        WebDriverWait(d, 10).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#restart_run_all > a"))).click()
        confirm = WebDriverWait(d, 10).until(EC.element_to_be_clickable(
            (By.XPATH, "//div[contains(@class,'modal-footer')]/button[normalize-space()='Restart and Run All Cells']")))
        confirm.click()
        t1 = time.monotonic()
        state_js = """
            var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
            var prompts = cells.map(function (c) { return c.input_prompt_number; });
            return {cells: cells.length,
                    queued: prompts.filter(function (p) { return p === '*'; }).length,
                    numbered: prompts.filter(function (p) { return typeof p === 'number'; }).length,
                    running: document.querySelectorAll('.cell.running').length,
                    idle: document.getElementById('kernel_indicator_icon').className === 'kernel_idle_icon'};"""
        # First the cells are queued (restart done), then every one gets its number and the kernel goes idle.
        WebDriverWait(d, 90, poll_frequency=0.1).until(lambda drv: drv.execute_script(state_js)["queued"] > 0)
        stable_since = None
        deadline = t1 + RUN_ALL_TIMEOUT[kind]
        while True:
            s = d.execute_script(state_js)
            done = s["queued"] == 0 and s["running"] == 0 and s["idle"] and s["numbered"] == s["cells"]
            if done:
                stable_since = stable_since or time.monotonic()
                if time.monotonic() - stable_since >= 1.5:
                    break
            else:
                stable_since = None
            if time.monotonic() > deadline:
                self.screenshot(name, "timeout")
                self.fail(f"{name}: Restart & Run All did not finish in {RUN_ALL_TIMEOUT[kind]} s: {s}")
            time.sleep(0.25)
        run_seconds = time.monotonic() - t1 - 1.5
        time.sleep(0.5)  # let the last images decode

        found = d.execute_script("""
            var imgs = Array.from(document.querySelectorAll('#notebook-container .output_area img'));
            return {
              errors: Array.from(document.querySelectorAll('.output_error')).map(function (e) {
                  return e.innerText.slice(0, 300); }),
              stderr: Array.from(document.querySelectorAll('.output_stderr')).map(function (e) {
                  return e.innerText.slice(0, 300); }),
              images: imgs.length,
              broken: imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length,
              sizes: imgs.map(function (i) { return i.naturalWidth + 'x' + i.naturalHeight; }),
              tables: document.querySelectorAll('#notebook-container .output_html table').length,
              table_rows: Array.from(document.querySelectorAll('#notebook-container .output_html table'))
                  .map(function (t) { return t.rows.length; }),
              executed: Jupyter.notebook.get_cells().filter(function (c) {
                  return c.cell_type === 'code' && typeof c.input_prompt_number === 'number'; }).length};""")
        kernel_kib = [proc_status(pid, "VmHWM") for pid in kernel_pids(self.server.pid)]
        log(f"{name}: Restart & Run All took {run_seconds:.1f} s; {found['executed']}/{expect['code_cells']} code "
            f"cells executed; errors {len(found['errors'])}, stderr {len(found['stderr'])}; images "
            f"{found['images']} (stored {expect['images']}, broken {found['broken']}, sizes {found['sizes']}); "
            f"HTML tables {found['tables']} (stored {expect['tables']}, rows {found['table_rows']}); "
            f"kernel peak RSS {[f'{k / 1024:.0f} MiB' for k in kernel_kib if k]}")
        d.execute_script("document.getElementById('site').scrollTop = 0;")
        time.sleep(0.3)
        self.screenshot(name, "top")
        if found["images"]:
            d.execute_script("document.querySelector('#notebook-container .output_area img')"
                             ".scrollIntoView({block: 'center'});")
            time.sleep(0.3)
            self.screenshot(name, "chart")
        d.execute_script("document.getElementById('site').scrollTop = 0;")
        full_page_screenshot(d, ARTIFACTS / f"{name}-full.png",
                             "return document.getElementById('header').offsetHeight"
                             " + document.getElementById('notebook-container').scrollHeight + 40")

        self.shutdown_kernels()  # one student, one kernel: close this lesson's before the next opens

        self.assertEqual(found["errors"], [], f"{name}: error output in the browser")
        self.assertEqual(found["stderr"], [], f"{name}: stderr output in the browser")
        self.assertEqual(found["executed"], expect["code_cells"], f"{name}: not every code cell ran")
        self.assertEqual(found["broken"], 0, f"{name}: {found['broken']} images did not load (naturalWidth 0)")
        self.assertEqual(found["images"], expect["images"], f"{name}: the stored notebook shows "
                         f"{expect['images']} charts, the browser {found['images']}")
        self.assertEqual(found["tables"] > 0, expect["tables"] > 0, f"{name}: HTML tables stored "
                         f"{expect['tables']}, rendered {found['tables']}")
        return found, expect

    def open_notebook(self, name):
        """Opens notebooks/<name>.ipynb of the server's copy and waits until its kernel is connected and idle."""
        d = DRIVER
        t0 = time.monotonic()
        d.get(f"{self.base}{CLASSIC}/notebooks/{name}.ipynb?token={self.token}")
        wait = WebDriverWait(d, 120, poll_frequency=0.25)
        wait.until(lambda drv: drv.execute_script(
            "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded"
            " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())"))
        # No autosave: the server works on a copy, but a student's file should not change under the test either.
        d.execute_script("Jupyter.notebook.set_autosave_interval(0)")
        wait.until(lambda drv: drv.find_element(By.ID, "kernel_indicator_icon").get_attribute("class")
                   == "kernel_idle_icon")
        log(f"{name}: page and kernel ready in {time.monotonic() - t0:.1f} s")

    def screenshot(self, name, what):
        path = ARTIFACTS / f"{name}-{what}.png"
        DRIVER.save_screenshot(str(path))
        log(f"screenshot {path.relative_to(ROOT)}")

    def test_1_welcome_lesson(self):
        if not (ROOT / "notebooks" / f"{WELCOME}.ipynb").exists():
            self.fail(f"notebooks/{WELCOME}.ipynb is missing")
        found, expect = self.run_lesson(WELCOME, "welcome")
        self.assertGreater(found["images"], 0, "the welcome lesson shows a chart")
        self.assertGreater(found["tables"], 0, "the welcome lesson shows a table as HTML")

    def test_2_heavy_lesson(self):
        name = heavy_lesson()
        if name is None:
            self.skipTest("no heavy lesson exists yet (looked for " + ", ".join(p + "*" for p in HEAVY_PREFERENCE) + ")")
        log(f"heavy lesson: {name}")
        found, expect = self.run_lesson(name, "heavy")
        self.assertGreater(found["images"], 0, f"{name} shows no chart")

    def test_3_keyboard_input_through_the_input_box(self):
        """A cell reading System.in shows Notebook's input box under its prompt; what is typed there is read."""
        nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "ask", "metadata": {}, "outputs": [],
                         "source": 'System.out.print("Your name? ");\n'
                                   'var name = new java.util.Scanner(System.in).nextLine();\n'
                                   '"Hello, " + name + "!"'}],
              "metadata": {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}},
              "nbformat": 4, "nbformat_minor": 5}
        (self.nbdir / "keyboard-input.ipynb").write_text(json.dumps(nb))
        d = DRIVER
        self.open_notebook("keyboard-input")
        d.execute_script("Jupyter.notebook.execute_all_cells();")
        box = WebDriverWait(d, 60).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input.raw_input")))
        prompt = d.execute_script("return document.querySelector('.output_area .output_text').innerText")
        self.screenshot("keyboard-input", "asking")
        box.send_keys("Ada")
        box.send_keys(Keys.RETURN)
        result = WebDriverWait(d, 60).until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, ".output_area .output_subarea.output_result")))
        text = result.text
        self.screenshot("keyboard-input", "answered")
        self.shutdown_kernels()
        log(f"keyboard input: prompt {prompt!r}, result {text!r}")
        self.assertIn("Your name?", prompt, "the prompt printed before the read shows above the box")
        self.assertEqual(text, "Hello, Ada!")


if __name__ == "__main__":
    unittest.main(verbosity=2)
