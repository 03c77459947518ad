"""The course in JupyterLab 4 (the version pinned in requirements-dev.txt, from .venv), in headless Chromium.

What a student does in JupyterLab, through its UI, as test_browser.py does in the classic Notebook (the two
share jupyter_ui.py): Kernel -> Restart Kernel and Run All Cells… (confirming the dialog) on the welcome lesson
and on a heavy one, then: no error or stderr output, every cell numbered, every output image loaded
(naturalWidth > 0, as many as the stored notebook holds), HTML tables rendered, the figures (inline SVG data:
URIs in markdown cells) loaded. On the scratch notebook (jupyter_ui.SCRATCH_CELLS): a progress display updates
in place (one output whose text changes, ending at 4/4); the toolbar's interrupt button stops
`while (true) {}` and the kernel keeps its state; Tab after `Integer.MAX_VAL` offers (or inserts) MAX_VALUE;
Shift-Tab in `Math.max(1, 2)` shows a signature.

Every notebook opens in a workspace of its own (/lab/workspaces/NAME/tree/...), and each test closes its
notebook's session. JupyterLab otherwise restores the documents of its last workspace, and with them their
kernels: after the welcome lesson, opening lesson 02 started a second kernel for the welcome lesson beside
it, and a test that read "the" kernel's state read the wrong one.

JupyterLab's settings live in a scratch folder: notebook windowing off (so every cell is in the page), no news
or update checks (no network). Screenshots go to e2e/artifacts/lab-*.png (CI keeps that folder).

    .venv/bin/python -m pytest e2e/test_jupyterlab.py
"""
import json
import pathlib
import sys
import time
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import jupyter_ui as ui  # noqa: E402

ROOT = ui.ROOT
ARTIFACTS = ui.ARTIFACTS
DRIVER = None
SCRATCH = None
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
}


def log(msg):
    ui.log(msg)


def setUpModule():
    global DRIVER, SCRATCH
    SCRATCH, DRIVER = ui.open_browser("rnnlab-lab.")


def tearDownModule():
    ui.close_browser(DRIVER, SCRATCH)


class JupyterLab(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        import jupyterlab
        settings = SCRATCH / "lab-settings"
        for rel, value in LAB_SETTINGS.items():
            (settings / rel).parent.mkdir(parents=True, exist_ok=True)
            (settings / rel).write_text(json.dumps(value))
        cls.server = ui.JupyterServer("jupyterlab", SCRATCH, env={
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(SCRATCH / "lab-workspaces")})
        cls.server.start()
        cls.nbdir = cls.server.nbdir
        log(f"JupyterLab {jupyterlab.__version__}")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def tearDown(self):
        # Leave the page before its kernel goes, so that JupyterLab does not start another one for it.
        DRIVER.get("about:blank")
        self.server.close_sessions()

    # ---------------------------------------------------------------------------------------------- helpers

    def kernel_state(self):
        return self.server.kernel_state(f"{self.current}.ipynb")

    def ui_kernel_status(self):
        """The kernel status JupyterLab's own toolbar shows for the open notebook."""
        return DRIVER.execute_script(
            "var e = document.querySelector(arguments[0] + ' .jp-Notebook-ExecutionIndicator');"
            " return e ? e.getAttribute('data-status') : null;", PANEL)

    def shot(self, name):
        ui.screenshot(DRIVER, f"lab-{name}")

    def open(self, name):
        """Opens notebooks/NAME.ipynb of the server's copy in a workspace of its own, and waits until the page
        shows its cells and ITS kernel is idle, both for the server and in JupyterLab's toolbar."""
        d = DRIVER
        self.current = name
        t0 = time.monotonic()
        d.get(self.server.url(f"/lab/workspaces/{name}/tree/{name}.ipynb"))
        wait = WebDriverWait(d, 120, poll_frequency=0.25)
        wait.until(lambda drv: drv.execute_script(
            "return document.querySelectorAll(arguments[0] + ' .jp-Cell').length > 0", PANEL))
        wait.until(lambda _: self.kernel_state() == "idle" and self.ui_kernel_status() == "idle")
        open_notebooks = [s["path"] for s in self.server.sessions()]
        log(f"{name}: JupyterLab page and kernel ready in {time.monotonic() - t0:.1f} s; sessions {open_notebooks}")
        self.assertEqual([f"{name}.ipynb"], open_notebooks, "one notebook, one kernel: the page opened others")

    def menu(self, top, item):
        d = DRIVER
        d.find_element(By.XPATH, f"//li[contains(@class,'lm-MenuBar-item')][.//*[normalize-space()='{top}']]").click()
        WebDriverWait(d, 10).until(EC.element_to_be_clickable((By.XPATH,
            f"//li[contains(@class,'lm-Menu-item')][.//*[starts-with(normalize-space(), '{item}')]]"))).click()

    def prompts(self):
        return DRIVER.execute_script("""
            return Array.from(document.querySelectorAll(arguments[0] + ' .jp-CodeCell'))
                .map(function (c) { var p = c.querySelector('.jp-InputArea-prompt');
                                    return p ? p.textContent.replace(/[:\\s]/g, '') : ''; });   // '[3]:' -> '[3]'""", PANEL)

    def wait_all_run(self, name, timeout, count):
        """Until no cell shows [*] and the kernel is idle, steadily for 2 s. (Cells folded away, such as a worked
        solution, show no prompt; that every cell ran is read from the saved notebook afterwards.)"""
        deadline = time.monotonic() + timeout
        stable = None
        while True:
            p = self.prompts()
            done = len(p) == count and "[*]" not in p and any(x[1:-1].isdigit() for x in p) \
                and self.kernel_state() == "idle"
            if done:
                stable = stable or time.monotonic()
                if time.monotonic() - stable > 2:
                    return
            else:
                stable = None
            if time.monotonic() > deadline:
                self.shot(f"{name}-timeout")
                self.fail(f"{name}: Run All did not finish in {timeout} s; prompts {p}")
            time.sleep(0.3)

    def restart_and_run_all(self, name, kind):
        path = ROOT / "notebooks" / f"{name}.ipynb"
        expect = ui.stored_expectations(path)
        figures = ui.stored_markdown_images(path)
        self.open(name)
        t1 = time.monotonic()
        self.menu("Kernel", "Restart Kernel and Run All")
        WebDriverWait(DRIVER, 20).until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"))).click()
        WebDriverWait(DRIVER, 90, poll_frequency=0.2).until(lambda d: any(x == "[*]" for x in self.prompts()))
        self.wait_all_run(name, ui.RUN_ALL_TIMEOUT[kind], expect["code_cells"])
        seconds = time.monotonic() - t1
        saved = self.nbdir / f"{name}.ipynb"
        deadline = time.monotonic() + 90     # a folded cell shows no [*]: save until it has its number too
        while True:
            before = saved.stat().st_mtime
            ActionChains(DRIVER).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()   # Save
            WebDriverWait(DRIVER, 30, poll_frequency=0.3).until(lambda _: saved.stat().st_mtime != before)
            time.sleep(1)
            unrun = [i for i, c in enumerate(json.loads(saved.read_text(encoding="utf-8"))["cells"])
                     if c["cell_type"] == "code" and not isinstance(c.get("execution_count"), int)]
            if not unrun or time.monotonic() > deadline:
                break
            time.sleep(3)
        seconds = time.monotonic() - t1
        found = DRIVER.execute_script("""
            var nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
            var out = Array.from(nb.querySelectorAll('.jp-OutputArea-output img'));
            var md = Array.from(nb.querySelectorAll('.jp-MarkdownOutput img'));
            var ok = function (i) { return i.complete && i.naturalWidth > 0; };
            return {
              stderr: Array.from(nb.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]'))
                  .map(function (e) { return e.innerText.slice(0, 300); }),
              images: out.length, broken: out.filter(function (i) { return !ok(i); }).length,
              figures: md.length, broken_figures: md.filter(function (i) { return !ok(i); })
                  .map(function (i) { return i.src.slice(0, 60); }),
              svg_figures: md.filter(function (i) { return i.src.startsWith('data:image/svg'); }).length,
              tables: nb.querySelectorAll('.jp-OutputArea-output table').length};""")
        log(f"{name}: Restart Kernel and Run All Cells took {seconds:.1f} s; {found}; stored: {expect}, "
            f"{figures} markdown images")
        DRIVER.execute_script("document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer,"
                              " .jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').scrollTop = 0")
        self.shot(f"{name}-top")
        if found["images"]:
            DRIVER.execute_script("document.querySelector('.jp-OutputArea-output img').scrollIntoView({block:'center'})")
            time.sleep(0.3)
            self.shot(f"{name}-chart")
        self.assertEqual([], unrun, f"{name}: code cells that Run All did not run (saved notebook)")
        self.assertEqual([], found["stderr"], f"{name}: error or stderr output in JupyterLab")
        self.assertEqual(0, found["broken"], f"{name}: output images that did not load")
        self.assertEqual(expect["images"], found["images"], f"{name}: charts stored vs shown")
        self.assertEqual(expect["tables"] > 0, found["tables"] > 0, f"{name}: HTML tables")
        self.assertEqual([], found["broken_figures"], f"{name}: figures in markdown that did not load")
        self.assertGreaterEqual(found["figures"], 1 if figures else 0, f"{name}: markdown figures not shown")

    def cell_editor(self, index):
        cells = DRIVER.find_elements(By.CSS_SELECTOR, f"{PANEL} .jp-CodeCell")
        return cells[index], cells[index].find_element(By.CSS_SELECTOR, ".jp-InputArea-editor")

    def click_into(self, element):
        """A click where a student clicks (at the element's place: CodeMirror's own nodes may not count as
        'interactable' for WebDriver's element click)."""
        DRIVER.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        ActionChains(DRIVER).move_to_element(element).click().perform()
        time.sleep(0.2)

    def run_cell(self, index):
        cell, editor = self.cell_editor(index)
        self.click_into(editor)
        ActionChains(DRIVER).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        return cell

    def output_text(self, index):
        cell, _ = self.cell_editor(index)
        return cell.find_element(By.CSS_SELECTOR, ".jp-Cell-outputWrapper").text

    # ------------------------------------------------------------------------------------------------ tests

    def test_1_welcome_lesson(self):
        self.restart_and_run_all(ui.WELCOME, "welcome")

    def test_2_heavy_lesson(self):
        heavy = ui.heavy_lesson()
        if heavy is None:
            self.skipTest("no heavy lesson yet")
        self.restart_and_run_all(heavy, "heavy")

    def test_3_progress_interrupt_completion_and_inspection(self):
        name = f"lab-{ui.SCRATCH_NAME}"
        ui.write_scratch_notebook(self.nbdir, name)
        self.open(name)
        d = DRIVER
        wait = WebDriverWait(d, 60, poll_frequency=0.2)
        ran = lambda i: self.prompts()[i][1:-1].isdigit() and self.kernel_state() == "idle"  # noqa: E731

        self.run_cell(ui.KEPT)
        wait.until(lambda _: ran(ui.KEPT))
        cell, _ = self.cell_editor(ui.PROGRESS)
        d.execute_script(ui.WATCH_OUTPUT_JS, cell.find_element(By.CSS_SELECTOR, ".jp-Cell-outputArea"),
                         ".jp-OutputArea-child")
        self.run_cell(ui.PROGRESS)
        wait.until(lambda _: ran(ui.PROGRESS))
        seen = d.execute_script("return window.rnnlabSeen")
        log(f"progress display, as it changed: {seen}")
        ui.check_progress(self, seen)

        self.run_cell(ui.LOOP)
        time.sleep(3)
        self.assertEqual("busy", self.kernel_state(), "the endless loop should keep the kernel busy")
        self.assertEqual("[*]", self.prompts()[ui.LOOP])
        t = time.monotonic()
        d.find_element(By.CSS_SELECTOR, f"{PANEL} [data-command='notebook:interrupt-kernel']").click()
        wait.until(lambda _: self.kernel_state() == "idle" and self.prompts()[ui.LOOP] != "[*]")
        log(f"interrupt: the loop stopped {time.monotonic() - t:.1f} s after the button; output "
            f"{self.output_text(ui.LOOP)[:200]!r}")
        self.run_cell(ui.READ_BACK)
        wait.until(lambda _: ran(ui.READ_BACK))
        self.shot("scratch-interrupt")
        self.assertIn("84", self.output_text(ui.READ_BACK), "the kernel lost its state on interrupt")

        _, editor = self.cell_editor(ui.COMPLETE)
        self.click_into(editor)
        ActionChains(d).send_keys(Keys.END).send_keys(Keys.TAB).perform()
        offered = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and offered is None:
            items = d.execute_script("return Array.from(document.querySelectorAll('.jp-Completer-item'))"
                                     ".map(function (e) { return e.innerText.trim(); });")
            text = editor.text
            if any("MAX_VALUE" in i for i in items) or "MAX_VALUE" in text:
                offered = items or [text]
            time.sleep(0.3)
        self.shot("scratch-completion")
        log(f"completion after Integer.MAX_VAL + Tab: {offered}")
        self.assertIsNotNone(offered, "Tab after Integer.MAX_VAL offered no MAX_VALUE")
        ActionChains(d).send_keys(Keys.ESCAPE).perform()

        _, editor = self.cell_editor(ui.INSPECT)
        self.click_into(editor)
        ActionChains(d).send_keys(Keys.END).send_keys(*[Keys.LEFT] * 8).perform()     # after "Math.m"
        ActionChains(d).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        tip = WebDriverWait(d, 30, poll_frequency=0.3).until(
            lambda drv: (drv.execute_script("var t = document.querySelector('.jp-Tooltip');"
                                            " return t ? t.innerText : null;") or None))
        self.shot("scratch-tooltip")
        log(f"Shift-Tab in Math.max(1, 2): {tip[:200]!r}")
        self.assertRegex(tip, ui.SIGNATURE)


if __name__ == "__main__":
    unittest.main()
