"""nbgrader itself (from the project's .venv) runs a course of the four assignments with the project's Java kernel.

In a temporary course directory (the repository's nbgrader_config.py, instructor/source/ copied as source/), the
commands a lecturer runs:

    nbgrader generate_assignment NAME --force                      the student version, into release/
    nbgrader autograde NAME --create --force                       every prepared submission of NAME, in one run
    nbgrader autograde a1-lstm-step --student hanging --create --force --Execute.timeout=15
    nbgrader generate_feedback NAME --force                        HTML feedback, into feedback/

Two assignments are graded at a time, each with its own gradebook (--CourseDirectory.db_url=.../gradebook-NAME.db:
SQLite takes one writer at a time): nbgrader runs one kernel at a time, and CI has two cores.

and checks: generate_assignment gives exactly the project's release (notebooks/assignments/), cell for cell,
metadata, locks and checksums included, with no solution and no hidden-test text; autograde gives, for every
graded cell of every submission, the score the project's grader (grader/grader.py) gives; the feedback HTML holds
no line of a hidden test (nbgrader_config.py adds ClearHiddenTests to generate_feedback), while the same
notebook converted without it does (so the check can fail); nbgrader's checksum warnings are what
instructor/README.md says they are.

The submissions: every assignment's solution (full marks) and its prepared mistake in every part (partial credit
everywhere), as in test_assignments.py; for a1 also the released notebook (0), one wrong part, a partial answer
(only the first part done), a locked test cell edited to pass (restored, so it does not pass), and an endless
loop (interrupted by the per-cell timeout; the project's grader is run with --keep-going, which is nbgrader's
interrupt_on_timeout). nbgrader needs its own bin/ on PATH (it runs `alembic`); the tests put .venv/bin there.
"""
import concurrent.futures
import html
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import grader  # noqa: E402
import nbgrader_meta as ngm  # noqa: E402
import test_assignments as ta  # noqa: E402  (its submissions and its shared grading run)

NAMES = ta.NAMES
# nbgrader's Execute.timeout for the hanging submission (each cell, the %maven one included; two cells hang, each
# spinning a core until it is cut off). a1's slowest cell, %maven, took 5.6 s and every other under 3 s with the
# machine fully loaded (load average 9 on 2 cores, during a whole ./rnnlab test), so 15 s leaves ample margin.
HANG_TIMEOUT = 15
A1 = "a1-lstm-step"


def one_wrong(name):
    """The solution with the prepared mistake in one part only (the second)."""
    nb = ta.solved(name)
    gid, old, new, _, _ = ta.WRONG[name][1]
    cell = ta.by_id(nb)[gid]
    cell.source = cell.source.replace(old, new, 1)
    return nb


def partial(name):
    """The released notebook with only the first part answered."""
    nb = ta.released_nb(name)
    first = next(c for c in nb.cells if ngm.is_solution(c) and c.cell_type == "code")
    first.source = ta.by_id(ta.source_nb(name))[ngm.meta(first)["grade_id"]].source
    return nb


def tampered_only(name):
    """The solution with its first test cell edited to pass with nothing checked."""
    nb = ta.solved(name)
    cell = ta.by_id(nb)[ta.TAMPERED_CELL]
    cell.source = f'TestCell.of("{ta.TAMPERED_CELL}", 2).check(2, "everything", () -> {{ }}).score()'
    return nb


def submissions(name):
    subs = {"solved": ta.solved(name), "wrong": ta.wrong(name)}
    if name == A1:
        subs.update(released=ta.released_nb(name), tampered=ta.tampered(name), one_wrong=one_wrong(name),
                    partial=partial(name), tampered_only=tampered_only(name))
    return subs


HIDDEN = re.compile(r"BEGIN HIDDEN TESTS[^\n]*\n(.*?)\n[^\n]*END HIDDEN TESTS", re.S)


def hidden_lines(source_nb):
    """Every line of code between BEGIN and END HIDDEN TESTS in the source notebook (long enough to be telling),
    except lines that also stand outside the hidden regions (a visible check may share a line with a hidden one)."""
    lines, visible = [], set()
    for cell in source_nb.cells:
        for m in HIDDEN.finditer(cell.source):
            lines += [" ".join(l.split()) for l in m.group(1).splitlines() if len(l.strip()) >= 12]
        visible.update(" ".join(l.split()) for l in HIDDEN.sub("", cell.source).splitlines())
    return [l for l in lines if l not in visible]


def leaked(feedback_html, lines):
    """The hidden-test lines that can be read in a feedback page (tags removed, entities decoded, spaces folded:
    syntax highlighting splits code into many <span>s)."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", feedback_html)).split())
    found = [l for l in lines if l in text]
    if "BEGIN HIDDEN TESTS" in text:
        found.append("BEGIN HIDDEN TESTS")
    return found


def split_by_student(log, name):
    """One autograde run's log cut into each submission's part: a line naming a file under
    submitted/STUDENT/NAME/ starts (or continues) that student's part; the lines after it belong to it."""
    parts, student = {}, None
    mark = re.compile(rf"submitted/([^/\s]+)/{re.escape(name)}\b")
    for line in log.splitlines(keepends=True):
        m = mark.search(line)
        if m:
            student = m.group(1)
        if student is not None:
            parts[student] = parts.get(student, "") + line
    return parts


class Course:
    """The course directory, set up and graded once, and what each step said."""
    root = None
    logs = {}
    seconds = {}
    project = {}          # (name, student) -> {grade_id: points} from the project's grader

    @classmethod
    def get(cls):
        if cls.root is None:
            cls._run()
        return cls

    @classmethod
    def nbgrader(cls, key, *args):
        env = dict(os.environ, PATH=f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        started = time.monotonic()
        p = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cls.root, env=env, capture_output=True,
                           text=True, timeout=1800)
        cls.seconds[key] = time.monotonic() - started
        cls.logs[key] = p.stdout + p.stderr
        if p.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} failed (status {p.returncode}):\n{cls.logs[key][-5000:]}")
        return cls.logs[key]

    @classmethod
    def gradebook(cls, name):
        """Each assignment's gradebook: its own SQLite file, so that two assignments can be graded at once
        (nbgrader's one gradebook.db is one writer at a time)."""
        return f"sqlite:///{cls.root / f'gradebook-{name}.db'}"

    @classmethod
    def _pipeline(cls, name):
        """What a lecturer runs for one assignment: generate_assignment; autograde of every submission in one run
        (one nbgrader start per assignment, not one per submission; for a1 the hanging submission apart, with a
        shorter per-cell timeout, as two of its cells hang); generate_feedback."""
        db = f"--CourseDirectory.db_url={cls.gradebook(name)}"
        cls.nbgrader(("generate", name), "generate_assignment", name, "--force", db)
        log = cls.nbgrader(("autograde", name), "autograde", name, "--create", "--force", db,
                           "--CourseDirectory.student_id_exclude=hanging")
        for student, part in split_by_student(log, name).items():
            cls.logs[("autograde", name, student)] = part
        if name == A1:
            cls.nbgrader(("autograde", A1, "hanging"), "autograde", A1, "--student", "hanging", "--create",
                         "--force", db, f"--Execute.timeout={HANG_TIMEOUT}")
        cls.nbgrader(("feedback", name), "generate_feedback", name, "--force", db)

    @classmethod
    def _run(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="rnnlab-nbgrader-course-")
        root = cls.root = pathlib.Path(cls._tmp.name)
        shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
        for name in NAMES:
            shutil.copytree(grader.source_path(name).parent, root / "source" / name)
            for student, nb in submissions(name).items():
                folder = root / "submitted" / student / name
                folder.mkdir(parents=True)
                nbformat.write(nb, str(folder / f"{name}.ipynb"))
        hang = root / "submitted" / "hanging" / A1
        hang.mkdir(parents=True)
        nbformat.write(ta.hanging(A1), str(hang / f"{A1}.ipynb"))

        # Two assignments at a time (nbgrader runs one kernel at a time; the machine has two cores): a1, the
        # longest, on one side, the three others one after the other on the other side.
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for done in [pool.submit(cls._pipeline, name) for name in NAMES]:
                done.result()
        cls.seconds["nbgrader, all four assignments"] = time.monotonic() - started

        # The project's grader on the same submissions. The ones test_assignments.py grades already are taken
        # from its run; the others are graded here (the hanging one with --keep-going, nbgrader's behaviour).
        shared = {("solved", n): ("solved", n) for n in NAMES}
        shared.update({("wrong", n): ("wrong", n) for n in NAMES[1:]})
        shared.update({("released", A1): ("released", A1), ("tampered", A1): ("wrong", A1)})
        for (student, name), (their_student, their_name) in shared.items():
            r = ta.Graded.result(their_name, their_student)
            cls.project[(name, student)] = {s.grade_id: s.points for s in r.scores}
        work = []
        for name in NAMES:
            for student in submissions(name):
                if (name, student) in cls.project:
                    continue
                work += grader.plan(name, [root / "submitted" / student / name / f"{name}.ipynb"],
                                    timeout=ta.CELL_TIMEOUT)
        work += grader.plan(A1, [hang / f"{A1}.ipynb"], timeout=HANG_TIMEOUT, keep_going=True)
        work = [(pathlib.Path(w[1]).parts[-3],) + tuple(w[1:]) for w in work]    # the student is the folder
        started = time.monotonic()
        for r in grader.run(work, jobs=ta.JOBS, out=open(os.devnull, "w")):
            name = pathlib.Path(r.path).parts[-2]
            cls.project[(name, r.student)] = {s.grade_id: s.points for s in r.scores}
        cls.seconds["project grader"] = time.monotonic() - started
        print(f"\n  nbgrader: " + ", ".join(f"{' '.join(k) if isinstance(k, tuple) else k} {v:.0f} s"
                                         for k, v in cls.seconds.items()), file=sys.stderr)

    @classmethod
    def nbgrader_scores(cls):
        from nbgrader.api import Gradebook
        scores = {}
        # the test cells (code); a written answer (a manually graded markdown cell) is the lecturer's to mark
        tests = {name: {ngm.meta(c)["grade_id"] for c in ta.source_nb(name).cells
                        if ngm.is_grade(c) and c.cell_type == "code"} for name in NAMES}
        for name in NAMES:
            with Gradebook(cls.gradebook(name)) as gb:
                for student in list(submissions(name)) + (["hanging"] if name == A1 else []):
                    nb = gb.find_submission_notebook(name, name, student)
                    scores[(name, student)] = {g.name: g.score for g in nb.grades if g.name in tests[name]}
        return scores


class GenerateAssignment(unittest.TestCase):
    def test_student_versions_are_the_projects_release(self):
        course = Course.get()
        for name in NAMES:
            theirs = nbformat.read(str(course.root / "release" / name / f"{name}.ipynb"), as_version=4)
            ours = ta.released_nb(name)
            with self.subTest(name=name):
                self.assertEqual(len(ours.cells), len(theirs.cells), "number of cells")
                for i, (a, b) in enumerate(zip(ours.cells, theirs.cells)):
                    where = f"{name} cell {i} ({ngm.meta(a).get('grade_id', a.cell_type) if ngm.meta(a) else a.cell_type})"
                    self.assertEqual(a.cell_type, b.cell_type, where)
                    self.assertEqual(a.source, b.source, f"{where}: source differs from nbgrader's")
                    self.assertEqual(a.metadata, b.metadata, f"{where}: metadata (locks, checksum) differ")
                    self.assertEqual(a.get("outputs"), b.get("outputs"), f"{where}: outputs differ")
                self.assertEqual(ours.metadata, theirs.metadata)
                text = "\n".join(c.source for c in theirs.cells)
                self.assertNotIn("BEGIN SOLUTION", text)
                self.assertNotIn("HIDDEN TESTS", text)
                self.assertEqual([], [l for l in hidden_lines(ta.source_nb(name)) if l in " ".join(text.split())])


class Autograde(unittest.TestCase):
    def test_nbgrader_and_the_projects_grader_give_the_same_score_for_every_graded_cell(self):
        course = Course.get()
        theirs = course.nbgrader_scores()
        report, differ = [], []
        for key in sorted(theirs):
            ours = course.project[key]
            report.append(f"{key[0]:<13} {key[1]:<13} " + "  ".join(
                f"{gid} {ours.get(gid)}/{theirs[key].get(gid)}" for gid in theirs[key]))
            self.assertEqual(set(ours), set(theirs[key]), f"{key}: graded cells differ")
            for gid, points in theirs[key].items():
                if abs(points - ours[gid]) > 1e-9:
                    differ.append(f"{key[0]} {key[1]} {gid}: nbgrader {points}, grader.py {ours[gid]}")
        print("\n  project grader / nbgrader, per graded cell:\n    " + "\n    ".join(report), file=sys.stderr)
        self.assertEqual([], differ)

    def test_the_submissions_score_what_they_were_made_to(self):
        s = Course.get().nbgrader_scores()
        for name in NAMES:
            self.assertEqual(10, sum(s[(name, "solved")].values()), f"{name}: the solution earns full marks")
            wrong = s[(name, "wrong")]
            self.assertTrue(all(0 < wrong[t] < ta.by_id(ta.source_nb(name))[t].metadata.nbgrader.points
                                for _, _, _, t, _ in ta.WRONG[name]), f"{name}: partial credit in every part")
        a1 = lambda student: s[(A1, student)]  # noqa: E731
        self.assertEqual(0, sum(a1("released").values()))
        self.assertEqual(2, a1("one_wrong")["test_sigmoid"])
        self.assertLess(a1("one_wrong")["test_lstm_step"], 5)
        self.assertEqual({"test_sigmoid": 2, "test_lstm_step": 0, "test_run": 0}, a1("partial"))
        self.assertLess(a1("tampered")["test_sigmoid"], 2, "the edited test cell was graded, not the original")
        self.assertEqual({"test_sigmoid": 2, "test_lstm_step": 0, "test_run": 0}, a1("hanging"))

    def test_the_hanging_submission_was_interrupted(self):
        log = Course.get().logs[("autograde", A1, "hanging")]
        self.assertRegex(log, r"(?i)timeout|timed out|interrupt", "nbgrader's log says nothing of the timeout")
        self.assertLess(Course.seconds[("autograde", A1, "hanging")], 6 * HANG_TIMEOUT + 120)

    def test_checksum_warnings_are_what_the_readme_says(self):
        """With hidden tests every test cell's checksum 'has changed', even in an untouched submission: nbgrader
        compares with the source (hidden tests in), and the student's copy never had them. What tells an edit is
        the 'got' checksum against the released notebook's: equal when untouched, different when edited."""
        course = Course.get()
        released = {ngm.meta(c)["grade_id"]: ngm.meta(c)["checksum"] for c in ta.released_nb(A1).cells
                    if ngm.takes_part(c)}
        pattern = re.compile(r"Attribute 'checksum' for cell (\S+) has changed! \(should be: (\w+), got: (\w+)\)")
        untouched = pattern.findall(course.logs[("autograde", A1, "solved")])
        self.assertEqual({"test_sigmoid", "test_lstm_step", "test_run"}, {gid for gid, _, _ in untouched},
                         "nbgrader warns of every test cell of an untouched submission")
        for gid, should, got in untouched:
            self.assertEqual(released[gid], got, f"untouched {gid}: 'got' is the released checksum")
        edited = {gid: got for gid, _, got in pattern.findall(course.logs[("autograde", A1, "tampered_only")])}
        self.assertNotEqual(released[ta.TAMPERED_CELL], edited[ta.TAMPERED_CELL], "an edit changes 'got'")
        self.assertEqual(released["test_run"], edited["test_run"])


class GenerateFeedback(unittest.TestCase):
    def test_feedback_shows_no_hidden_test(self):
        course = Course.get()
        pages = sorted((course.root / "feedback").glob("*/*/*.html"))
        self.assertEqual(sum(len(submissions(n)) for n in NAMES) + 1, len(pages), [str(p) for p in pages])
        for page in pages:
            name = page.parent.name
            with self.subTest(page=str(page.relative_to(course.root))):
                text = page.read_text(encoding="utf-8")
                self.assertIn(f"<title>{name}</title>", text)
                self.assertEqual([], leaked(text, hidden_lines(ta.source_nb(name))),
                                 "hidden tests in the feedback: is ClearHiddenTests in GenerateFeedback.preprocessors?")

    def test_the_check_finds_hidden_tests_in_feedback_made_without_clearing_them(self):
        """The same autograded notebook, converted to HTML without ClearHiddenTests (nbgrader's default
        generate_feedback): the check must see the hidden tests."""
        from nbconvert import HTMLExporter
        course = Course.get()
        graded = nbformat.read(str(course.root / "autograded" / "wrong" / A1 / f"{A1}.ipynb"), as_version=4)
        body, _ = HTMLExporter().from_notebook_node(graded)
        found = leaked(body, hidden_lines(ta.source_nb(A1)))
        self.assertGreaterEqual(len(found), 5, found)


if __name__ == "__main__":
    unittest.main()
