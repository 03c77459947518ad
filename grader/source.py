"""Assignment sources: Markdown in the lessons' format (jupytext's Markdown, read by notebooks/tools/nbbuild.py)
plus one comment per code cell that gives its nbgrader role.

    <!-- nbgrader: locked id=setup -->            read-only given code
    <!-- nbgrader: solution id=lstm_step -->      the student's answer; `// BEGIN SOLUTION` … `// END SOLUTION` inside
    <!-- nbgrader: tests id=test_step points=5 --> a graded test cell; `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS`

The comment stands on the line before the ```java fence (cell tags, if any, go on the fence line, as in a lesson:
```java tags=["a"]). Every code cell has one. The source is not a jupytext notebook as a whole (the comments and the
manual answers are this builder's), so it has no YAML header; the pieces between the comments are read by
jupytext, as the lessons are.

A written answer that the lecturer marks by hand (nbgrader's "manually graded answer": a markdown cell with
grade = solution = true) is a block of prose between two comments; the block is the model answer, its own markdown
cell, which the released version replaces by "YOUR ANSWER HERE":

    <!-- nbgrader: manual id=q_forget points=2 -->
    The model answer, in Markdown.
    <!-- nbgrader: end -->
 The builder appends the self-check cell (locked, id `self_check`) that reports the visible score
of every test cell, so the list of test cells in it is always complete.

A test cell is written with org.rnnlab.grading.TestCell and must start its checks with
`TestCell.of("<its grade_id>", <its points>)`: the builder checks that they agree with the metadata.
"""
import re
import sys
import pathlib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks" / "tools"))
import nbbuild  # noqa: E402  (the lessons' reader and notebook builder, reused)

NBGRADER = re.compile(r"^<!--\s*nbgrader:\s*(.*?)\s*-->\s*$")
ROLES = {
    "locked": dict(grade=False, solution=False, locked=True),
    "solution": dict(grade=False, solution=True, locked=False),
    "tests": dict(grade=True, solution=False, locked=True),
    "manual": dict(grade=True, solution=True, locked=False),
}
END = re.compile(r"^<!--\s*nbgrader:\s*end\s*-->\s*$")
SELF_CHECK_ID = "self_check"


class SourceError(Exception):
    pass


def _role(spec, where):
    words = spec.split()
    if not words or words[0] not in ROLES:
        raise SourceError(f"{where}: expected 'nbgrader: locked|solution|tests|manual id=… [points=…]', got {spec!r}")
    fields = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    extra = [w for w in words[1:] if "=" not in w] + sorted(set(fields) - {"id", "points"})
    if extra:
        raise SourceError(f"{where}: unknown words {extra} in {spec!r}")
    if "id" not in fields:
        raise SourceError(f"{where}: {spec!r} needs id=…")
    m = {"schema_version": 3, **ROLES[words[0]], "grade_id": fields["id"]}
    if words[0] in ("tests", "manual"):
        if "points" not in fields:
            raise SourceError(f"{where}: a {words[0]} cell needs points=…")
        p = float(fields["points"])
        m["points"] = int(p) if p == int(p) else p
    elif "points" in fields:
        raise SourceError(f"{where}: only tests and manual cells have points")
    return m


def parse(text):
    """The source as segments, in order: ("text", lesson-format text without the nbgrader comments, [nbgrader
    metadata of each of its code cells]) and ("manual", nbgrader metadata, the model answer in Markdown)."""
    lines = text.split("\n")
    segments, kept, roles, pending, answer = [], [], [], None, None
    for n, line in enumerate(lines, 1):
        if answer is not None:
            if END.match(line):
                segments.append(("manual", answer[0], "\n".join(answer[1]).strip("\n")))
                answer = None
            elif NBGRADER.match(line) or nbbuild.FENCE.match(line):
                raise SourceError(f"line {n}: a manual answer (from line {answer[2]}) must end with "
                                  "<!-- nbgrader: end --> before the next cell")
            else:
                answer[1].append(line)
            continue
        if END.match(line):
            raise SourceError(f"line {n}: <!-- nbgrader: end --> without a manual answer before it")
        m = NBGRADER.match(line)
        if m:
            if pending is not None:
                raise SourceError(f"line {n}: two nbgrader comments for one cell")
            role = _role(m.group(1), f"line {n}")
            if role["solution"] and role["grade"]:
                segments.append(("text", "\n".join(kept), roles))
                kept, roles = [], []
                answer = (role, [], n)
            else:
                pending = role
            continue
        if nbbuild.FENCE.match(line):
            if pending is None:
                raise SourceError(f"line {n}: a code cell without an nbgrader comment (locked, solution or tests)")
            if pending["grade"] and pending["solution"]:
                raise SourceError(f"line {n}: a manual answer is prose, not a code cell")
            roles.append(pending)
            pending = None
        elif pending is not None and line.strip():
            raise SourceError(f"line {n}: an nbgrader comment must stand right before a ```java fence")
        kept.append(line)
    if answer is not None:
        raise SourceError(f"line {answer[2]}: a manual answer without <!-- nbgrader: end -->")
    if pending is not None:
        raise SourceError("an nbgrader comment at the end of the file, with no cell after it")
    segments.append(("text", "\n".join(kept), roles))
    return segments


def self_check_source(name, test_ids):
    ids = ", ".join(f'"{i}"' for i in test_ids)
    return ("// Your score on the visible checks of the test cells you ran in this session. Advisory: the grader\n"
            "// re-runs every test cell, adds hidden checks, and flags edited test cells.\n"
            f'org.rnnlab.grading.SelfCheck.report("{name}", {ids});')


SELF_CHECK_PROSE = """## Self-check

Run this last (best after *Kernel → Restart & Run All*). It adds up the visible checks of the test cells above,
as they ran in this session, and names any that failed or did not run. It is a guide, not your grade: your
lecturer's grader runs the test cells again as released, adds hidden checks of the same functions, and notices
test cells that were edited. A written answer is marked by hand and is not counted here."""


def build_notebook(name, text):
    """The source notebook (no outputs yet) of an assignment source text."""
    cells, roles, manual = [], [], {}
    for segment in parse(text):
        if segment[0] == "manual":
            if not segment[2].strip():
                raise SourceError(f"manual answer {segment[1]['grade_id']}: write the model answer between the comments")
            manual[len(cells)] = segment[1]
            cells.append(nbformat.v4.new_markdown_cell(segment[2]))
        else:
            piece = segment[1].strip("\n")         # jupytext reads a leading blank line as an empty cell
            parsed = nbbuild.read_source(piece + "\n").cells if piece.strip() else []
            if sum(c.cell_type == "code" for c in parsed) != len(segment[2]):
                raise SourceError(f"{sum(c.cell_type == 'code' for c in parsed)} code cells but "
                                  f"{len(segment[2])} nbgrader comments")
            cells += parsed
            roles += segment[2]
    nb = nbbuild.to_notebook(cells)
    for index, meta in manual.items():
        nb.cells[index].metadata["nbgrader"] = meta
    code = [c for c in nb.cells if c.cell_type == "code"]
    if len(code) != len(roles):
        raise SourceError(f"{len(code)} code cells but {len(roles)} nbgrader comments")
    test_ids = []
    for cell, meta in zip(code, roles):
        cell.metadata["nbgrader"] = meta
        if meta["grade"]:
            test_ids.append(meta["grade_id"])
            expected = re.compile(r'TestCell\.of\(\s*"' + re.escape(meta["grade_id"]) + r'"\s*,\s*'
                                  + re.escape(_num(meta["points"])) + r"\s*\)")
            if not expected.search(cell.source):
                raise SourceError(f"test cell {meta['grade_id']}: its code must start its checks with "
                                  f'TestCell.of("{meta["grade_id"]}", {_num(meta["points"])}) to match its metadata')
            if not re.search(r"\.score\(\)\s*$", cell.source):
                raise SourceError(f"test cell {meta['grade_id']}: its last line must be the expression "
                                  "`t.score()` (nbgrader reads the cell's result as partial credit)")
    prose = nbformat.v4.new_markdown_cell(SELF_CHECK_PROSE)
    prose["id"] = "self-check-prose"
    check = nbformat.v4.new_code_cell(self_check_source(name, test_ids))
    check["id"] = "self-check"
    check.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": True,
                                  "grade_id": SELF_CHECK_ID}
    nb.cells += [prose, check]
    return nb


def _num(p):
    return str(int(p)) if float(p) == int(p) else repr(float(p))
