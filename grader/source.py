"""Assignment sources: Markdown in the lessons' format (notebooks/tools/nbbuild.py) plus one comment per code cell
that gives its nbgrader role.

    <!-- nbgrader: locked id=setup -->            read-only given code
    <!-- nbgrader: solution id=lstm_step -->      the student's answer; `// BEGIN SOLUTION` … `// END SOLUTION` inside
    <!-- nbgrader: tests id=test_step points=5 --> a graded test cell; `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS`

The comment stands on the line before the ```java fence (a `<!-- tags: … -->` line may sit between them). Every
code cell has one. The builder appends the self-check cell (locked, id `self_check`) that reports the visible score
of every test cell, so the list of test cells in it is always complete.

A test cell is written with org.rnnlab.grading.TestCell and must start its checks with
`TestCell.of("<its grade_id>", <its points>)`: the builder checks that they agree with the metadata.
"""
import re
import sys
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks" / "tools"))
import nbbuild  # noqa: E402  (the lessons' Markdown parser, reused)

NBGRADER = re.compile(r"^<!--\s*nbgrader:\s*(.*?)\s*-->\s*$")
ROLES = {
    "locked": dict(grade=False, solution=False, locked=True),
    "solution": dict(grade=False, solution=True, locked=False),
    "tests": dict(grade=True, solution=False, locked=True),
}
SELF_CHECK_ID = "self_check"


class SourceError(Exception):
    pass


def _role(spec, where):
    words = spec.split()
    if not words or words[0] not in ROLES:
        raise SourceError(f"{where}: expected 'nbgrader: locked|solution|tests id=… [points=…]', got {spec!r}")
    fields = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    extra = [w for w in words[1:] if "=" not in w] + sorted(set(fields) - {"id", "points"})
    if extra:
        raise SourceError(f"{where}: unknown words {extra} in {spec!r}")
    if "id" not in fields:
        raise SourceError(f"{where}: {spec!r} needs id=…")
    m = {"schema_version": 3, **ROLES[words[0]], "grade_id": fields["id"]}
    if words[0] == "tests":
        if "points" not in fields:
            raise SourceError(f"{where}: a tests cell needs points=…")
        p = float(fields["points"])
        m["points"] = int(p) if p == int(p) else p
    elif "points" in fields:
        raise SourceError(f"{where}: only tests cells have points")
    return m


def parse(text):
    """(lesson-format text without the nbgrader comments, [nbgrader metadata of code cell k])."""
    lines = text.split("\n")
    kept, roles, pending = [], [], None
    for n, line in enumerate(lines, 1):
        m = NBGRADER.match(line)
        if m:
            if pending is not None:
                raise SourceError(f"line {n}: two nbgrader comments for one cell")
            pending = _role(m.group(1), f"line {n}")
            continue
        if nbbuild.FENCE.match(line):
            if pending is None:
                raise SourceError(f"line {n}: a code cell without an nbgrader comment (locked, solution or tests)")
            roles.append(pending)
            pending = None
        elif pending is not None and line.strip() and not nbbuild.TAGS.match(line):
            raise SourceError(f"line {n}: an nbgrader comment must stand right before a ```java fence")
        kept.append(line)
    if pending is not None:
        raise SourceError("an nbgrader comment at the end of the file, with no cell after it")
    return "\n".join(kept), roles


def self_check_source(name, test_ids):
    ids = ", ".join(f'"{i}"' for i in test_ids)
    return ("// Your score on the visible checks of the test cells you ran in this session. Advisory: the grader\n"
            "// re-runs every test cell, adds hidden checks, and flags edited test cells.\n"
            f'org.rnnlab.grading.SelfCheck.report("{name}", {ids});')


SELF_CHECK_PROSE = """## Self-check

Run this last (best after *Kernel → Restart & Run All*). It adds up the visible checks of the test cells above,
as they ran in this session, and names any that failed or did not run. It is a guide, not your grade: your
lecturer's grader runs the test cells again as released, adds hidden checks of the same functions, and notices
test cells that were edited."""


def build_notebook(name, text):
    """The source notebook (no outputs yet) of an assignment source text."""
    plain, roles = parse(text)
    cells = nbbuild.parse(plain)
    nb = nbbuild.to_notebook(cells)
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
    import nbformat
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
