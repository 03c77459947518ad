#!/usr/bin/env python3
"""Renders the stored lessons (and the released assignments) to static HTML in site/, plots embedded, for
reading offline: `site.py site` (./rnnlab start --html calls it). Uses nbconvert's HTML exporter on the outputs
the notebooks already hold; nothing is executed."""
import os as _os
import sys as _sys
if __name__ == "__main__":   # run with the project's .venv (./rnnlab venv) when there is one and this is not it
    _venv = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "../..", ".venv")
    if _os.path.isfile(_os.path.join(_venv, "bin", "python")) and \
            _os.path.realpath(_sys.prefix) != _os.path.realpath(_venv):
        _os.execv(_os.path.join(_venv, "bin", "python"), [_os.path.join(_venv, "bin", "python"), *_sys.argv])
import html
import os
import pathlib
import re
import sys

import nbformat
from nbconvert import HTMLExporter

ROOT = pathlib.Path(__file__).resolve().parents[2]


def title(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def local_links(body):
    """Links between notebooks (NAME.ipynb, assignments/) point at the rendered pages instead."""
    body = re.sub(r'href="(?![A-Za-z][A-Za-z0-9+.-]*:)(?:[^"#]*/)?([^"/#]+)\.ipynb(#[^"]*)?"',
                  lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    return re.sub(r'href="(?:\.\./)?assignments/?"', 'href="index.html#assignments"', body)


def repository_links(body, folder, out):
    """A link from a notebook to another file of the repository (a lesson's `../lib/README.md`) is relative to the
    notebook's folder; on a page in `out` it points at the same file, relative to `out`."""
    def fix(m):
        href = m.group(1)
        target, _, anchor = href.partition("#")
        if not target or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("/") \
                or target.endswith(".html") or not (folder / target).exists():
            return m.group(0)
        rel = os.path.relpath((folder / target).resolve(), out.resolve())
        return f'href="{html.escape(rel)}{"#" + anchor if anchor else ""}"'
    return re.sub(r'href="([^"]*)"', fix, body)


def render(out_dir):
    out = ROOT / out_dir
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="classic")
    entries = []
    for folder, label in ((ROOT / "notebooks", "Lessons"), (ROOT / "notebooks" / "assignments", "Assignments")):
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            body, _ = exporter.from_notebook_node(nb)
            body = repository_links(local_links(body), folder, out)
            target = out / (path.stem + ".html")
            target.write_text(body, encoding="utf-8")
            entries.append((label, title(nb, path.stem), target.name))
    items = []
    for section in ("Lessons", "Assignments"):
        rows = [f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for s, t, f in entries if s == section]
        if rows:
            items.append(f"<h2 id=\"{section.lower()}\">{section}</h2>\n<ul>\n" + "\n".join(rows) + "\n</ul>")
    (out / "index.html").write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>RNN Lab</title></head>\n<body>\n"
        "<h1>RNN Lab: recurrent neural networks in Java</h1>\n" + "\n".join(items) + "\n</body></html>\n",
        encoding="utf-8")
    print(f"rendered {len(entries)} notebooks to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    render(sys.argv[1])
