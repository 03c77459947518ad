"""The student version of an assignment, made the way `nbgrader generate_assignment` makes it.

    solutions   every line from one containing `BEGIN SOLUTION` to one containing `END SOLUTION` becomes the stub,
                indented like the BEGIN line; a solution cell without such a region becomes the stub as a whole
    hidden      every line from one containing `BEGIN HIDDEN TESTS` to one containing `END HIDDEN TESTS` goes
    outputs     cleared, execution counts reset
    locking     Jupyter's own `deletable`/`editable` flags, as nbgrader's LockCells sets them
    checksums   `checksum` and `cell_type` added to every grade, solution and locked cell

The Java stub throws, so an unsolved part fails its tests loudly: nbgrader's built-in Java stub is a comment,
which would compile and let the tests run against nothing. A solution region must therefore end a method body (its
`return` inside the region) or be top-level statements: the `throw` makes anything after it in the same block
unreachable, which javac rejects.
"""
import copy
import re

import nbgrader_meta as ngm

CODE_STUB = 'throw new UnsupportedOperationException("your code here");'
TEXT_STUB = "YOUR ANSWER HERE"
BEGIN_SOLUTION = "BEGIN SOLUTION"
END_SOLUTION = "END SOLUTION"
BEGIN_HIDDEN = "BEGIN HIDDEN TESTS"
END_HIDDEN = "END HIDDEN TESTS"


class ReleaseError(Exception):
    pass


def _replace_delimited(source, begin, end, begin_name, end_name, stub):
    """Drops every region from a line holding `begin` to a line holding `end` (both included), putting `stub`
    (indented like the `begin` line) in its place when it is not None. Returns (new source, whether any region
    was found)."""
    out, inside, found = [], False, False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise ReleaseError(f"nested {begin_name}")
            inside, found = True, True
            if stub is not None:
                indent = re.match(r"\s*", line).group(0)
                out.extend(indent + s for s in stub.split("\n"))
        elif end in line:
            if not inside:
                raise ReleaseError(f"{end_name} without {begin_name}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ReleaseError(f"{begin_name} without {end_name}")
    return "\n".join(out), found


def replace_solutions(source, stub):
    """(new source, whether a region was replaced)."""
    return _replace_delimited(source, BEGIN_SOLUTION, END_SOLUTION, "BEGIN SOLUTION", "END SOLUTION", stub)


def remove_hidden_tests(source):
    return _replace_delimited(source, BEGIN_HIDDEN, END_HIDDEN, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", None)


def lock(cell):
    """nbgrader's LockCells with its defaults."""
    if ngm.is_solution(cell):
        cell.metadata["deletable"] = False
    elif ngm.is_grade(cell) or ngm.is_locked(cell):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False


def release(source_nb):
    """The student version of a source notebook (a new notebook; the source is not changed)."""
    problems = ngm.notebook_problems(source_nb, student=False)
    if problems:
        raise ReleaseError("the source notebook's nbgrader metadata is invalid:\n  " + "\n  ".join(problems))
    nb = copy.deepcopy(source_nb)
    for i, cell in enumerate(nb.cells):
        where = f"cell {i}" + (f" ({ngm.meta(cell)['grade_id']})" if ngm.takes_part(cell) else "")
        stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
        try:
            cell.source, replaced = replace_solutions(cell.source, stub)
            cell.source, removed = remove_hidden_tests(cell.source)
        except ReleaseError as e:
            raise ReleaseError(f"{where}: {e}") from None
        if replaced and not ngm.is_solution(cell):
            raise ReleaseError(f"{where}: a solution region in a cell that is not a solution cell")
        if removed and not ngm.is_grade(cell):
            raise ReleaseError(f"{where}: hidden tests in a cell that is not graded")
        if ngm.is_solution(cell) and not replaced:
            cell.source = stub
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        lock(cell)
        if ngm.takes_part(cell):
            cell.metadata["nbgrader"]["checksum"] = ngm.compute_checksum(cell)
            cell.metadata["nbgrader"]["cell_type"] = cell.cell_type
    nb.metadata.pop("celltoolbar", None)
    problems = ngm.notebook_problems(nb, student=True)
    if problems:
        raise ReleaseError("the released notebook's metadata is invalid:\n  " + "\n  ".join(problems))
    return nb


def leaks(source_nb, released_nb):
    """Solution or hidden-test text of the source that is still in the released version: a list of findings."""
    found = []
    text = "\n".join(c.source for c in released_nb.cells)
    for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
        if marker in text:
            found.append(f"the released notebook contains the marker '{marker}'")
    outside = []                                 # the source's text outside every region: may be released
    for cell in source_nb.cells:
        kept, replaced = replace_solutions(cell.source, "")
        if ngm.is_solution(cell) and not replaced:
            kept = ""                            # a solution cell without a region is all solution
        kept, _ = remove_hidden_tests(kept)
        outside.append(kept)
    outside = "\n".join(outside)
    for i, cell in enumerate(source_nb.cells):
        blocks = _regions(cell.source, BEGIN_SOLUTION, END_SOLUTION) + _regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
        if ngm.is_solution(cell) and BEGIN_SOLUTION not in cell.source:
            blocks.append(cell.source.split("\n"))   # e.g. the model answer of a manually graded question
        for block in blocks:
            for line in block:
                s = line.strip()
                # a line of real content (not a brace or a short word) must not appear in the released text more
                # often than it appears outside the regions of the source
                if len(s) > 12 and not s.startswith("//") and text.count(s) > outside.count(s):
                    found.append(f"cell {i}: released text contains the hidden line {s!r}")
    for cell in released_nb.cells:
        if cell.get("outputs"):
            found.append("the released notebook has stored outputs")
            break
    return found


def _regions(source, begin, end):
    blocks, current = [], None
    for line in source.split("\n"):
        if begin in line:
            current = []
        elif end in line and current is not None:
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks
