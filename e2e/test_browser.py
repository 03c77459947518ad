#!/usr/bin/env python3
"""The course in a real browser, as a student sees it, in the classic Notebook UI (nbclassic on Jupyter Server,
from the project's .venv), driven by Selenium in headless Chromium (Debian's chromium and chromium-driver).
test_jupyterlab.py does the same in JupyterLab 4; jupyter_ui.py holds what the two share (the server on a copy
of the lessons, the browser, the scratch notebook).

- The welcome lesson and one heavy lesson: Kernel -> Restart & Run All, confirming the dialog; then no error or
  stderr output, every code cell numbered, every output image loaded (naturalWidth > 0, as many as the stored
  notebook holds), HTML tables rendered as <table>, every figure in the markdown loaded.
- The scratch notebook, cell by cell with Shift-Enter: a progress display updates in place (one output whose
  text changes, ending at 4/4); the toolbar's interrupt button stops `while (true) { }` and the kernel keeps its
  state; Tab after `Integer.MAX_VAL` offers MAX_VALUE; Shift-Tab in `Math.max(1, 2)` shows its signature.
- A cell that reads System.in: Notebook's input box appears under the printed prompt, and what is typed is read.
- (The course as a book, the static pages: e2e/test_book.py.)

Screenshots go to e2e/artifacts/ (CI keeps that folder).

    .venv/bin/python -m pytest e2e/test_browser.py
    E2E_HEAVY=07-lstm-variants .venv/bin/python -m pytest e2e/test_browser.py     (choose the heavy lesson)
"""
import json
import pathlib
import shutil
import subprocess
import sys
import time
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from jupyter_ui import (ARTIFACTS, PY, ROOT, RUN_ALL_TIMEOUT, SIGNATURE, WELCOME, HEAVY_PREFERENCE,  # noqa: E402
                        JupyterServer, full_page_screenshot, heavy_lesson, log,
                        proc_status, stored_expectations, stored_markdown_images, write_scratch_notebook)
import jupyter_ui as ui  # noqa: E402

CLASSIC = "/nbclassic"   # nbclassic's URLs when Notebook 7 is installed beside it
SCRATCH = None        # temp dir of this run: Jupyter dirs, notebook copy, Chromium profile
DRIVER = None


def setUpModule():
    global SCRATCH, DRIVER
    SCRATCH, DRIVER = ui.open_browser("rnnlab-browser.")


def tearDownModule():
    ui.close_browser(DRIVER, SCRATCH)


class Lessons(unittest.TestCase):
    """Restart & Run All, through the UI, in a lesson opened from Jupyter's own URL."""

    @classmethod
    def setUpClass(cls):
        cls.server = JupyterServer("nbclassic", SCRATCH)
        cls.server.start(timeout=60)
        cls.nbdir = cls.server.nbdir

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def tearDown(self):
        # Whatever a test left running (a failed one too) is closed before the next notebook opens.
        DRIVER.get("about:blank")
        self.server.close_sessions()

    def test_0_server_needs_the_token(self):
        self.assertTrue(self.server.refuses_without_token(), "the server answered /api/kernels without the token")

    def run_lesson(self, name, kind):
        path = ROOT / "notebooks" / f"{name}.ipynb"
        shutil.copy2(path, self.nbdir / path.name)  # the lesson as it is now (lessons are still being written)
        expect = stored_expectations(path)
        figures = stored_markdown_images(path)
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
              figures: document.querySelectorAll('#notebook-container .text_cell_render img').length,
              broken_figures: Array.from(document.querySelectorAll('#notebook-container .text_cell_render img'))
                  .filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                  .map(function (i) { return (i.getAttribute('src') || '').slice(0, 60); }),
              table_rows: Array.from(document.querySelectorAll('#notebook-container .output_html table'))
                  .map(function (t) { return t.rows.length; }),
              executed: Jupyter.notebook.get_cells().filter(function (c) {
                  return c.cell_type === 'code' && typeof c.input_prompt_number === 'number'; }).length};""")
        kernel_kib = [proc_status(pid, "VmHWM") for pid in self.server.kernel_pids()]
        log(f"{name}: Restart & Run All took {run_seconds:.1f} s; {found['executed']}/{expect['code_cells']} code "
            f"cells executed; errors {len(found['errors'])}, stderr {len(found['stderr'])}; images "
            f"{found['images']} (stored {expect['images']}, broken {found['broken']}, sizes {found['sizes']}); "
            f"HTML tables {found['tables']} (stored {expect['tables']}, rows {found['table_rows']}); figures "
            f"{found['figures']} (stored {figures}, broken {found['broken_figures']}); "
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

        self.server.close_sessions()  # one student, one kernel: close this lesson's before the next opens

        self.assertEqual(found["errors"], [], f"{name}: error output in the browser")
        self.assertEqual(found["stderr"], [], f"{name}: stderr output in the browser")
        self.assertEqual(found["executed"], expect["code_cells"], f"{name}: not every code cell ran")
        self.assertEqual(found["broken"], 0, f"{name}: {found['broken']} images did not load (naturalWidth 0)")
        self.assertEqual(found["images"], expect["images"], f"{name}: the stored notebook shows "
                         f"{expect['images']} charts, the browser {found['images']}")
        self.assertEqual(found["tables"] > 0, expect["tables"] > 0, f"{name}: HTML tables stored "
                         f"{expect['tables']}, rendered {found['tables']}")
        self.assertEqual([], found["broken_figures"], f"{name}: figures in the markdown that did not load")
        self.assertGreaterEqual(found["figures"], 1 if figures else 0, f"{name}: markdown figures not shown")
        return found, expect

    def open_notebook(self, name):
        """Opens notebooks/<name>.ipynb of the server's copy and waits until its kernel is connected and idle."""
        d = DRIVER
        t0 = time.monotonic()
        d.get(self.server.url(f"{CLASSIC}/notebooks/{name}.ipynb"))
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
        self.server.close_sessions()
        log(f"keyboard input: prompt {prompt!r}, result {text!r}")
        self.assertIn("Your name?", prompt, "the prompt printed before the read shows above the box")
        self.assertEqual(text, "Hello, Ada!")

    # --------------------------------------------------------------- the scratch notebook, cell by cell

    def prompt(self, i):
        return DRIVER.execute_script("return Jupyter.notebook.get_cell(arguments[0]).input_prompt_number", i)

    def editor(self, i):
        return DRIVER.execute_script("return Jupyter.notebook.get_cell(arguments[0]).element[0]"
                                     ".querySelector('.CodeMirror-lines')", i)

    def click_into(self, i):
        element = self.editor(i)
        DRIVER.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        ActionChains(DRIVER).move_to_element(element).click().perform()
        time.sleep(0.2)

    def run_cell(self, i):
        """Clicks into cell i and presses Shift-Enter, as a student runs one cell."""
        self.click_into(i)
        ActionChains(DRIVER).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()

    def wait_ran(self, i, timeout=60):
        WebDriverWait(DRIVER, timeout, poll_frequency=0.2).until(
            lambda _: isinstance(self.prompt(i), int) and self.server.kernel_state(f"{ui.SCRATCH_NAME}.ipynb") == "idle")

    def output_text(self, i):
        return DRIVER.execute_script("return Jupyter.notebook.get_cell(arguments[0]).element[0]"
                                     ".querySelector('.output').innerText", i)

    def test_4_progress_interrupt_completion_and_inspection(self):
        """The scratch notebook of jupyter_ui.SCRATCH_CELLS, in the classic Notebook: the progress display
        updates in place, the interrupt button stops `while (true) { }` and the kernel keeps its state, Tab
        after `Integer.MAX_VAL` offers MAX_VALUE, Shift-Tab shows `Math.max`'s signature."""
        name = ui.SCRATCH_NAME
        write_scratch_notebook(self.nbdir, name)
        d = DRIVER
        self.open_notebook(name)
        state = lambda: self.server.kernel_state(f"{name}.ipynb")  # noqa: E731

        self.run_cell(ui.KEPT)
        self.wait_ran(ui.KEPT)
        d.execute_script(ui.WATCH_OUTPUT_JS, d.execute_script(
            "return Jupyter.notebook.get_cell(arguments[0]).element[0].querySelector('.output')", ui.PROGRESS),
            ".output_area")
        self.run_cell(ui.PROGRESS)
        self.wait_ran(ui.PROGRESS)
        seen = d.execute_script("return window.rnnlabSeen")
        log(f"progress display, as it changed: {seen}")
        ui.check_progress(self, seen)

        self.run_cell(ui.LOOP)
        time.sleep(3)
        self.assertEqual("busy", state(), "the endless loop should keep the kernel busy")
        self.assertEqual("*", self.prompt(ui.LOOP))
        t = time.monotonic()
        d.find_element(By.CSS_SELECTOR, "button[data-jupyter-action='jupyter-notebook:interrupt-kernel']").click()
        WebDriverWait(d, 60, poll_frequency=0.2).until(lambda _: state() == "idle" and self.prompt(ui.LOOP) != "*")
        log(f"interrupt: the loop stopped {time.monotonic() - t:.1f} s after the button; output "
            f"{self.output_text(ui.LOOP)[:200]!r}")
        self.run_cell(ui.READ_BACK)
        self.wait_ran(ui.READ_BACK)
        self.screenshot(name, "interrupt")
        self.assertIn("84", self.output_text(ui.READ_BACK), "the kernel lost its state on interrupt")

        self.click_into(ui.COMPLETE)
        ActionChains(d).send_keys(Keys.END).send_keys(Keys.TAB).perform()
        offered = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and offered is None:
            items = d.execute_script("return Array.from(document.querySelectorAll('#complete select option'))"
                                     ".map(function (o) { return o.textContent.trim(); });")
            text = d.execute_script("return Jupyter.notebook.get_cell(arguments[0]).get_text()", ui.COMPLETE)
            if any("MAX_VALUE" in i for i in items) or "MAX_VALUE" in text:
                offered = items or [text]
            time.sleep(0.3)
        self.screenshot(name, "completion")
        log(f"completion after Integer.MAX_VAL + Tab: {offered}")
        self.assertIsNotNone(offered, "Tab after Integer.MAX_VAL offered no MAX_VALUE")
        ActionChains(d).send_keys(Keys.ESCAPE).perform()

        self.click_into(ui.INSPECT)
        ActionChains(d).send_keys(Keys.END).send_keys(*[Keys.LEFT] * 8).perform()     # after "Math.m"
        ActionChains(d).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        tip = WebDriverWait(d, 30, poll_frequency=0.3).until(lambda drv: drv.execute_script(
            "var t = document.getElementById('tooltip');"
            " return t && t.offsetParent !== null ? t.querySelector('.tooltiptext').innerText : null;") or None)
        self.screenshot(name, "tooltip")
        log(f"Shift-Tab in Math.max(1, 2): {tip[:200]!r}")
        self.server.close_sessions()
        self.assertRegex(tip, SIGNATURE)


if __name__ == "__main__":
    unittest.main(verbosity=2)
