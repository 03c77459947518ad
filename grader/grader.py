#!/usr/bin/env python3
"""Coursework that grades itself: build, release and grade the RNN Lab assignments (nbgrader-compatible).

    grader.py build    [NAME...]   instructor/edit-here/NAME.md -> instructor/source/NAME/NAME.ipynb, executed and stored
                                   WITH outputs; it must score full marks
    grader.py release  [NAME...]   instructor/source/NAME/NAME.ipynb -> notebooks/assignments/NAME.ipynb, the
                                   student version (solutions stubbed, hidden tests removed, cells locked, checksums)
    grader.py grade NAME PATH...   grades submitted notebooks of assignment NAME: a PATH is a notebook, or a folder
                                   of them (one per student: STUDENT.ipynb, or STUDENT/.../NAME.ipynb)
        --csv FILE          also write the table as CSV (one row per student)
        --timeout S         seconds a cell may run (default 60); a cell that runs longer stops that submission
        --keep-going        after a timeout, interrupt the cell and run the rest (nbgrader's behaviour)
        --jobs N            grade N submissions at a time (default 1; each runs its own kernel)
        --source DIR        where the instructor's source notebooks are (default instructor/source): keep a
                            private copy of them and point here
        --feedback DIR      write each executed submission to DIR/STUDENT.ipynb
    grader.py check    [NAME...]   without running anything: sources match the Markdown, metadata valid, released
                                   versions up to date and free of solutions and hidden tests
    grader.py validate FILE...     checks notebooks against nbgrader's cell metadata schema version 3

NAME defaults to every assignment in instructor/edit-here/. Runs with the project's .venv (nbformat, nbclient; it switches to .venv/bin/python itself);
the kernel is the installed `java` kernelspec (set JUPYTER_PATH to use another installation).
"""
import os as _os
import sys as _sys
if __name__ == "__main__":   # run with the project's .venv (./rnnlab venv) when there is one and this is not it
    _venv = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", ".venv")
    if _os.path.isfile(_os.path.join(_venv, "bin", "python")) and \
            _os.path.realpath(_sys.prefix) != _os.path.realpath(_venv):
        _os.execv(_os.path.join(_venv, "bin", "python"), [_os.path.join(_venv, "bin", "python"), *_sys.argv])
import argparse
import concurrent.futures
import csv
import pathlib
import sys
import time

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import grading  # noqa: E402
import nbgrader_meta as ngm  # noqa: E402
import release as rel  # noqa: E402
import source as src  # noqa: E402

ROOT = HERE.parent
MARKDOWN = ROOT / "instructor" / "edit-here"
SOURCE = ROOT / "instructor" / "source"
RELEASED = ROOT / "notebooks" / "assignments"


def names_or_all(names):
    if names:
        return names
    return sorted(p.stem for p in MARKDOWN.glob("*.md"))


def source_path(name, source_dir=SOURCE):
    return pathlib.Path(source_dir) / name / f"{name}.ipynb"


def released_path(name):
    return RELEASED / f"{name}.ipynb"


def read(path):
    return nbformat.read(str(path), as_version=4)


def write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def fmt(v):
    return str(int(v)) if float(v) == int(v) else f"{v:.2f}".rstrip("0")


# ------------------------------------------------------------------------------------------------ build / release

def build(names):
    failed = 0
    for name in names_or_all(names):
        nb = src.build_notebook(name, (MARKDOWN / f"{name}.md").read_text())
        target = source_path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        executed, scores, seconds = grading.run_source(nb, target.parent)
        for cell in executed.cells:
            cell.metadata.pop("execution", None)
        problems = grading_problems(executed)
        write(executed, target)
        total, most = sum(s.points for s in scores), sum(s.max_points for s in scores)
        by_hand = sum(float(ngm.meta(c)["points"]) for c in executed.cells if ngm.is_grade(c) and ngm.is_solution(c))
        print(f"{name}: built in {seconds:.1f} s, {fmt(total)} of {fmt(most)} points"
              + (f" (+ {fmt(by_hand)} marked by hand)" if by_hand else "") + f" -> {target.relative_to(ROOT)}")
        for s in scores:
            if s.points < s.max_points:
                problems.append(f"{s.grade_id}: {fmt(s.points)}/{fmt(s.max_points)} {s.message}")
        for p in problems:
            print(f"  PROBLEM {p}")
        failed += bool(problems)
    return 1 if failed else 0


def grading_problems(executed):
    """Errors and stderr output in an executed instructor notebook (which must have none)."""
    found = []
    for i, cell in enumerate(executed.cells):
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                found.append(f"cell {i}: {o.ename}: {grading._first_line(o.evalue)}")
            elif o.output_type == "stream" and o.name == "stderr":
                found.append(f"cell {i}: stderr: {grading._first_line(o.text)}")
    return found


def release(names):
    for name in names_or_all(names):
        student = rel.release(read(source_path(name)))
        write(student, released_path(name))
        graded = [c for c in student.cells if grading.is_autograded(c)]
        written = [c for c in student.cells if ngm.is_grade(c) and ngm.is_solution(c)]
        points = sum(ngm.meta(c)["points"] for c in graded)
        by_hand = sum(ngm.meta(c)["points"] for c in written)
        print(f"{name}: released {len(graded)} test cells, {fmt(points)} points"
              + (f", and {len(written)} written answer{'s' if len(written) != 1 else ''} marked by hand, "
                 f"{fmt(by_hand)} points" if written else "") + f" -> {released_path(name).relative_to(ROOT)}")
    return 0


def check(names):
    failures = 0
    for name in names_or_all(names):
        messages = []
        expected = src.build_notebook(name, (MARKDOWN / f"{name}.md").read_text())
        stored = read(source_path(name)) if source_path(name).exists() else None
        if stored is None:
            messages.append(f"{source_path(name).relative_to(ROOT)} is missing")
        else:
            if [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in stored.cells] != \
                    [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in expected.cells]:
                messages.append(f"{source_path(name).relative_to(ROOT)} does not match instructor/edit-here/{name}.md "
                                f"(rebuild: grader.py build {name})")
            messages += ngm.notebook_problems(stored, student=False)
            if released_path(name).exists():
                released = read(released_path(name))
                fresh = rel.release(stored)
                if nbformat.writes(fresh) != nbformat.writes(released):
                    messages.append(f"{released_path(name).relative_to(ROOT)} is stale (grader.py release {name})")
                messages += ngm.notebook_problems(released, student=True)
                messages += rel.leaks(stored, released)
            else:
                messages.append(f"{released_path(name).relative_to(ROOT)} is missing (grader.py release {name})")
        print(f"{name}: {'ok' if not messages else 'FAILED'}")
        for m in messages:
            print(f"  {m}")
        failures += bool(messages)
    return 1 if failures else 0


def validate(paths):
    bad = 0
    for p in paths:
        nb = read(p)
        student = any("checksum" in (ngm.meta(c) or {}) for c in nb.cells)
        problems = ngm.notebook_problems(nb, student=student)
        print(f"{p}: {'valid' if not problems else 'INVALID'} ({'student' if student else 'source'} version,"
              f" nbgrader cell metadata schema 3)")
        for m in problems:
            print(f"  {m}")
        bad += bool(problems)
    return 1 if bad else 0


# ------------------------------------------------------------------------------------------------ grade

def _grade_one(args):
    student, path, source_file, timeout, keep_going, feedback = args
    source = read(source_file)
    if path is None:
        return grading.Result(student, "", [grading.CellScore(ngm.meta(c)["grade_id"], 0.0,
                                                              float(ngm.meta(c)["points"]), "failed", "no notebook")
                                            for c in source.cells if grading.is_autograded(c)],
                              ["several notebooks and none named after the assignment"], 0.0)
    result = grading.grade_file(path, source, student, timeout, keep_going)
    if feedback and result.notebook is not None:
        write(result.notebook, pathlib.Path(feedback) / f"{student}.ipynb")
    result.notebook = None
    return result


def collect(name, paths):
    subs = []
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            subs += grading.find_submissions(p, name)
        elif p.exists():
            subs.append((p.stem if p.stem != name else p.parent.name or p.stem, p))
        else:
            raise SystemExit(f"grader: no such file or folder: {p}")
    return subs


def plan(name, paths, timeout=60, keep_going=False, source_dir=SOURCE, feedback=None):
    """The work of grading the submissions found in `paths` for assignment `name`: one item per student."""
    source_file = source_path(name, source_dir)
    if not source_file.exists():
        raise SystemExit(f"grader: no source notebook {source_file}; is '{name}' the assignment's name, and "
                         f"--source the folder of your (private) instructor/source?")
    subs = collect(name, paths)
    if not subs:
        raise SystemExit("grader: no submissions found")
    return [(s, p, source_file, timeout, keep_going, feedback) for s, p in subs]


def run(work, jobs=1, out=sys.stdout):
    """Grades every work item, `jobs` at a time (each with its own kernel), reporting each as it finishes."""
    results = []
    if jobs > 1 and len(work) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            for r in pool.map(_grade_one, work):
                report_one(r, out, details=False)
                results.append(r)
    else:
        for w in work:
            r = _grade_one(w)
            report_one(r, out, details=len(work) == 1)
            results.append(r)
    return results


def grade(name, paths, csv_path=None, timeout=60, keep_going=False, jobs=1, source_dir=SOURCE, feedback=None,
          out=sys.stdout):
    """Grades submissions of one assignment: a report per student, a summary table, and the CSV."""
    started = time.monotonic()
    results = run(plan(name, paths, timeout, keep_going, source_dir, feedback), jobs, out)
    if len(results) > 1:
        summary(results, out)
    if csv_path:
        write_csv(results, csv_path)
        print(f"wrote {csv_path}", file=out)
    print(f"graded {len(results)} submission{'s' if len(results) != 1 else ''} of {name} in "
          f"{time.monotonic() - started:.1f} s", file=out)
    return results


def report_one(r, out=sys.stdout, details=False):
    print(f"\n{r.student}  ({r.path})  {fmt(r.total)} / {fmt(r.max_total)} points, graded in {r.seconds:.1f} s"
          f" ({r.cpu:.1f} s CPU)", file=out)
    width = max([len(s.grade_id) for s in r.scores] + [len(m.grade_id) for m in r.manual] + [9])
    print(f"  {'test cell':<{width}}  {'points':>9}  status", file=out)
    for s in r.scores:
        note = f"  {s.message}" if s.message else ""
        print(f"  {s.grade_id:<{width}}  {fmt(s.points) + ' / ' + fmt(s.max_points):>9}  {s.status}{note}", file=out)
        if details and s.details:
            for line in s.details.split("\n"):
                print(f"      {line if len(line) <= 150 else line[:149] + '…'}", file=out)
    for m in r.manual:
        print(f"  {m.grade_id:<{width}}  {'? / ' + fmt(m.max_points):>9}  to mark by hand: "
              f"{'answered' if m.answered else 'NO ANSWER'}", file=out)
    for f in r.flags:
        print(f"  FLAG {f}", file=out)


def summary(results, out=sys.stdout):
    ids = [s.grade_id for s in results[0].scores]
    width = max(len(r.student) for r in results + [grading.Result("student", "", [], [], 0)])
    cols = [max(len(i), 5) for i in ids]
    print("\n" + "  ".join([f"{'student':<{width}}"] + [f"{i:>{c}}" for i, c in zip(ids, cols)]
                           + [f"{'total':>7}", "flags"]), file=out)
    for r in results:
        cells = [f"{fmt(s.points):>{c}}" for s, c in zip(r.scores, cols)]
        print("  ".join([f"{r.student:<{width}}"] + cells
                        + [f"{fmt(r.total) + '/' + fmt(r.max_total):>7}", str(len(r.flags)) if r.flags else ""]),
              file=out)


def write_csv(results, path):
    ids = [s.grade_id for s in results[0].scores] if results else []
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "notebook"] + ids + ["total", "max", "seconds", "timed_out", "flags", "failures",
                                                   "details", "to_mark_by_hand"])
        for r in results:
            points = {s.grade_id: s.points for s in r.scores}
            failures = "; ".join(f"{s.grade_id}: {s.message or s.status}" for s in r.scores if s.points < s.max_points)
            details = " | ".join(f"{s.grade_id}: {d}" for s in r.scores for d in s.details.split("\n") if d)
            w.writerow([r.student, r.path] + [fmt(points.get(i, 0.0)) for i in ids]
                       + [fmt(r.total), fmt(r.max_total), f"{r.seconds:.1f}", r.timed_out, " | ".join(r.flags),
                          failures, details,
                          "; ".join(f"{m.grade_id} ({fmt(m.max_points)} points, "
                                    f"{'answered' if m.answered else 'no answer'})" for m in r.manual)])


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    command, rest = argv[1], argv[2:]
    if command == "build":
        return build(rest)
    if command == "release":
        return release(rest)
    if command == "check":
        return check(rest)
    if command == "validate":
        return validate(rest)
    if command == "grade":
        p = argparse.ArgumentParser(prog="grader.py grade")
        p.add_argument("name")
        p.add_argument("paths", nargs="+")
        p.add_argument("--csv")
        p.add_argument("--timeout", type=float, default=60)
        p.add_argument("--keep-going", action="store_true")
        p.add_argument("--jobs", type=int, default=1)
        p.add_argument("--source", default=str(SOURCE))
        p.add_argument("--feedback")
        a = p.parse_args(rest)
        grade(a.name, a.paths, a.csv, a.timeout, a.keep_going, a.jobs, a.source, a.feedback)
        return 0
    print(f"grader: unknown command '{command}'\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
