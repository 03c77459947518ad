#!/usr/bin/env python3
"""Collects every student's submission of an assignment from their home on the hub and grades the class in one run.

    .venv/bin/python hub/collect.py a1-lstm-step --homes hub/state/home [--path lessons/assignments/{name}.ipynb]
                                   [--out collected/] [--csv grades.csv] [--timeout 60] [--jobs 2]

For every student folder in HOMES it copies HOMES/STUDENT/PATH (default: the copy of the assignment the hub put in
their home, lessons/assignments/NAME.ipynb, which they edited and saved) to OUT/NAME/STUDENT.ipynb, so the graded
notebooks are a snapshot taken at one moment, the deadline. Students without the notebook are listed as missing.
Then the project's grader (grader/grader.py) grades OUT/NAME in one run: one row per student, one column per test
cell, a cell that runs longer than --timeout cuts that student off with 0 for the rest, and the run goes on with
the next student. The kernel is the hub's (JUPYTER_PATH of the hub's kernel prefix, STATE/prefix, when found next
to HOMES).
"""
import argparse
import os
import pathlib
import shutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "grader"))
import grader  # noqa: E402


def collect(homes, name, relpath, out):
    """Copies each student's notebook into out/STUDENT.ipynb; returns (collected students, missing students)."""
    homes, out = pathlib.Path(homes), pathlib.Path(out)
    if not homes.is_dir():
        raise SystemExit(f"collect: no folder of homes at {homes}; pass --homes STATE/home of the hub")
    out.mkdir(parents=True, exist_ok=True)
    got, missing = [], []
    for home in sorted(p for p in homes.iterdir() if p.is_dir()):
        notebook = home / relpath.format(name=name)
        if notebook.is_file():
            shutil.copyfile(notebook, out / f"{home.name}.ipynb")
            got.append(home.name)
        else:
            missing.append(home.name)
    return got, missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="the assignment, e.g. a1-lstm-step")
    parser.add_argument("--homes", default=str(HERE / "state" / "home"), help="the students' homes")
    parser.add_argument("--path", default="lessons/assignments/{name}.ipynb",
                        help="where the notebook is in a home ({name} is the assignment)")
    parser.add_argument("--out", default="collected", help="the snapshot of the submissions (default collected/)")
    parser.add_argument("--csv", help="write the table as CSV here")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a cell may run (default 60)")
    parser.add_argument("--jobs", type=int, default=1, help="students graded at a time (default 1)")
    parser.add_argument("--source", default=str(grader.SOURCE), help="your private instructor/source")
    args = parser.parse_args(argv)
    prefix = pathlib.Path(args.homes).resolve().parent / "prefix" / "share" / "jupyter"
    if prefix.is_dir() and "JUPYTER_PATH" not in os.environ:
        os.environ["JUPYTER_PATH"] = str(prefix)
    out = pathlib.Path(args.out) / args.name
    got, missing = collect(args.homes, args.name, args.path, out)
    print(f"collected {len(got)} submissions of {args.name} into {out}" +
          (f"; no notebook from: {', '.join(missing)}" if missing else ""))
    if not got:
        return 1
    grader.grade(args.name, [str(out)], csv_path=args.csv, timeout=args.timeout, jobs=args.jobs,
                 source_dir=pathlib.Path(args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
