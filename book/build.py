#!/usr/bin/env python3
"""Builds the course as a book: `build.py OUT [--strict]` writes the HTML to OUT (./rnnlab start --html: site/).

Sphinx with MyST-NB and sphinx-book-theme (book/conf.py) renders the lessons and the assignments as stored, with
their outputs; nothing is executed and nothing is downloaded. A Sphinx project needs its pages under one folder,
so this script lays out that folder in a scratch directory, copying the very notebooks of notebooks/:

    index.md, assignments.md       from book/
    lessons/NN-*.ipynb             the lessons        (notebooks/NN-*.ipynb)
    lessons/assignments/a*.ipynb   the student versions of the assignments (notebooks/assignments/)
    lib/README.md                  the library's one-page map, which two lessons link as ../lib/README.md

so the links between them (`assignments/a1-lstm-step.ipynb`, `../lib/README.md`) resolve as they do in the
repository. (A symbolic link to notebooks/ would do without copies, but MyST resolves a link's target through
it, outside the book, and loses every link between lessons.) --strict turns Sphinx's warnings (a broken link, a
page outside the table of contents) into a failed build, as the book's test runs it.
"""
import os as _os
import sys as _sys
if __name__ == "__main__":   # run with the project's .venv (./rnnlab venv) when there is one and this is not it
    _venv = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", ".venv")
    if _os.path.isfile(_os.path.join(_venv, "bin", "python")) and \
            _os.path.realpath(_sys.prefix) != _os.path.realpath(_venv):
        _os.execv(_os.path.join(_venv, "bin", "python"), [_os.path.join(_venv, "bin", "python"), *_sys.argv])
import argparse
import pathlib
import shutil
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"
PAGES = ("index.md", "assignments.md")      # the book's own pages (book/README.md is for contributors)


def lay_out(stage):
    """Copies the book's pages into `stage`, in the layout described above."""
    stage.mkdir(parents=True, exist_ok=True)
    for page in PAGES:
        shutil.copy2(BOOK / page, stage / page)
    (stage / "lessons" / "assignments").mkdir(parents=True)
    for lesson in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        shutil.copy2(lesson, stage / "lessons" / lesson.name)
    for assignment in sorted((NOTEBOOKS / "assignments").glob("*.ipynb")):
        shutil.copy2(assignment, stage / "lessons" / "assignments" / assignment.name)
    (stage / "lib").mkdir()
    shutil.copy2(ROOT / "lib" / "README.md", stage / "lib" / "README.md")


def clear(out):
    """A rebuild starts from an empty folder, so a renamed lesson leaves no page behind. Only a folder that holds
    a site (an index.html) or nothing is cleared; anything else is refused rather than deleted."""
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / "index.html").exists()):
            sys.exit(f"build.py: {out} exists and is not a site built before (no index.html); "
                     "name a new or empty folder")
        shutil.rmtree(out)


def build(out, strict=False):
    from sphinx.cmd.build import build_main
    out = pathlib.Path(out).resolve()
    clear(out)
    with tempfile.TemporaryDirectory(prefix="rnnlab-book-") as stage:
        pages = pathlib.Path(stage) / "pages"
        lay_out(pages)
        # Sphinx's intermediate files (doctrees, MyST-NB's extracted outputs) stay in the scratch folder: the
        # pages are laid out anew each time, so a later build could not reuse them, and site/ holds only the book.
        args = ["-b", "html", "-q", "-c", str(BOOK), "-d", str(pathlib.Path(stage) / "doctrees"), str(pages), str(out)]
        return build_main(args + (["-W", "--keep-going"] if strict else []))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the folder to write the book to (site for ./rnnlab start --html)")
    parser.add_argument("--strict", action="store_true", help="fail on any Sphinx warning")
    options = parser.parse_args()
    status = build(options.out, options.strict)
    if status == 0:
        print(f"the book is in {options.out}: open {pathlib.Path(options.out) / 'index.html'}")
    sys.exit(status)
