"""nbgrader's cell metadata, schema version 3: the checks, the checksum and the cell predicates, as nbgrader defines
them (nbgrader/nbgraderformat/v3.json and v3.py, nbgrader/utils.py), rewritten here because nbgrader itself is not
installed.

Every cell that takes part in grading carries `metadata.nbgrader`:

    schema_version  3 (integer)
    grade           bool: the cell is graded (a test cell, or a manually graded answer)
    solution        bool: the student writes here
    locked          bool: read-only
    task            bool, optional, markdown cells only (a manually graded task)
    grade_id        string of [A-Za-z0-9_-], unique, required when grade, solution or locked is true
    points          number >= 0, required on graded cells (and only there)
    checksum        32 hex characters; added to grade, solution and locked cells of the student version only
    cell_type       "code" | "markdown" | "raw"; added alongside checksum, student version only

No other key is allowed.
"""
import hashlib
import re

SCHEMA_VERSION = 3
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]*$")
KEYS = {"schema_version", "grade", "solution", "locked", "task", "grade_id", "points", "checksum", "cell_type"}
REQUIRED = ("schema_version", "grade", "locked", "solution")
STUDENT_ONLY = ("checksum", "cell_type")


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader")


def is_grade(cell):
    m = meta(cell)
    return bool(m and m.get("grade", False))


def is_solution(cell):
    m = meta(cell)
    return bool(m and m.get("solution", False))


def is_task(cell):
    m = meta(cell)
    return bool(m and m.get("task", False))


def is_locked(cell):
    """nbgrader's rule: a solution cell is never locked, a grade cell always is, other cells as their flag says."""
    m = meta(cell)
    if not m:
        return False
    if is_solution(cell):
        return False
    if is_grade(cell):
        return True
    return bool(m.get("locked", False))


def takes_part(cell):
    """Grade, solution or locked: the cells nbgrader tracks by grade_id."""
    m = meta(cell)
    return bool(m and (m.get("grade") or m.get("solution") or m.get("locked")))


def compute_checksum(cell):
    """nbgrader.utils.compute_checksum: md5 of the source, the cell type, the grade/solution/locked predicates, the
    grade_id and, for graded cells, the points as a float."""
    m = hashlib.md5()
    m.update(cell["source"].encode("utf-8"))
    m.update(cell["cell_type"].encode("utf-8"))
    m.update(str(is_grade(cell)).encode("utf-8"))
    m.update(str(is_solution(cell)).encode("utf-8"))
    m.update(str(is_locked(cell)).encode("utf-8"))
    m.update(meta(cell)["grade_id"].encode("utf-8"))
    if is_grade(cell):
        m.update(str(float(meta(cell)["points"])).encode("utf-8"))
    return m.hexdigest()


def _is_bool(v):
    return isinstance(v, bool)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def cell_problems(cell, student):
    """What is wrong with one cell's nbgrader metadata (empty when it is valid). `student`: the notebook is a
    student (released) version, where checksum and cell_type belong; in a source version they must be absent."""
    m = meta(cell)
    if m is None:
        return []
    if not isinstance(m, dict):
        return ["metadata.nbgrader is not an object"]
    found = []
    for key in sorted(set(m) - KEYS):
        found.append(f"key '{key}' is not in nbgrader's schema version 3")
    for key in REQUIRED:
        if key not in m:
            found.append(f"missing required key '{key}'")
    if "schema_version" in m and (not _is_int(m["schema_version"]) or m["schema_version"] != SCHEMA_VERSION):
        found.append(f"schema_version is {m['schema_version']!r}, expected 3")
    for key in ("grade", "solution", "locked", "task"):
        if key in m and not _is_bool(m[key]):
            found.append(f"'{key}' must be true or false, got {m[key]!r}")
    if "grade_id" in m and (not isinstance(m["grade_id"], str) or not GRADE_ID.match(m["grade_id"])):
        found.append(f"grade_id {m['grade_id']!r} must match [A-Za-z0-9_-]*")
    if "points" in m and (not _is_number(m["points"]) or m["points"] < 0):
        found.append(f"points must be a number >= 0, got {m['points']!r}")
    if "checksum" in m and (not isinstance(m["checksum"], str) or len(m["checksum"]) != 32):
        found.append("checksum must be a string of 32 characters")
    if "cell_type" in m and m["cell_type"] not in ("raw", "code", "markdown"):
        found.append(f"cell_type {m['cell_type']!r} is not raw, code or markdown")
    if found:
        return found
    grade, solution, locked, task = m["grade"], m["solution"], m["locked"], m.get("task", False)
    if (grade or solution or locked) and not m.get("grade_id"):
        found.append("a grade, solution or locked cell needs a non-empty grade_id")
    if grade and "points" not in m:
        found.append(f"graded cell '{m.get('grade_id')}' has no points")
    if not grade and "points" in m:
        found.append(f"cell '{m.get('grade_id')}' has points but is not graded")
    if "task" in m and cell["cell_type"] != "markdown":
        found.append("'task' belongs only on markdown cells")
    if not task and cell["cell_type"] == "markdown":
        if grade and not solution:
            found.append(f"markdown grade cell '{m.get('grade_id')}' is not a solution cell")
        if solution and not grade:
            found.append(f"markdown solution cell '{m.get('grade_id')}' is not a grade cell")
    if task and (grade or solution):
        found.append("a task cell is neither graded nor a solution")
    if student:
        if grade or solution or locked:
            for key in STUDENT_ONLY:
                if key not in m:
                    found.append(f"student version: cell '{m.get('grade_id')}' lacks '{key}'")
        if "cell_type" in m and m["cell_type"] != cell["cell_type"]:
            found.append(f"cell '{m.get('grade_id')}' was a {m['cell_type']} cell and is now {cell['cell_type']}")
    else:
        for key in STUDENT_ONLY:
            if key in m:
                found.append(f"source version: '{key}' belongs only in student versions")
    return found


def notebook_problems(nb, student):
    """Every metadata problem of a notebook, each prefixed with the cell index; grade_ids must be unique."""
    found = []
    ids = {}
    for i, cell in enumerate(nb["cells"]):
        found += [f"cell {i}: {p}" for p in cell_problems(cell, student)]
        if takes_part(cell):
            gid = meta(cell).get("grade_id")
            if gid in ids:
                found.append(f"cell {i}: grade_id '{gid}' is already used by cell {ids[gid]}")
            else:
                ids[gid] = i
    return found
