"""Are the lesson sources (notebooks/src/*.md) jupytext Markdown? What would have to change, measured.

jupytext (pinned in requirements-dev.txt) reads Markdown with a YAML header naming the kernelspec: every ```java
fence becomes a code cell, and `split_at_heading: true` splits the prose at headings as nbbuild does. Two things
in the sources differ from jupytext's syntax today, and this test applies exactly those two changes to a copy
before reading it with jupytext (the lessons themselves are not changed here):

1. the YAML header (HEADER below) at the top of each file;
2. a cell's tags: nbbuild reads `<!-- tags: a, b -->` on the line before a fence; jupytext reads them on the
   fence line, ```java tags=["a", "b"] (it would make the comment a markdown cell of its own).

Then jupytext's cells must be nbbuild's: the same code cells with the same tags, and the same markdown, except
that jupytext also starts a new markdown cell at two blank lines in a row (its cell break) where nbbuild does
not; the test allows exactly that and names where it happens, the third change the sources would need.
notebooks/tools/JUPYTEXT.md says what else pairing with `jupytext --sync` would involve.
"""
import pathlib
import re
import sys
import unittest

import jupytext

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))
import nbbuild  # noqa: E402

HEADER = """---
jupyter:
  jupytext:
    split_at_heading: true
  kernelspec:
    display_name: Java (RNN Lab)
    language: java
    name: java
---

"""
TAG_LINE = re.compile(r"^<!--\s*tags:\s*(.*?)\s*-->\n```java\s*$", re.M)


def as_jupytext(text):
    """The source with the two changes above."""
    def fence(m):
        tags = ", ".join(f'"{t.strip()}"' for t in m.group(1).split(",") if t.strip())
        return f"```java tags=[{tags}]"
    return HEADER + TAG_LINE.sub(fence, text)


def compare(text):
    """(code cells equal, [problems in markdown], [places where a double blank line splits a markdown cell])."""
    ours = nbbuild.parse(text)
    nb = jupytext.reads(as_jupytext(text), fmt="md")
    code_ours = [(s, list(t)) for k, s, t in ours if k == "code"]
    code_theirs = [(c.source, list(c.metadata.get("tags", []))) for c in nb.cells if c.cell_type == "code"]
    # markdown between two code cells, as one text per gap, in each reading
    gaps_ours, gaps_theirs, cur = [], [], []
    for k, s, _ in ours:
        if k == "code":
            gaps_ours.append(cur)
            cur = []
        else:
            cur.append(s)
    gaps_ours.append(cur)
    cur = []
    for c in nb.cells:
        if c.cell_type == "code":
            gaps_theirs.append(cur)
            cur = []
        else:
            cur.append(c.source)
    gaps_theirs.append(cur)
    problems, double_blank = [], []
    for i, (a, b) in enumerate(zip(gaps_ours, gaps_theirs)):
        if a == b:
            continue
        split = [part.strip("\n") for cell in a for part in re.split(r"\n\n\n+", cell)]
        if split == b:
            double_blank += [cell.split("\n", 1)[0] for cell in a if "\n\n\n" in cell]
        else:
            problems.append(f"markdown before code cell {i}: nbbuild {a!r:.200} / jupytext {b!r:.200}")
    if len(gaps_ours) != len(gaps_theirs):
        problems.append(f"{len(gaps_ours)} vs {len(gaps_theirs)} markdown gaps")
    return code_ours == code_theirs, problems, double_blank


class JupytextReadsTheLessons(unittest.TestCase):
    def test_each_lesson_reads_as_nbbuild_reads_it(self):
        report = []
        for src in sorted(nbbuild.SOURCES.glob("*.md")):
            with self.subTest(lesson=src.stem):
                code_equal, problems, double_blank = compare(src.read_text(encoding="utf-8"))
                report.append(f"{src.stem}: code cells and tags {'equal' if code_equal else 'DIFFER'}; "
                              f"double blank lines splitting prose: {double_blank or 'none'}")
                self.assertTrue(code_equal, f"{src.stem}: jupytext reads other code cells than nbbuild")
                self.assertEqual([], problems)
        print("\n  " + "\n  ".join(report), file=sys.stderr)

    def test_the_comparison_fails_on_a_broken_source(self):
        text = "# T\n\nProse.\n\n<!-- tags: tour -->\n```java\nint x = 1;\n```\n"
        self.assertEqual((True, [], []), compare(text))
        untagged = TAG_LINE.sub("```java", text)         # the tag comment dropped: the tags are lost
        ours = nbbuild.parse(text)
        nb = jupytext.reads(as_jupytext(untagged), fmt="md")
        self.assertNotEqual([list(t) for k, s, t in ours if k == "code"],
                            [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"])


if __name__ == "__main__":
    unittest.main()
