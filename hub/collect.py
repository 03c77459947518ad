#!/usr/bin/env python3
"""Collects every student's submission of an assignment from their home on the hub and grades the class in one run.

    .venv/bin/python hub/collect.py a1-lstm-step --homes hub/state/home [--path lessons/assignments/{name}.ipynb]
                                   [--out collected/] [--csv grades.csv] [--timeout 60] [--jobs 2]
                                   [--maven-repo DIR] [--source instructor/source]

For every student folder in HOMES it copies HOMES/STUDENT/PATH (default: the copy of the assignment the hub put in
their home, lessons/assignments/NAME.ipynb, which they edited and saved) to OUT/NAME/STUDENT.ipynb, so the graded
notebooks are a snapshot taken at one moment, the deadline. Students without the notebook are listed as missing.
Then the project's grader (grader/grader.py) grades OUT/NAME in one run: one row per student, one column per test
cell, a cell that runs longer than --timeout cuts that student off with 0 for the rest, and the run goes on with
the next student. The kernel is the hub's (its kernelspec in STATE/prefix next to HOMES, found before any other;
its Maven repository with --maven-repo, default $RNNLAB_HUB_MAVEN_REPO).
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


def kernel_environment(homes, maven_repo=None):
    """The environment changes that make the grader's kernels the hub's: its kernelspec (STATE/prefix next to
    HOMES, found first) and its shared Maven repository, if it has one."""
    env = {}
    prefix = pathlib.Path(homes).resolve().parent / "prefix" / "share" / "jupyter"
    if prefix.is_dir():
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(prefix), os.environ.get("JUPYTER_PATH")]))
    if maven_repo:
        env["JDK_JAVA_OPTIONS"] = " ".join(filter(None, [os.environ.get("JDK_JAVA_OPTIONS"),
                                                          f"-Dmaven.repo.local={maven_repo}"]))
    return env


def grade_class(name, homes, relpath, out, csv_path=None, timeout=60, jobs=1, source=grader.SOURCE,
                maven_repo=None, report=sys.stdout):
    """Collects the class's notebooks into OUT/NAME and grades them in one run; returns (results, missing)."""
    folder = pathlib.Path(out) / name
    got, missing = collect(homes, name, relpath, folder)
    print(f"collected {len(got)} submissions of {name} into {folder}" +
          (f"; no notebook from: {', '.join(missing)}" if missing else ""), file=report)
    if not got:
        return [], missing
    saved = dict(os.environ)
    os.environ.update(kernel_environment(homes, maven_repo))
    try:
        results = grader.grade(name, [str(folder)], csv_path=csv_path, timeout=timeout, jobs=jobs,
                               source_dir=pathlib.Path(source), out=report)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return results, missing


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
    parser.add_argument("--maven-repo", default=os.environ.get("RNNLAB_HUB_MAVEN_REPO") or None,
                        help="the hub's shared Maven repository, if it has one (hub.py --maven-repo)")
    args = parser.parse_args(argv)
    results, _ = grade_class(args.name, args.homes, args.path, args.out, args.csv, args.timeout, args.jobs,
                             args.source, args.maven_repo)
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
