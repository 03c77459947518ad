"""The lessons are jupytext pairs: notebooks/src/NAME.md (jupytext Markdown) and notebooks/NAME.ipynb.

What is checked, without executing anything (notebooks/tests/test_lessons.py executes the lessons):

- every source is in the exact form jupytext writes, so neither `jupytext --sync` nor a save in JupyterLab ever
  rewrites one, and it has what makes it a lesson (the pairing header, folded solutions);
- every stored notebook has its source's inputs: cells, tags, folding, pairing (nbbuild's "does not match");
- jupytext's own command, `jupytext --sync`, finds nothing to change in either direction (source newer, notebook
  newer) once the figures nbbuild inlined are put back as links: the inlining is the one difference, by design;
- JupyterLab's contents manager as jupytext installs it opens a lesson's .ipynb and its .md as one notebook, with
  the source's cells and the stored outputs, even when the .ipynb is the newer file (notebooks/jupytext.toml);
- nbbuild's own parts: it refuses a source with an inlined figure or an unfolded solution or without the header,
  `relink` repairs a source that `jupytext --sync` filled with inlined figures, and `pair` updates a notebook's
  inputs without executing it only when no code changed.
"""
import asyncio
import io
import os
import pathlib
import re
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

import jupytext
import nbformat
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class
from jupytext.cli import jupytext as jupytext_cli

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))
import nbbuild  # noqa: E402

LESSONS = sorted(nbbuild.SOURCES.glob("*.md"))


def copy_lessons(into):
    """A copy of what jupytext sees of the lessons: sources, notebooks, figures, jupytext.toml."""
    into = pathlib.Path(into)
    shutil.copytree(nbbuild.SOURCES, into / "src")
    shutil.copytree(nbbuild.NOTEBOOKS / "figures", into / "figures")
    shutil.copy2(nbbuild.NOTEBOOKS / "jupytext.toml", into / "jupytext.toml")
    for src in LESSONS:
        shutil.copy2(nbbuild.notebook_path(src), into / f"{src.stem}.ipynb")
    return into


def set_newer(newer, older):
    """Makes `newer` modified one minute after `older`."""
    stamp = older.stat().st_mtime_ns + 60 * 10**9
    os.utime(newer, ns=(stamp, stamp))


def figure_links(text):
    return len(nbbuild.FIGURE.findall(text))


class SourcesAreJupytextMarkdown(unittest.TestCase):
    def test_every_source_is_what_jupytext_writes_and_has_a_lessons_header(self):
        for src in LESSONS:
            with self.subTest(lesson=src.stem):
                text = src.read_text(encoding="utf-8")
                nb = nbbuild.read_lesson(src)          # raises on a missing header or an unfolded solution
                self.assertEqual(text, jupytext.writes(nb, fmt="md"),
                                 f"{src.name} is not in the form jupytext writes: `jupytext --sync` would "
                                 "rewrite it (compare with `jupytext --to md --output - " f"{src}`)")

    def test_every_stored_notebook_has_the_inputs_of_its_source(self):
        for src in LESSONS:
            with self.subTest(lesson=src.stem):
                stored = nbformat.read(nbbuild.notebook_path(src), as_version=4)
                self.assertEqual(nbbuild.inputs(nbbuild.build_lesson(src)), nbbuild.inputs(stored),
                                 f"{src.stem}.ipynb is not built from {src.name}: ./rnnlab notebooks {src.stem} "
                                 f"(or, if no code changed, notebooks/tools/nbbuild.py pair {src.stem})")


class JupytextSyncFindsNothingToChange(unittest.TestCase):
    """`jupytext --sync` on a copy of the lessons whose notebooks have their figures as links again."""

    def setUp(self):
        self.dir = copy_lessons(tempfile.mkdtemp(prefix="rnnlab-jupytext-"))
        self.addCleanup(shutil.rmtree, self.dir)
        links = inlined = 0
        for src in LESSONS:
            links += figure_links(src.read_text(encoding="utf-8"))
            path = self.dir / f"{src.stem}.ipynb"
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    inlined += len(nbbuild.INLINED.findall(cell.source))
                    cell.source = nbbuild.uninline_figures(cell.source)
            nbformat.write(nb, path)
        self.assertGreater(links, 0, "no lesson has a figure: this test would not see the inlining")
        self.assertEqual(links, inlined, "the notebooks inline other figures than their sources link")
        self.before = self.snapshot()

    def snapshot(self):
        return {p.relative_to(self.dir): p.read_bytes() for p in [*self.dir.glob("*.ipynb"), *self.dir.glob("src/*.md")]}

    def sync(self, *files):
        """`jupytext --sync FILES`, run in this process: the function the `jupytext` script calls (a process of its
        own would add two seconds of imports to each run)."""
        log = io.StringIO()
        with redirect_stdout(log), redirect_stderr(log):
            status = jupytext_cli(["--sync", *[str(self.dir / f) for f in files]])
        self.assertEqual(0, status, log.getvalue())
        unchanged = re.findall(r"^\[jupytext\] Unchanged (\S+)$", log.getvalue(), re.M)
        self.assertEqual(2 * len(LESSONS), len(unchanged), log.getvalue())
        self.assertEqual(self.before, self.snapshot(), "jupytext --sync changed a file")

    def test_with_the_sources_newer(self):
        for src in LESSONS:
            set_newer(self.dir / "src" / src.name, self.dir / f"{src.stem}.ipynb")
        self.sync(*[f"src/{src.name}" for src in LESSONS])

    def test_with_the_notebooks_newer(self):
        for src in LESSONS:
            set_newer(self.dir / f"{src.stem}.ipynb", self.dir / "src" / src.name)
        self.sync(*[f"{src.stem}.ipynb" for src in LESSONS])


class JupyterLabOpensALessonAsOneNotebook(unittest.TestCase):
    """jupytext's contents manager, built on jupyter_server's as the JupyterLab extension builds it."""

    def setUp(self):
        self.dir = copy_lessons(tempfile.mkdtemp(prefix="rnnlab-jupytext-"))
        self.addCleanup(shutil.rmtree, self.dir)
        for src in LESSONS:                            # as after a pull that brought only rebuilt notebooks
            set_newer(self.dir / f"{src.stem}.ipynb", self.dir / "src" / src.name)
        self.manager = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(root_dir=str(self.dir))

    def open(self, path, **kw):
        return asyncio.run(self.manager.get(path, **kw))["content"]

    def test_the_notebook_and_the_source_open_with_the_sources_cells_and_the_stored_outputs(self):
        for src in LESSONS:
            stored = nbformat.read(nbbuild.notebook_path(src), as_version=4)
            expected = [(c.cell_type, c.source) for c in jupytext.reads(src.read_text(encoding="utf-8"), fmt="md").cells]
            for path in (f"{src.stem}.ipynb", f"src/{src.name}"):
                with self.subTest(path=path):
                    nb = self.open(path, type="notebook")
                    self.assertEqual(expected, [(c.cell_type, c.source) for c in nb.cells])
                    self.assertEqual([c.outputs for c in stored.cells if c.cell_type == "code"],
                                     [c.outputs for c in nb.cells if c.cell_type == "code"])

    def test_without_the_margin_in_jupytext_toml_a_lesson_with_a_figure_would_not_open(self):
        from tornado.web import HTTPError
        (self.dir / "jupytext.toml").unlink()
        with_figure = next(src for src in LESSONS if figure_links(src.read_text(encoding="utf-8")))
        with self.assertRaisesRegex(HTTPError, "is more recent than"):
            self.open(f"{with_figure.stem}.ipynb")


class NbbuildGuardsTheSources(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="rnnlab-nbbuild-"))
        self.addCleanup(shutil.rmtree, self.dir)
        (self.dir / "src").mkdir()
        self.lesson = next(src for src in LESSONS if figure_links(src.read_text(encoding="utf-8")))
        self.src = self.dir / "src" / self.lesson.name
        shutil.copy2(self.lesson, self.src)
        shutil.copy2(nbbuild.notebook_path(self.lesson), self.dir / f"{self.lesson.stem}.ipynb")
        patches = [mock.patch.object(nbbuild, "SOURCES", self.dir / "src"),
                   mock.patch.object(nbbuild, "NOTEBOOKS", self.dir)]
        for p in patches:
            p.start()
            self.addCleanup(p.stop)

    def edit(self, old, new):
        text = self.src.read_text(encoding="utf-8")
        self.assertIn(old, text)
        self.src.write_text(text.replace(old, new, 1), encoding="utf-8")

    def test_an_inlined_figure_in_a_source_is_refused_and_relink_restores_the_source_exactly(self):
        original = self.src.read_text(encoding="utf-8")
        self.src.write_text(nbbuild.inline_figures(original), encoding="utf-8")   # what --sync from the notebook does
        with self.assertRaisesRegex(nbbuild.SourceError, f"inlined figure.*relink {self.lesson.stem}"):
            nbbuild.read_lesson(self.src)
        nbbuild.relink([self.lesson.stem])
        self.assertEqual(original, self.src.read_text(encoding="utf-8"))

    def test_an_unfolded_solution_and_a_missing_header_are_refused(self):
        self.edit('```java jupyter={"source_hidden": true} tags=["solution"]', '```java tags=["solution"]')
        with self.assertRaisesRegex(nbbuild.SourceError, "tagged solution but not folded"):
            nbbuild.read_lesson(self.src)
        self.src.write_text(re.sub(r"\A---\n.*?\n---\n\n", "", self.lesson.read_text(encoding="utf-8"), flags=re.S))
        with self.assertRaisesRegex(nbbuild.SourceError, "YAML header must pair it"):
            nbbuild.read_lesson(self.src)

    def test_pair_updates_prose_and_keeps_outputs_but_refuses_changed_code(self):
        target = self.dir / f"{self.lesson.stem}.ipynb"
        before = nbformat.read(target, as_version=4)
        self.edit("\n## ", "\n## Renamed: ")
        self.assertEqual(0, nbbuild.pair([self.lesson.stem]))
        after = nbformat.read(target, as_version=4)
        self.assertEqual(nbbuild.inputs(nbbuild.build_lesson(self.src)), nbbuild.inputs(after))
        self.assertEqual([c.outputs for c in before.cells if c.cell_type == "code"],
                         [c.outputs for c in after.cells if c.cell_type == "code"])
        self.assertGreaterEqual(self.src.stat().st_mtime_ns, target.stat().st_mtime_ns)
        paired = target.read_bytes()
        code = next(c.source for c in after.cells if c.cell_type == "code")
        self.edit(code, code + "\nint changed = 1;")
        self.assertEqual(1, nbbuild.pair([self.lesson.stem]))
        self.assertEqual(paired, target.read_bytes())


if __name__ == "__main__":
    unittest.main()
