"""Grading a submitted notebook the way `nbgrader autograde` does, with the project's Java kernel.

1. Restore: every locked and every graded cell of the submission is replaced by the instructor's source version of
   that cell (found by grade_id), which brings the hidden tests back. A locked or graded cell whose checksum differs
   from the released one was edited: the submission is flagged (and the original runs anyway). A cell that was
   deleted is flagged, and a deleted test cell scores 0.
2. Execute: every code cell in order, headless (nbclient), each with a time limit (the given cells before the first
   solution cell get at least SETUP_TIMEOUT: loading the library). When a cell runs out of time the submission stops
   there: that cell and every test cell after it score 0 and the grader moves on (with
   keep_going, the kernel is interrupted instead and the next cells still run, as nbgrader's interrupt_on_timeout).
3. Score each test cell as nbgrader's determine_grade: an error output scores 0; an execute_result that reads as a
   number between 0 and the cell's points is partial credit; anything else is full credit. Stricter than nbgrader in
   one way: output on stderr also scores 0 (the test cells of this course print nothing to stderr when they pass).
4. Written answers (markdown cells with grade = solution = true, nbgrader's "manually graded answer") are the
   student's and are never restored; the lecturer marks them by hand. The result lists them, and whether each was
   answered, apart from the automatic total.
"""
import copy
import dataclasses
import os
import pathlib
import re
import resource
import sys
import time
import typing

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

import nbgrader_meta as ngm
from release import release

KERNEL = "java"
TIMEOUT_ENAME = "CellTimeoutError"
# The instructor's cells before the first solution cell (loading the library, given code) hold no student code and
# may be slow on a busy machine (resolving the library takes seconds): they get at least this long.
SETUP_TIMEOUT = 120


@dataclasses.dataclass
class CellScore:
    grade_id: str
    points: float
    max_points: float
    status: str          # "passed", "partial", "failed", "timeout", "not run", "deleted"
    message: str = ""    # what failed, in a line: the names of the failed checks, or the error
    details: str = ""    # every failed check with what was expected and what came


@dataclasses.dataclass
class ManualAnswer:
    """A written answer (nbgrader's manually graded markdown cell): the lecturer marks it; the grader only reports
    whether there is one. Its points are not part of Result.total."""
    grade_id: str
    max_points: float
    answered: bool


@dataclasses.dataclass
class Result:
    student: str
    path: str
    scores: typing.List[CellScore]
    flags: typing.List[str]
    seconds: float
    timed_out: str = ""                 # where the run was cut off ("" when it was not)
    cpu: float = 0.0                    # CPU seconds of the kernel (user + system): the cost on an idle machine
    manual: typing.List["ManualAnswer"] = dataclasses.field(default_factory=list)   # marked by hand, not in total
    notebook: typing.Any = None         # the executed notebook (for feedback), not pickled across processes

    @property
    def total(self):
        return sum(s.points for s in self.scores)

    @property
    def max_total(self):
        return sum(s.max_points for s in self.scores)


def _first_line(text, limit=200):
    text = (text or "").strip().split("\n")[0]
    return text if len(text) <= limit else text[:limit - 1] + "…"


def restore(submission, source, released):
    """The notebook to execute (a copy) and the flags: locked and graded cells come from the source."""
    nb = copy.deepcopy(submission)
    flags = []
    by_id = {ngm.meta(c)["grade_id"]: c for c in source.cells if ngm.takes_part(c)}
    expected = {ngm.meta(c)["grade_id"]: ngm.meta(c)["checksum"] for c in released.cells if ngm.takes_part(c)}
    seen = set()
    for i, cell in enumerate(nb.cells):
        m = ngm.meta(cell)
        if not m or not isinstance(m, dict) or "grade_id" not in m:
            continue
        gid = m["grade_id"]
        original = by_id.get(gid)
        if original is None:
            continue
        if gid in seen:
            flags.append(f"cell {i} repeats the grade_id '{gid}'; only the first one counts")
            nb.cells[i] = nbformat.v4.new_markdown_cell(f"(duplicate of {gid}, removed by the grader)")
            continue
        seen.add(gid)
        try:
            checksum = ngm.compute_checksum(cell)
        except (KeyError, TypeError, ValueError):
            checksum = None
        if ngm.is_locked(original) or (ngm.is_grade(original) and not ngm.is_solution(original)):
            if checksum != expected[gid]:
                flags.append(f"locked cell '{gid}' was edited (checksum mismatch); the original was run")
            fresh = copy.deepcopy(original)
            fresh.outputs = [] if fresh.cell_type == "code" else fresh.get("outputs")
            if fresh.cell_type == "code":
                fresh.execution_count = None
            nb.cells[i] = fresh
        elif cell.cell_type != original.cell_type:
            flags.append(f"cell '{gid}' changed from {original.cell_type} to {cell.cell_type}")
    for gid, original in by_id.items():
        if gid not in seen and (ngm.is_locked(original) or (ngm.is_grade(original) and not ngm.is_solution(original))):
            flags.append(f"{'test' if ngm.is_grade(original) else 'locked'} cell '{gid}' was deleted")
        elif gid not in seen and ngm.is_solution(original):
            flags.append(f"solution cell '{gid}' was deleted")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb, flags


def execute(nb, cwd, timeout, keep_going, kernel=KERNEL):
    """Runs the code cells in order; returns (executed notebook, index of the cell that timed out or None)."""
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            interrupt_on_timeout=keep_going, record_timing=False, shutdown_kernel="immediate",
                            startup_timeout=120, iopub_timeout=10,
                            error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": f"no reply within {timeout} s",
                                              "traceback": [f"CellTimeoutError: no reply within {timeout} s"]},
                            resources={"metadata": {"path": str(cwd)}})
    cut = None
    timing = os.environ.get("GRADER_TIMING")
    started = time.monotonic()
    with client.setup_kernel(cwd=str(cwd)):
        info = client.kc.kernel_info()
        client.wait_for_reply(info)
        if timing:
            print(f"  [timing] kernel ready after {time.monotonic() - started:.1f} s", file=sys.stderr)
        count = 0
        first_solution = next((i for i, c in enumerate(nb.cells) if ngm.is_solution(c)), len(nb.cells))
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            count += 1
            client.timeout = max(timeout, SETUP_TIMEOUT) if index < first_solution else timeout
            if timing:
                print(f"  [timing] cell {index} starts at {time.monotonic() - started:.1f} s", file=sys.stderr)
            try:
                client.execute_cell(cell, index, execution_count=count)
            except CellTimeoutError:
                cell.outputs.append(nbformat.v4.new_output(
                    "error", ename=TIMEOUT_ENAME, evalue=f"no reply within {timeout} s; the grader stopped here",
                    traceback=[]))
                cut = index
                break
            except DeadKernelError:
                cell.outputs.append(nbformat.v4.new_output(
                    "error", ename="DeadKernelError", evalue="the kernel died; the grader stopped here",
                    traceback=[]))
                cut = index
                break
            if keep_going and any(o.output_type == "error" and o.get("ename") == TIMEOUT_ENAME
                                  for o in cell.outputs) and cut is None:
                cut = index
    return nb, cut


def _partial(output, max_points):
    """nbgrader's get_partial_grade: (points, warning)."""
    text = output.get("data", {}).get("text/plain")
    if isinstance(text, list):
        if len(text) > 1:
            return max_points, "result is not a single number: full credit (nbgrader's rule)"
        text = text[0] if text else ""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return max_points, ""
    if value > max_points:
        return max_points, f"result {value} is above the cell's {max_points} points (nbgrader would stop here)"
    if value > 0:
        return value, ""
    return max_points, "result <= 0 reads as full credit in nbgrader; a test cell that earns nothing must fail"


FAILED = re.compile(r"^FAILED (.*?) \((\d+(?:\.\d+)?) points?\): (.*)$")


def score_cell(cell, gid, max_points):
    failures, details = [], []
    for o in cell.get("outputs", []):
        if o.output_type == "stream" and o.name == "stdout":
            for line in o.text.split("\n"):
                m = FAILED.match(line)
                if m:
                    failures.append(f"{m.group(1)} ({m.group(2)})")
                    details.append(line[len("FAILED "):])
    for o in cell.get("outputs", []):
        if o.output_type == "error":
            if o.ename == TIMEOUT_ENAME:
                return CellScore(gid, 0.0, max_points, "timeout", _first_line(o.evalue))
            name = o.ename.rsplit(".", 1)[-1]
            return CellScore(gid, 0.0, max_points, "failed", _first_line(f"{name}: {o.evalue}"))
    for o in cell.get("outputs", []):
        if o.output_type == "stream" and o.name == "stderr":
            return CellScore(gid, 0.0, max_points, "failed", _first_line("wrote to stderr: " + o.text))
    for o in cell.get("outputs", []):
        if o.output_type == "execute_result":
            points, warning = _partial(o, max_points)
            if points < max_points:
                return CellScore(gid, points, max_points, "partial",
                                 ("failed: " + "; ".join(failures)) if failures else warning, "\n".join(details))
            return CellScore(gid, points, max_points, "passed", warning)
    return CellScore(gid, max_points, max_points, "passed")


def score_all(executed, source, cut=None, keep_going=False):
    """The score of every test cell of the source, read from the executed notebook."""
    positions = {ngm.meta(c)["grade_id"]: i for i, c in enumerate(executed.cells)
                 if ngm.takes_part(c) and isinstance(ngm.meta(c), dict)}
    scores = []
    for cell in source.cells:
        if not is_autograded(cell):
            continue
        gid, max_points = ngm.meta(cell)["grade_id"], float(ngm.meta(cell)["points"])
        i = positions.get(gid)
        if i is None:
            scores.append(CellScore(gid, 0.0, max_points, "deleted", "the test cell is missing"))
        elif cut is not None and not keep_going and i > cut:
            scores.append(CellScore(gid, 0.0, max_points, "not run",
                                    f"not run: the submission timed out in cell {cut}"))
        else:
            scores.append(score_cell(executed.cells[i], gid, max_points))
    return scores


def is_autograded(cell):
    """A test cell, scored from its outputs. A graded solution cell (a written answer) is marked by hand."""
    return ngm.is_grade(cell) and not ngm.is_solution(cell)


def manual_answers(submission, source):
    """The written answers the lecturer marks by hand: whether the submission has one for each."""
    from release import TEXT_STUB
    texts = {ngm.meta(c)["grade_id"]: c.source for c in submission.cells
             if ngm.takes_part(c) and isinstance(ngm.meta(c), dict) and "grade_id" in ngm.meta(c)}
    found = []
    for cell in source.cells:
        if ngm.is_grade(cell) and ngm.is_solution(cell):
            gid = ngm.meta(cell)["grade_id"]
            text = texts.get(gid, "").strip()
            found.append(ManualAnswer(gid, float(ngm.meta(cell)["points"]), bool(text) and text != TEXT_STUB))
    return found


def run_source(source, cwd, timeout=120, kernel=KERNEL):
    """Executes an instructor notebook as it is: (executed copy, scores, seconds)."""
    started = time.monotonic()
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    executed, cut = execute(nb, cwd, timeout, False, kernel)
    return executed, score_all(executed, source, cut), time.monotonic() - started


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def grade_notebook(submission, source, student="", path="", cwd=".", timeout=60, keep_going=False,
                   kernel=KERNEL):
    """Grades one submission (a notebook node) against the instructor's source notebook."""
    started = time.monotonic()
    cpu = _children_cpu()
    released = release(source)
    flags = []
    problems = ngm.notebook_problems(submission, student=True)
    if problems:
        flags.append("nbgrader metadata changed: " + problems[0] + (f" (+{len(problems) - 1} more)"
                                                                    if len(problems) > 1 else ""))
    nb, restore_flags = restore(submission, source, released)
    flags += restore_flags
    executed, cut = execute(nb, cwd, timeout, keep_going, kernel)
    scores = score_all(executed, source, cut, keep_going)
    timed_out = ""
    if cut is not None:
        m = ngm.meta(executed.cells[cut])
        timed_out = f"cell {cut}" + (f" ({m['grade_id']})" if m and isinstance(m, dict) and "grade_id" in m else "")
        flags.append(f"timed out in {timed_out} after {timeout} s" + ("" if keep_going else "; the rest scored 0"))
    return Result(student, str(path), scores, flags, time.monotonic() - started, timed_out,
                  _children_cpu() - cpu, manual=manual_answers(submission, source), notebook=executed)


def grade_file(path, source, student=None, timeout=60, keep_going=False, kernel=KERNEL):
    path = pathlib.Path(path)
    try:
        submission = nbformat.read(path, as_version=4)
    except Exception as e:  # an unreadable file is a result, not a crash of the whole run
        return Result(student or path.stem, str(path), [
            CellScore(ngm.meta(c)["grade_id"], 0.0, float(ngm.meta(c)["points"]), "failed", "unreadable notebook")
            for c in source.cells if is_autograded(c)], [f"not a readable notebook: {_first_line(str(e))}"], 0.0)
    return grade_notebook(submission, source, student or path.stem, path, path.parent, timeout, keep_going, kernel)


def find_submissions(folder, assignment):
    """(student, notebook path) for every submission in a folder: `student.ipynb` files directly in it, or one
    folder per student holding `<assignment>.ipynb` anywhere below it (nbgrader's submitted/<student>/<assignment>/),
    or else the only notebook below it."""
    folder = pathlib.Path(folder)
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_file() and entry.suffix == ".ipynb":
            found.append((entry.stem, entry))
        elif entry.is_dir():
            named = sorted(p for p in entry.rglob(f"{assignment}.ipynb") if ".ipynb_checkpoints" not in p.parts)
            others = sorted(p for p in entry.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if named:
                found.append((entry.name, named[0]))
            elif len(others) == 1:
                found.append((entry.name, others[0]))
            elif others:
                found.append((entry.name, None))
    return found
