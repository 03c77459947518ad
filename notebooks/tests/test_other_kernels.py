"""Every lesson and assignment on JJava, the maintained successor of IJava, from its pip package (jjava 1.0a8).

What only this proves (the lesson tests already prove that the notebooks compute what their stored outputs say,
on this project's kernel): on JJava, with the notebooks exactly as stored (`%maven org.rnnlab:rnnlab-lib:0.1.0`
and nothing JJava-specific), every cell runs without an error and writes nothing to stderr, every chart
shows as image/png at the size stored (same count per cell), every table, matrix and TextHeat as text/html
(same count per cell), no cell shows a value the stored notebook does not (a `display(x);` echoing its id), and
what the cells print is what they print on this kernel.

The assignments run as their instructor versions (instructor/source/, solutions and stored outputs), which is
where their charts are. The conftest installs JJava as the kernelspec `jjava` beside ours (`java`).
"""
import os
import pathlib
import sys
import time

import nbformat
import pytest
from nbclient import NotebookClient

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))
import nbbuild  # noqa: E402

ROOT = nbbuild.ROOT
JJAVA = os.environ.get("RNNLAB_JJAVA_KERNEL_NAME", "")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) + sorted(
    (ROOT / "instructor" / "source").glob("*/*.ipynb"))
CELL_TIMEOUT = 300


def what_shows(nb):
    """Per code cell: PNG sizes, number of HTML outputs, number of execute_results, and the normalised stdout."""
    shown = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        pngs, html, results, stdout = [], 0, 0, ""
        for o in cell.get("outputs", []):
            if o.output_type == "stream" and o.name == "stdout":
                stdout += o.text
            elif o.output_type in ("execute_result", "display_data"):
                results += o.output_type == "execute_result"
                if "image/png" in o.data:
                    pngs.append(nbbuild.png_size(o.data["image/png"]))
                html += "text/html" in o.data
        if cell.source.lstrip().startswith("%"):
            stdout = ""  # what a magic such as %maven reports is the kernel's own wording
        shown.append((i, {"png": pngs, "html": html, "execute_results": results,
                          "stdout": nbbuild.normalise(stdout)}))
    return shown


def problems(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if o.output_type == "error":
                found.append(f"cell {i}: {o.ename}: {o.evalue}")
            elif o.output_type == "stream" and o.name == "stderr":
                found.append(f"cell {i}: stderr: {o.text.strip()[:300]}")
    return found


@pytest.fixture(scope="module")
def jjava():
    if os.environ.get("RNNLAB_JJAVA_PROBLEM"):
        pytest.fail("JJava could not be installed for the tests: " + os.environ["RNNLAB_JJAVA_PROBLEM"])
    if not JJAVA:
        pytest.fail("JJava's kernelspec was not installed for the tests (./rnnlab test installs it into .venv/jjava)")
    return JJAVA


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_shows_on_jjava_what_it_shows_on_ours(jjava, path):
    stored = nbformat.read(path, as_version=4)
    client = NotebookClient(stored, kernel_name=jjava, timeout=CELL_TIMEOUT, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.monotonic()
    executed = client.execute()
    print(f"{path.stem} on JJava: {time.monotonic() - started:.1f} s", file=sys.stderr)
    assert problems(executed) == []
    expected = what_shows(nbformat.read(path, as_version=4))
    for (i, got), (_, want) in zip(what_shows(executed), expected):
        assert got == want, f"cell {i} of {path.name}:\n{executed.cells[i].source}"


def test_the_librarys_renderers_register_in_this_kernels_registry():
    """On this project's kernel the library's renderers go through Notebook.registerRenderer, the registry any
    notebook library can use (KernelHooks answers which kernel took them)."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=os.environ.get("RNNLAB_KERNEL_NAME", "java"), startup_timeout=120)
    try:
        kc.execute_interactive("%maven org.rnnlab:rnnlab-lib:0.1.0", timeout=CELL_TIMEOUT)
        results = []
        reply = kc.execute_interactive("org.rnnlab.notebook.KernelHooks.install()", timeout=60,
                                       output_hook=lambda m: results.append(m))
        assert reply["content"]["status"] == "ok"
        values = [m["content"]["data"]["text/plain"] for m in results if m["msg_type"] == "execute_result"]
        assert values == ["rnnlab"], values
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
