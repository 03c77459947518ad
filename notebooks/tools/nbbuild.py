#!/usr/bin/env python3
"""Builds, executes and checks the lessons.

Lessons are written as Markdown in notebooks/src/NAME.md: every ```java fence is a code cell, the prose
between fences becomes markdown cells (split at headings). An HTML comment `<!-- tags: a, b -->` on the line
before a fence tags that code cell: the tag `tour` marks the picture the README shows for the lesson, and the tag
`solution` marks a worked solution, whose code JupyterLab shows folded until the student unfolds it (it is still
executed, so the solution is tested like every other cell).

A figure is written `![what it shows](figures/NAME.svg)` on a line of its own. The built notebook carries the SVG
inline, as an <img> with a data: URI, because that is the one form that GitHub's notebook view, JupyterLab, the
classic Notebook and the static site all show (a relative link breaks on GitHub and in the site, an attachment on
GitHub); notebooks/figures/ keeps the files, which is what a contributor edits.

    nbbuild.py build   [NAME...]   src/NAME.md -> NAME.ipynb, executed with the installed `java` kernel, saved
                                   WITH outputs, and the tour picture copied to docs/tour/NAME.png
    nbbuild.py check   [NAME...]   re-executes each notebook and checks it: no error, no stderr, every plotting
                                   cell has a valid PNG, the stored outputs are fresh; prints the time of each
    nbbuild.py run     [NAME...]   executes each stored notebook and reports problems (stores nothing)

Runs with the project's .venv (nbformat, nbclient; it switches to .venv/bin/python itself). NAME defaults to every lesson in src/.
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
import json
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

FENCE = re.compile(r"^```java\s*$")
TAGS = re.compile(r"^<!--\s*tags:\s*(.*?)\s*-->\s*$")
FIGURE = re.compile(r"^!\[([^\]]*)\]\((figures/[\w.-]+\.svg)\)[ \t]*$", re.M)


def inline_figures(markdown, base=NOTEBOOKS):
    """Replaces each `![alt](figures/x.svg)` line by an <img> that carries the SVG as a data: URI."""
    def embed(m):
        svg = (base / m.group(2)).read_bytes()
        data = base64.b64encode(svg).decode("ascii")
        alt = m.group(1).replace('"', "&quot;")
        return f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" title="{alt}">'
    return FIGURE.sub(embed, markdown)


def notebook_path(source):
    """notebooks/src/01-memory.md -> notebooks/01-memory.ipynb; assignment sources keep their folder."""
    rel = source.relative_to(SOURCES)
    return (NOTEBOOKS / rel).with_suffix(".ipynb")


def parse(text):
    """The cells of a lesson source: a list of (kind, source, tags)."""
    cells, prose, code, tags, in_code = [], [], [], [], False

    def flush_prose():
        block = "\n".join(prose).strip("\n")
        prose.clear()
        if not block.strip():
            return
        parts, current = [], []
        for line in block.split("\n"):
            if line.startswith("#") and current and any(l.strip() for l in current):
                parts.append("\n".join(current).strip("\n"))
                current = []
            current.append(line)
        parts.append("\n".join(current).strip("\n"))
        cells.extend(("markdown", p, []) for p in parts if p.strip())

    for line in text.split("\n"):
        if in_code:
            if line.strip() == "```":
                cells.append(("code", "\n".join(code).rstrip("\n"), tags))
                code, tags, in_code = [], [], False
            else:
                code.append(line)
        elif FENCE.match(line):
            if prose and TAGS.match(prose[-1]):
                tags = [t.strip() for t in TAGS.match(prose.pop()).group(1).split(",") if t.strip()]
            flush_prose()
            in_code = True
        else:
            prose.append(line)
    if in_code:
        raise SystemExit("unclosed ```java fence")
    flush_prose()
    return cells


def to_notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": KERNEL, "display_name": "Java (RNN Lab)", "language": "java"},
        "language_info": {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source",
                          "codemirror_mode": "java"},
    }
    for i, (kind, source, tags) in enumerate(cells):
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(inline_figures(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if tags:
                cell.metadata["tags"] = tags
            if "solution" in tags:
                cell.metadata["jupyter"] = {"source_hidden": True}
        cell["id"] = f"cell-{i:03d}"
        nb.cells.append(cell)
    return nb


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
        nb = to_notebook(parse(src.read_text()))
        target = notebook_path(src)
        executed, seconds = execute(nb, target.parent)
        bad = problems(executed)
        nbformat.write(executed, target)
        save_tour_picture(src.stem, executed)
        print(f"{src.stem}: built in {seconds:.1f} s" + ("".join(f"\n  PROBLEM {p}" for p in bad)))
        if bad:
            raise SystemExit(1)


def check(names):
    failures = 0
    for src in sources(names):
        target = notebook_path(src)
        messages = []
        if not target.exists():
            messages.append(f"{target.name} is missing")
        else:
            stored = nbformat.read(target, as_version=4)
            expected = to_notebook(parse(src.read_text()))
            if [c.source for c in stored.cells] != [c.source for c in expected.cells]:
                messages.append(f"{target.name} does not match {src.name}")
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
    if len(argv) < 2 or argv[1] not in ("build", "check", "run"):
        print(__doc__)
        return 2
    if argv[1] == "build":
        build(argv[2:])
        return 0
    if argv[1] == "run":
        return 1 if run(argv[2:]) else 0
    return 1 if check(argv[2:]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
