#!/usr/bin/env python3
"""Builds, executes and checks the lessons.

Lessons are written in jupytext's Markdown format in notebooks/src/NAME.md, paired with notebooks/NAME.ipynb, and
read here with jupytext: a YAML header pairs the two (`formats: ipynb,src//md`), names the kernel and asks for a
markdown cell at every heading; every ```java fence is a code cell, the prose between fences becomes markdown
cells. A cell's metadata stands on its fence line: ```java tags=["tour"] marks the picture the README shows for
the lesson, and ```java jupyter={"source_hidden": true} tags=["solution"] a worked solution, whose code JupyterLab
shows folded until the student unfolds it (it is still executed, so the solution is tested like every other cell).

A figure is written `![what it shows](figures/NAME.svg)` on a line of its own. The built notebook carries the SVG
inline, as an <img> with a data: URI, because that is the one form that GitHub's notebook view, JupyterLab, the
classic Notebook and the static site all show (a relative link breaks on GitHub and in the site, an attachment on
GitHub); notebooks/figures/ keeps the files, which is what a contributor edits. That inlining is the one place
where the notebook's inputs differ from the source's (jupytext pairs them cell for cell otherwise), and so the
source stays the newer of the two files: `jupytext --sync` takes a pair's inputs from the newer file.

    nbbuild.py build   [NAME...]   src/NAME.md -> NAME.ipynb, executed with the installed `java` kernel, saved
                                   WITH outputs, and the tour picture copied to docs/tour/NAME.png
    nbbuild.py check   [NAME...]   re-executes each notebook and checks it: its inputs are the source's, no error,
                                   no stderr, every plotting cell has a valid PNG, the stored outputs are fresh;
                                   prints the time of each
    nbbuild.py run     [NAME...]   executes each stored notebook and reports problems (stores nothing)
    nbbuild.py pair    [NAME...]   after a change to prose or cell tags only: updates the stored notebook's inputs
                                   and keeps its outputs, without executing; refuses where code changed
    nbbuild.py relink  [NAME...]   puts the figure links back into a source into which `jupytext --sync` copied
                                   the built notebook's inlined figures

Runs with the project's .venv (jupytext, nbformat, nbclient; it switches to .venv/bin/python itself). NAME defaults
to every lesson in src/.
"""
import os as _os
import sys as _sys
if __name__ == "__main__":   # run with the project's .venv (./rnnlab venv) when there is one and this is not it
    _venv = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "../..", ".venv")
    if _os.path.isfile(_os.path.join(_venv, "bin", "python")) and \
            _os.path.realpath(_sys.prefix) != _os.path.realpath(_venv):
        _os.execv(_os.path.join(_venv, "bin", "python"), [_os.path.join(_venv, "bin", "python"), *_sys.argv])
import base64
import copy
import os
import pathlib
import re
import struct
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
TOUR = ROOT / "docs" / "tour"
KERNEL = "java"
RUNAWAY_SECONDS = 120
TARGET_SECONDS = 30

FENCE = re.compile(r"^```java(\s.*)?$")
FIGURE = re.compile(r"^!\[([^\]]*)\]\((figures/[\w.-]+\.svg)\)[ \t]*$", re.M)
INLINED = re.compile(r'^<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)" title="[^"]*">$', re.M)
# How jupytext reads a source: its Markdown format, a markdown cell starting at every heading (a lesson's header
# says so too; the assignments' sources, read in pieces, have no header)
MARKDOWN = {"extension": ".md", "format_name": "markdown", "split_at_heading": True}
# What a lesson's header must say: paired with notebooks/NAME.ipynb, run by the project's kernel
PAIRING = "ipynb,src//md"
KERNELSPEC = {"name": KERNEL, "display_name": "Java (RNN Lab)", "language": "java"}
LANGUAGE_INFO = {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source",
                 "codemirror_mode": "java"}


class SourceError(Exception):
    """A source that jupytext reads, but not as a lesson: the message names the file or cell and the fix."""


def inline_figures(markdown, base=NOTEBOOKS):
    """Replaces each `![alt](figures/x.svg)` line by an <img> that carries the SVG as a data: URI. The blank line
    after it stays: an <img> line followed directly by text would make that text part of an HTML block, where
    Markdown (`code`, $math$) is not rendered."""
    def embed(m):
        svg = (base / m.group(2)).read_bytes()
        data = base64.b64encode(svg).decode("ascii")
        alt = m.group(1).replace('"', "&quot;")
        return f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" title="{alt}">'
    return FIGURE.sub(embed, markdown)


def uninline_figures(markdown, base=NOTEBOOKS):
    """The inverse of inline_figures: each inlined SVG goes back to the `![alt](figures/x.svg)` line of the file
    in notebooks/figures/ that holds those very bytes. An inlined image that no file there holds stays as it is."""
    files = {base64.b64encode(f.read_bytes()).decode("ascii"): f"figures/{f.name}"
             for f in sorted((base / "figures").glob("*.svg"))}

    def link(m):
        if m.group(1) not in files:
            return m.group(0)
        return f"![{m.group(2).replace('&quot;', chr(34))}]({files[m.group(1)]})"
    return INLINED.sub(link, markdown)


def notebook_path(source):
    """notebooks/src/01-memory.md -> notebooks/01-memory.ipynb; assignment sources keep their folder."""
    rel = source.relative_to(SOURCES)
    return (NOTEBOOKS / rel).with_suffix(".ipynb")


def read_source(text):
    """The cells of a source in jupytext's Markdown format, read by jupytext (a notebook, without outputs).
    jupytext is imported here, not above: `run` executes stored notebooks only, and `./rnnlab start --check` runs
    it with a conda environment's Python too, where jupytext is not installed (environment.yml)."""
    import jupytext
    return jupytext.reads(text, fmt=MARKDOWN)


def read_lesson(path):
    """A lesson source, read by jupytext and checked for what makes it a lesson: the header that pairs it with
    notebooks/NAME.ipynb and names the kernel, and a folded solution (`jupyter={"source_hidden": true}` beside
    the tag on its fence)."""
    nb = read_source(path.read_text(encoding="utf-8"))
    header = nb.metadata.get("jupytext", {})
    if header.get("formats") != PAIRING or not header.get("split_at_heading"):
        raise SourceError(f"{path}: its YAML header must pair it with the notebook and split at headings "
                          f"(jupyter: jupytext: formats: {PAIRING}, split_at_heading: true; copy the header of "
                          "another lesson)")
    if nb.metadata.get("kernelspec", {}).get("name") != KERNEL:
        raise SourceError(f"{path}: its YAML header must name the kernel (jupyter: kernelspec: name: {KERNEL})")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and INLINED.search(cell.source):
            raise SourceError(f"{path}: markdown cell {i} holds an inlined figure (an <img> with a data: URI) where "
                              "a link ![alt](figures/NAME.svg) belongs; `jupytext --sync` copied it from the built "
                              f"notebook. Restore the links with: notebooks/tools/nbbuild.py relink {path.stem}")
        if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []) \
                and cell.metadata.get("jupyter", {}).get("source_hidden") is not True:
            raise SourceError(f"{path}: code cell {i} (`{cell.source.splitlines()[0] if cell.source else ''}`) is "
                              "tagged solution but not folded: its fence line needs "
                              '```java jupyter={"source_hidden": true} tags=["solution"]')
    return nb


def to_notebook(cells, metadata=None):
    """The notebook nbbuild stores, from jupytext's cells: figures inlined in the markdown, the cells' metadata as
    the source gives it (tags, folding), stable cell ids, the project's kernel. `metadata` is the notebook metadata
    jupytext read from a lesson's header; its pairing is kept (without the text file's own description), as
    `jupytext --sync` keeps it, so that jupytext and JupyterLab know the notebook's source."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    paired = {k: v for k, v in (metadata or {}).get("jupytext", {}).items() if k != "text_representation"}
    if paired.get("formats"):
        nb.metadata["jupytext"] = paired
    for i, source_cell in enumerate(cells):
        if source_cell.cell_type == "markdown":
            cell = nbformat.v4.new_markdown_cell(inline_figures(source_cell.source))
        elif source_cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell(source_cell.source)
        else:
            raise SourceError(f"cell {i}: a {source_cell.cell_type} cell; a source has markdown and ```java cells")
        cell.metadata.update(copy.deepcopy(dict(source_cell.metadata)))
        cell["id"] = f"cell-{i:03d}"
        nb.cells.append(cell)
    return nb


def build_lesson(path):
    """The notebook of a lesson source, not yet executed."""
    source = read_lesson(path)
    return to_notebook(source.cells, source.metadata)


def inputs(nb):
    """What a notebook's source determines: notebook pairing and kernel, and each cell's type, text and metadata
    (outputs, execution counts and the execution timings nbclient records are left out)."""
    cells = [(c.cell_type, c.source, {k: v for k, v in c.metadata.items() if k != "execution"}) for c in nb.cells]
    return nb.metadata.get("jupytext"), nb.metadata.get("kernelspec", {}).get("name"), cells


def execute(nb, cwd):
    """Runs every cell with the installed kernel; returns the executed copy and the wall time."""
    nb = copy.deepcopy(nb)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=RUNAWAY_SECONDS, allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    started = time.monotonic()
    client.execute()
    return nb, time.monotonic() - started


def png_size(data):
    raw = base64.b64decode(data)
    if raw[:8] != b"\x89PNG\r\n\x1a\n" or raw[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", raw[16:24])


VOLATILE = [
    (re.compile(r"@[0-9a-f]{5,8}\b"), "@HASH"),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|s|µs|ns)\b"), "TIME"),
    (re.compile(r"Wall time: .*"), "Wall time: TIME"),
]


def normalise(text):
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def summary(nb):
    """What a re-execution must reproduce: every text output, and the size of every image."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append((i, o.name, normalise(o.text)))
            elif o.output_type in ("execute_result", "display_data"):
                for mime, data in sorted(o.data.items()):
                    if mime == "image/png":
                        out.append((i, mime, png_size(data)))
                    elif mime.startswith("text/"):
                        out.append((i, mime, normalise(data if isinstance(data, str) else "".join(data))))
            elif o.output_type == "error":
                out.append((i, "error", o.ename))
    return out


def problems(nb):
    """Errors, stderr, plotting cells without a valid PNG."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        images = 0
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                found.append(f"cell {i}: {o.ename}: {o.evalue}")
            elif o.output_type == "stream" and o.name == "stderr":
                found.append(f"cell {i}: stderr: {o.text.strip()[:200]}")
            elif o.output_type in ("execute_result", "display_data") and "image/png" in o.data:
                if png_size(o.data["image/png"]) is None:
                    found.append(f"cell {i}: image/png is not a valid PNG")
                images += 1
        if re.search(r"\bPlots\.", cell.source) and images == 0:
            found.append(f"cell {i}: draws a chart but shows no image")
    return found


def save_tour_picture(name, nb):
    for cell in nb.cells:
        if cell.cell_type == "code" and "tour" in cell.metadata.get("tags", []):
            for o in cell.get("outputs", []):
                if o.output_type in ("execute_result", "display_data") and "image/png" in o.data:
                    TOUR.mkdir(parents=True, exist_ok=True)
                    (TOUR / f"{name}.png").write_bytes(base64.b64decode(o.data["image/png"]))
                    return
    raise SystemExit(f"{name}: no cell tagged `tour` shows a picture")


def sources(names):
    if not names:
        return sorted(SOURCES.glob("*.md"))
    return [SOURCES / f"{n}.md" for n in names]


def build(names):
    for src in sources(names):
        nb = build_lesson(src)
        target = notebook_path(src)
        executed, seconds = execute(nb, target.parent)
        bad = problems(executed)
        nbformat.write(executed, target)
        keep_source_newest(src, target)
        save_tour_picture(src.stem, executed)
        print(f"{src.stem}: built in {seconds:.1f} s" + ("".join(f"\n  PROBLEM {p}" for p in bad)))
        if bad:
            raise SystemExit(1)


def keep_source_newest(src, target):
    """Gives the source a modification time no older than the notebook's, as `jupytext --sync` does for a text file
    it leaves unchanged: jupytext's CLI takes a pair's inputs from the newer file, and the source is what must win
    (the notebook's figures are inlined, the source's are links)."""
    stamp = target.stat().st_mtime_ns
    if src.stat().st_mtime_ns < stamp:
        os.utime(src, ns=(stamp, stamp))


def pair(names):
    """Brings the stored notebooks' inputs up to date with their sources WITHOUT executing them, where that is
    sound: every code cell is unchanged (same order, same code), so the stored outputs are still the outputs of
    this code; only prose, cell metadata (tags, folding) and the notebook's pairing change. A lesson whose code
    changed is left alone and named: it needs ./rnnlab notebooks NAME."""
    refused = 0
    for src in sources(names):
        target = notebook_path(src)
        built = build_lesson(src)
        stored = nbformat.read(target, as_version=4)
        if [c.source for c in built.cells if c.cell_type == "code"] != \
                [c.source for c in stored.cells if c.cell_type == "code"]:
            print(f"{src.stem}: code cells differ from the stored notebook; rebuild with ./rnnlab notebooks {src.stem}")
            refused += 1
            continue
        if inputs(built) == inputs(stored):
            print(f"{src.stem}: up to date")
            continue
        outputs = iter([c for c in stored.cells if c.cell_type == "code"])
        for cell in built.cells:
            if cell.cell_type == "code":
                old = next(outputs)
                cell.outputs, cell.execution_count = old.outputs, old.execution_count
                if "execution" in old.metadata:
                    cell.metadata["execution"] = old.metadata["execution"]
        built.metadata["language_info"] = stored.metadata.get("language_info", built.metadata["language_info"])
        nbformat.write(built, target)
        keep_source_newest(src, target)
        print(f"{src.stem}: inputs updated, outputs kept")
    return refused


def relink(names):
    """Puts back each figure link that an inlined figure replaced in a source (what `jupytext --sync` does to a
    source when it takes the inputs from a built notebook that is newer)."""
    for src in sources(names):
        text = src.read_text(encoding="utf-8")
        fixed = uninline_figures(text)
        if fixed != text:
            src.write_text(fixed, encoding="utf-8")
            print(f"{src.stem}: figure links restored")


def check(names):
    failures = 0
    for src in sources(names):
        target = notebook_path(src)
        messages = []
        if not target.exists():
            messages.append(f"{target.name} is missing")
        else:
            stored = nbformat.read(target, as_version=4)
            expected = build_lesson(src)
            if inputs(stored) != inputs(expected):
                messages.append(f"{target.name} does not match {src.name} (its cells or their tags differ)")
            executed, seconds = execute(stored, target.parent)
            messages += problems(executed)
            if summary(executed) != summary(stored):
                messages.append("stored outputs are stale: a re-execution gives different outputs")
            status = "ok" if not messages else "FAILED"
            budget = "within" if seconds <= TARGET_SECONDS else "OVER"
            print(f"{src.stem}: {status}, {seconds:.1f} s ({budget} the {TARGET_SECONDS} s target)")
        for m in messages:
            print(f"  {m}")
        if messages:
            failures += 1
            print(f"  refresh with: ./rnnlab notebooks {src.stem}")
    return failures


def run(names):
    failures = 0
    for src in sources(names):
        target = notebook_path(src)
        executed, seconds = execute(nbformat.read(target, as_version=4), target.parent)
        bad = problems(executed)
        print(f"{src.stem}: {'ok' if not bad else 'FAILED'} in {seconds:.1f} s"
              + "".join(f"\n  {p}" for p in bad))
        failures += 1 if bad else 0
    return failures


def main(argv):
    commands = {"build": build, "check": check, "run": run, "pair": pair, "relink": relink}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        return 1 if commands[argv[1]](argv[2:]) else 0
    except SourceError as e:
        print(f"nbbuild: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
