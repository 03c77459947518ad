"""Every lesson, executed by the real Jupyter client against the installed `java` kernel.

Run with Debian's /usr/bin/python3 with JUPYTER_PATH pointing at an installed kernel (./rnnlab test does both):
    /usr/bin/python3 -m unittest discover -s notebooks/tests -v
"""
import io
import pathlib
import re
import sys
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))
import nbbuild  # noqa: E402

import nbformat  # noqa: E402

ROOT = nbbuild.ROOT
CHECKLIST = ROOT / "notebooks" / "LECTURE-CHECKLIST.md"
LESSONS = sorted(nbbuild.SOURCES.glob("*.md"))


class LessonTest(unittest.TestCase):
    """One test per lesson: no error, no stderr, every chart a real PNG, stored outputs fresh."""

    def check(self, name):
        out = io.StringIO()
        with redirect_stdout(out):
            failures = nbbuild.check([name])
        report = out.getvalue()
        print(report, end="", file=sys.stderr)
        self.assertEqual(0, failures, report)


def _make(name):
    return lambda self: self.check(name)


for _src in LESSONS:
    setattr(LessonTest, "test_" + re.sub(r"\W", "_", _src.stem), _make(_src.stem))


class ChecklistTest(unittest.TestCase):
    """Every lecture point is mapped to a lesson heading that exists."""

    ROW = re.compile(r"^\|\s*(?P<point>[^|]+?)\s*\|\s*`?(?P<notebook>[\w.-]+\.ipynb)`?\s*\|\s*(?P<heading>[^|]+?)\s*\|\s*$")

    def rows(self):
        rows = [m.groupdict() for m in map(self.ROW.match, CHECKLIST.read_text().splitlines()) if m]
        return [r for r in rows if r["notebook"] != "notebook"]

    def test_the_checklist_maps_points_to_lessons(self):
        self.assertTrue(CHECKLIST.exists(), f"{CHECKLIST} is missing")
        self.assertGreaterEqual(len(self.rows()), 20, "the lecture has more than 20 points")

    def test_every_named_heading_exists_in_its_notebook(self):
        missing = []
        for row in self.rows():
            path = ROOT / "notebooks" / row["notebook"]
            if not path.exists():
                missing.append(f"{row['notebook']} (for '{row['point']}') does not exist")
                continue
            headings = set()
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "markdown":
                    for line in cell.source.splitlines():
                        if line.startswith("#"):
                            headings.add(line.lstrip("#").strip())
            if row["heading"] not in headings:
                missing.append(f"{row['notebook']} has no heading '{row['heading']}' (for '{row['point']}')")
        self.assertEqual([], missing)


if __name__ == "__main__":
    unittest.main()
