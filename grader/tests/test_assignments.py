"""The assignments and their tooling: metadata, release, and grading with the real Java kernel.

Every submission below is graded once (two at a time), the first time a test needs a result; the tests then read
the shared results. The submissions are made from the committed notebooks:

    solved    the released notebook with the instructor's solution cells put back: executing it runs exactly the
              instructor's source notebook, so it must score full marks
    released  the released notebook as a student receives it: 0 on every test cell, and it still runs to the end
    wrong     the solution with one prepared mistake in every part: partial credit everywhere, failing checks named
    tampered  (a1) the wrong one, with a locked test cell edited to pass: flagged, and graded with the original
    hanging   (a1) the solution with an endless loop in part 2: cut off by the per-cell timeout, the rest scores 0
"""
import copy
import csv
import io
import os
import pathlib
import re
import sys
import tempfile
import time
import unittest

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
GRADER = HERE.parent
ROOT = GRADER.parent
sys.path.insert(0, str(GRADER))
sys.path.insert(0, str(ROOT / "notebooks" / "tools"))

import grader  # noqa: E402
import grading  # noqa: E402
import nbbuild  # noqa: E402
import nbgrader_meta as ngm  # noqa: E402
import release as rel  # noqa: E402
import source as src_mod  # noqa: E402

NAMES = ["a1-lstm-step", "a2-bptt", "a3-clipping", "a4-gru"]
JOBS = int(os.environ.get("GRADER_TEST_JOBS", "2"))
CELL_TIMEOUT = 60          # generous for the real work on a busy machine
LOOP_TIMEOUT = 15          # the hanging submission's timeout (the library loads under a longer allowance)

# One prepared mistake per part: (solution grade_id, text in the solution, replacement). Each test cell then earns
# some of its points but not all, and the check that fails is named in the report (the last field).
WRONG = {
    "a1-lstm-step": [
        ("sigmoid", "Math.exp(-z[k])", "Math.exp(z[k])", "test_sigmoid", "values of 1 / (1 + e^−z)"),
        ("lstm_step", 'double[] f = sigmoid(add(mul(m.get("W_xf"), x)', 'double[] f = sigmoid(add(mul(m.get("W_xi"), x)',
         "test_lstm_step", "forget gate f_t"),
        ("run", "c = s.c();", "c = new double[hidden];", "test_run", "h_t at every step"),
    ],
    "a2-bptt": [
        ("forward", "return sum / xs.length;", "return sum;", "test_forward", "the loss L"),
        ("backward", "fromLater[j] += p.Whh()[i][j] * da[i];", "fromLater[j] += 0 * da[i];", "test_backward",
         "∂L/∂W_hh"),
        ("gradient_check", "    row[k] = keep;\n    return", "    return", "test_gradient_check",
         "the weight is put back exactly"),
    ],
    "a3-clipping": [
        ("clip", "if (norm > maxNorm) {", "if (norm > 0) {", "test_clip", "a gradient shorter than maxNorm"),
        ("truncated", "bptt.lossAndReadoutGradient(b, from, done, end)", "bptt.lossAndReadoutGradient(b, from, from, end)",
         "test_truncated", "k1 = 5, k2 = 15"),
        ("train", "task.batch(batchSize, rng)", "task.batch(batchSize, new java.util.Random(seed + i))", "test_train",
         "the clipped run is the library's"),
    ],
    "a4-gru": [
        ("gru_step", 'mul(m.get("W_hn"), times(r, hPrev))', 'mul(m.get("W_hn"), hPrev)', "test_gru_step",
         "a second step"),
        ("test_losses", "builder.lstm(hidden);", 'builder.lstm(hidden, "CIFG");', "test_test_losses",
         "the LSTM of seed 1"),
        ("predict", "new double[m.layer(1).hiddenSize()]", "new double[16]", "test_predict", "an untrained GRU"),
    ],
}
TAMPERED_CELL = "test_sigmoid"


def read(path):
    return nbformat.read(str(path), as_version=4)


def source_nb(name):
    return read(grader.source_path(name))


def released_nb(name):
    return read(grader.released_path(name))


def by_id(nb):
    return {ngm.meta(c)["grade_id"]: c for c in nb.cells if ngm.takes_part(c)}


def solved(name):
    """The released notebook with every solution cell as the instructor wrote it."""
    nb = released_nb(name)
    src = by_id(source_nb(name))
    for cell in nb.cells:
        if ngm.is_solution(cell):
            cell.source = src[ngm.meta(cell)["grade_id"]].source
    return nb


def wrong(name):
    nb = solved(name)
    cells = by_id(nb)
    for gid, old, new, _, _ in WRONG[name]:
        assert old in cells[gid].source, f"{name}/{gid}: the prepared mistake no longer applies ({old!r})"
        cells[gid].source = cells[gid].source.replace(old, new, 1)
    return nb


def tampered(name):
    nb = wrong(name)
    cell = by_id(nb)[TAMPERED_CELL]
    cell.source = f'TestCell.of("{TAMPERED_CELL}", 2).check(2, "everything", () -> {{ }}).score()'
    return nb


def hanging(name):
    nb = solved(name)
    cell = by_id(nb)["lstm_step"]
    cell.source = re.sub(r"// BEGIN SOLUTION.*// END SOLUTION", "while (true) { }", cell.source, flags=re.S)
    return nb


class Graded:
    """Grades every prepared submission once and keeps the results: {(assignment, student): Result}."""
    results = None
    seconds = 0.0
    folder = None
    log = ""
    csv_rows = None

    @classmethod
    def get(cls):
        if cls.results is None:
            cls._grade_all()
        return cls.results

    @classmethod
    def _grade_all(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="rnnlab-grader-test-")
        root = pathlib.Path(cls.folder.name)
        work = []
        for name in NAMES:
            folder = root / name
            folder.mkdir()
            subs = {"solved": solved(name), "released": released_nb(name), "wrong": wrong(name)}
            if name == "a1-lstm-step":
                subs["wrong"] = tampered(name)
                nested = folder / "hanging" / name
                nested.mkdir(parents=True)                      # nbgrader's submitted/<student>/<assignment>/ layout
                nbformat.write(hanging(name), str(nested / f"{name}.ipynb"))
            for student, nb in subs.items():
                nbformat.write(nb, str(folder / f"{student}.ipynb"))
            for item in grader.plan(name, [folder], timeout=CELL_TIMEOUT, feedback=str(root / "feedback" / name)):
                student = item[0]
                work.append(item[:3] + ((LOOP_TIMEOUT if student == "hanging" else CELL_TIMEOUT),) + item[4:])
        out = io.StringIO()
        started = time.monotonic()
        results = grader.run(work, jobs=JOBS, out=out)
        cls.seconds = time.monotonic() - started
        cls.results = {(pathlib.Path(r.path).parts[-2] if r.student != "hanging" else "a1-lstm-step", r.student): r
                       for r in results}
        a1 = [r for r in results if r.path.startswith(str(root / "a1-lstm-step"))]
        grader.summary(a1, out)
        csv_path = root / "a1.csv"
        grader.write_csv(a1, csv_path)
        with open(csv_path, newline="") as f:
            cls.csv_rows = list(csv.DictReader(f))
        cls.log = out.getvalue()
        print(f"\n  graded {len(results)} submissions in {cls.seconds:.1f} s ({JOBS} at a time):", file=sys.stderr)
        for (name, student), r in sorted(cls.results.items()):
            print(f"    {name:<13} {student:<9} {grader.fmt(r.total):>4} / {grader.fmt(r.max_total):<3}"
                  f" {r.seconds:5.1f} s wall, {r.cpu:5.1f} s CPU{'  ' + r.flags[0] if r.flags else ''}", file=sys.stderr)

    @classmethod
    def result(cls, name, student):
        return cls.get()[(name, student)]

    @classmethod
    def executed(cls, name, student):
        cls.get()
        return read(pathlib.Path(cls.folder.name) / "feedback" / name / f"{student}.ipynb")


# ------------------------------------------------------------------------------------------------ static checks

class MetadataTest(unittest.TestCase):
    def test_every_notebook_follows_nbgrader_schema_3(self):
        for name in NAMES:
            with self.subTest(name=name):
                self.assertEqual([], ngm.notebook_problems(source_nb(name), student=False))
                self.assertEqual([], ngm.notebook_problems(released_nb(name), student=True))

    def test_every_test_cell_has_points_and_a_unique_id(self):
        for name in NAMES:
            graded = [c for c in source_nb(name).cells if grading.is_autograded(c)]
            self.assertGreaterEqual(len(graded), 3, name)
            self.assertEqual(10, sum(ngm.meta(c)["points"] for c in graded), f"{name}: 10 points in all")

    def test_every_assignment_has_one_written_answer_marked_by_hand(self):
        for name in NAMES:
            with self.subTest(name=name):
                src = [c for c in source_nb(name).cells if ngm.is_grade(c) and ngm.is_solution(c)]
                self.assertEqual(1, len(src), "one conceptual question, nbgrader's manually graded answer")
                self.assertEqual("markdown", src[0].cell_type)
                self.assertGreater(ngm.meta(src[0])["points"], 0)
                self.assertGreater(len(src[0].source), 200, "the instructor version holds a model answer")
                student = by_id(released_nb(name))[ngm.meta(src[0])["grade_id"]]
                self.assertEqual(rel.TEXT_STUB, student.source)
                self.assertIs(False, student.metadata.get("deletable"))
                self.assertNotIn("editable", student.metadata, "the student writes the answer there")

    def test_the_validator_rejects_what_the_schema_forbids(self):
        def cell(kind="code", **meta):
            c = nbformat.v4.new_code_cell("x") if kind == "code" else nbformat.v4.new_markdown_cell("x")
            c.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False, **meta}
            return c

        ok = cell(grade=True, locked=True, grade_id="t1", points=2)
        self.assertEqual([], ngm.cell_problems(ok, student=False))
        bad = {
            "extra key": cell(grade_id="a", locked=True, comment="no"),
            "schema 2": cell(schema_version=2, grade_id="a", locked=True),
            "bool as version": cell(schema_version=True, grade_id="a", locked=True),
            "bad grade_id": cell(locked=True, grade_id="has space"),
            "no grade_id": cell(locked=True),
            "graded without points": cell(grade=True, grade_id="a"),
            "points on an ungraded cell": cell(solution=True, grade_id="a", points=1),
            "negative points": cell(grade=True, grade_id="a", points=-1),
            "task on a code cell": cell(task=True, grade_id="a"),
            "checksum in a source": cell(locked=True, grade_id="a", checksum="0" * 32, cell_type="code"),
            "markdown grade without solution": cell("markdown", grade=True, grade_id="a", points=1),
            "string flag": cell(grade="yes", grade_id="a"),
        }
        for what, c in bad.items():
            with self.subTest(what=what):
                self.assertNotEqual([], ngm.cell_problems(c, student=False), what)
        missing = cell(solution=True, grade_id="s")
        self.assertTrue(ngm.cell_problems(missing, student=True), "a student version needs checksum and cell_type")
        nb = nbformat.v4.new_notebook()
        nb.cells = [cell(locked=True, grade_id="same"), cell(locked=True, grade_id="same")]
        self.assertTrue(any("already used" in p for p in ngm.notebook_problems(nb, student=False)))

    def test_checksum_is_nbgraders(self):
        import hashlib
        c = nbformat.v4.new_code_cell("int x = 1;")
        c.metadata["nbgrader"] = {"schema_version": 3, "grade": True, "solution": False, "locked": True,
                                  "grade_id": "t", "points": 2}
        expected = hashlib.md5("int x = 1;codeTrueFalseTruet2.0".encode()).hexdigest()
        self.assertEqual(expected, ngm.compute_checksum(c))


class SourceTest(unittest.TestCase):
    TEXT = "\n".join([
        "# A", "", "Prose.", "", "<!-- nbgrader: locked id=setup -->", "```java", "int x = 1;", "```", "",
        "## Question", "", "Why?", "", "<!-- nbgrader: manual id=q_why points=2 -->", "Because.", "",
        "More of the model answer.", "<!-- nbgrader: end -->", "", "After.", "",
        "<!-- nbgrader: tests id=test_x points=1 -->", "```java", 'TestCell.of("test_x", 1).score()', "```"])

    def test_a_manual_answer_is_its_own_markdown_cell(self):
        nb = src_mod.build_notebook("demo", self.TEXT)
        answer = by_id(nb)["q_why"]
        self.assertEqual("markdown", answer.cell_type)
        self.assertEqual("Because.\n\nMore of the model answer.", answer.source)
        self.assertEqual({"schema_version": 3, "grade": True, "solution": True, "locked": False, "grade_id": "q_why",
                          "points": 2}, ngm.meta(answer))
        self.assertEqual([], ngm.notebook_problems(nb, student=False))
        kinds = [(c.cell_type, (ngm.meta(c) or {}).get("grade_id")) for c in nb.cells]
        self.assertEqual([("markdown", None), ("code", "setup"), ("markdown", None), ("markdown", "q_why"),
                          ("markdown", None), ("code", "test_x"), ("markdown", None), ("code", "self_check")], kinds)
        student = rel.release(nb)
        self.assertEqual(rel.TEXT_STUB, by_id(student)["q_why"].source)
        self.assertEqual([], rel.leaks(nb, student))
        leaky = copy.deepcopy(student)
        by_id(leaky)["q_why"].source = "Because.\n\nMore of the model answer."
        self.assertTrue(rel.leaks(nb, leaky), "a released model answer is found")

    def test_a_written_answer_is_the_students_and_is_reported_not_scored(self):
        nb = src_mod.build_notebook("demo", self.TEXT)
        student = rel.release(nb)
        mine = copy.deepcopy(student)
        by_id(mine)["q_why"].source = "Because the gradient is cut."
        restored, flags = grading.restore(mine, nb, student)
        self.assertEqual([], flags)
        self.assertEqual("Because the gradient is cut.", by_id(restored)["q_why"].source)
        self.assertEqual([("q_why", 2.0, True)], [(m.grade_id, m.max_points, m.answered)
                                                  for m in grading.manual_answers(mine, nb)])
        self.assertEqual([False], [m.answered for m in grading.manual_answers(student, nb)])
        self.assertEqual(["test_x"], [s.grade_id for s in grading.score_all(restored, nb)])

    def test_unclosed_or_misplaced_manual_answers_are_rejected(self):
        for bad in ["<!-- nbgrader: manual id=q points=1 -->\nno end",
                    "<!-- nbgrader: manual id=q -->\nx\n<!-- nbgrader: end -->",
                    "<!-- nbgrader: end -->",
                    "<!-- nbgrader: manual id=q points=1 -->\n```java\nint x;\n```\n<!-- nbgrader: end -->"]:
            with self.subTest(bad=bad), self.assertRaises(src_mod.SourceError):
                src_mod.build_notebook("demo", bad)


class ReleaseTest(unittest.TestCase):
    def test_released_versions_are_up_to_date_and_leak_nothing(self):
        out = io.StringIO()
        stdout, sys.stdout = sys.stdout, out
        try:
            status = grader.check(NAMES)
        finally:
            sys.stdout = stdout
        self.assertEqual(0, status, out.getvalue())

    def test_released_versions_hold_no_solution_and_no_hidden_test(self):
        for name in NAMES:
            src, student = source_nb(name), released_nb(name)
            with self.subTest(name=name):
                self.assertEqual([], rel.leaks(src, student))
                text = "\n".join(c.source for c in student.cells)
                self.assertNotIn("BEGIN HIDDEN", text)
                self.assertNotIn("SOLUTION", text)
                for cell in student.cells:
                    if ngm.is_solution(cell):
                        self.assertIn(rel.CODE_STUB if cell.cell_type == "code" else rel.TEXT_STUB, cell.source)
                    if ngm.takes_part(cell):
                        self.assertEqual(ngm.compute_checksum(cell), ngm.meta(cell)["checksum"])
                    if ngm.is_locked(cell):         # test cells and given code; a written answer stays editable
                        self.assertIs(False, cell.metadata.get("editable"))
                hidden = sum(c.source.count("BEGIN HIDDEN TESTS") for c in src.cells)
                self.assertGreaterEqual(hidden, 3, "every test cell has hidden checks")

    def test_stub_keeps_the_indent_and_regions_are_checked(self):
        code = "double f() {\n    // BEGIN SOLUTION\n    return 1;\n    // END SOLUTION\n}"
        self.assertEqual(f"double f() {{\n    {rel.CODE_STUB}\n}}", rel.replace_solutions(code, rel.CODE_STUB)[0])
        with self.assertRaises(rel.ReleaseError):
            rel.replace_solutions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n", "x")
        with self.assertRaises(rel.ReleaseError):
            rel.remove_hidden_tests("// BEGIN HIDDEN TESTS\nx\n")
        nb = nbformat.v4.new_notebook()
        c = nbformat.v4.new_code_cell("// BEGIN SOLUTION\nx\n// END SOLUTION")
        c.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": True,
                                  "grade_id": "l"}
        nb.cells = [c]
        with self.assertRaises(rel.ReleaseError):
            rel.release(nb)

    def test_nbgrader_config_stub_fails_loudly(self):
        class C(dict):
            def __getattr__(self, key):
                return self.setdefault(key, C())

            def __setattr__(self, key, value):
                self[key] = value

        config = C()
        exec((ROOT / "nbgrader_config.py").read_text(), {"get_config": lambda: config})
        self.assertEqual('throw new UnsupportedOperationException("your code here");',
                         config.ClearSolutions.code_stub["java"])
        self.assertEqual(rel.CODE_STUB, config.ClearSolutions.code_stub["java"])
        self.assertEqual("BEGIN SOLUTION", config.ClearSolutions.begin_solution_delimeter)
        self.assertEqual("END SOLUTION", config.ClearSolutions.end_solution_delimeter)
        self.assertEqual("BEGIN HIDDEN TESTS", config.ClearHiddenTests.begin_test_delimeter)
        self.assertEqual("END HIDDEN TESTS", config.ClearHiddenTests.end_test_delimeter)
        self.assertIs(True, config.ClearSolutions.enforce_metadata)


class ScoringRulesTest(unittest.TestCase):
    """nbgrader's determine_grade on synthetic outputs (no kernel needed)."""

    def score(self, *outputs):
        c = nbformat.v4.new_code_cell("x")
        c.outputs = [nbformat.v4.new_output(**o) for o in outputs]
        return grading.score_cell(c, "t", 4.0)

    def test_rules(self):
        self.assertEqual(4.0, self.score().points, "nothing: full credit")
        self.assertEqual(0.0, self.score(dict(output_type="error", ename="java.lang.AssertionError",
                                              evalue="no", traceback=[])).points)
        result = dict(output_type="execute_result", data={"text/plain": "2.5"}, metadata={}, execution_count=1)
        self.assertEqual(2.5, self.score(result).points, "a number is partial credit")
        s = self.score(dict(output_type="stream", name="stdout", text="FAILED cell state c_t (1 point): wrong\n"),
                       result)
        self.assertEqual("partial", s.status)
        self.assertEqual("failed: cell state c_t (1)", s.message)
        self.assertEqual("cell state c_t (1 point): wrong", s.details)
        zero = dict(result, data={"text/plain": "0.0"})
        self.assertEqual(4.0, self.score(zero).points, "nbgrader reads 0 as full credit")
        self.assertEqual(0.0, self.score(dict(output_type="stream", name="stderr", text="oops")).points,
                         "stderr scores 0 (stricter than nbgrader)")
        self.assertEqual(4.0, self.score(dict(result, data={"text/plain": "9"})).points, "capped at the points")


# ------------------------------------------------------------------------------------------------ graded runs

class GradingTest(unittest.TestCase):
    def test_solutions_score_full_marks(self):
        for name in NAMES:
            r = Graded.result(name, "solved")
            with self.subTest(name=name):
                self.assertEqual(r.max_total, r.total, [(s.grade_id, s.points, s.message) for s in r.scores])
                self.assertEqual([], r.flags)
                self.assertEqual(10, r.max_total)
                self.assertEqual([True], [m.answered for m in r.manual], "the model answer counts as an answer")

    def test_stored_instructor_outputs_are_fresh(self):
        for name in NAMES:
            executed = Graded.executed(name, "solved")
            stored = source_nb(name)
            with self.subTest(name=name):
                self.assertEqual([c.source for c in stored.cells], [c.source for c in executed.cells])
                self.assertEqual(nbbuild.summary(stored), nbbuild.summary(executed),
                                 f"stale outputs: rebuild with grader/grader.py build {name}")
                self.assertEqual([], nbbuild.problems(executed))

    def test_released_versions_score_zero_yet_run_to_the_end(self):
        for name in NAMES:
            r = Graded.result(name, "released")
            executed = Graded.executed(name, "released")
            with self.subTest(name=name):
                self.assertEqual([0.0] * len(r.scores), [s.points for s in r.scores])
                self.assertEqual(["failed"] * len(r.scores), [s.status for s in r.scores])
                self.assertTrue(any("UnsupportedOperationException: your code here" in s.message for s in r.scores),
                                [s.message for s in r.scores])
                self.assertEqual("", r.timed_out)
                self.assertEqual([], r.flags)
                self.assertEqual([False], [m.answered for m in r.manual], "YOUR ANSWER HERE is no answer")
                last = executed.cells[-1]
                self.assertEqual("self_check", ngm.meta(last)["grade_id"])
                self.assertTrue(any(o.output_type == "stream" and "Visible score: 0 of" in o.text
                                    for o in last.outputs), last.outputs)
                for i, cell in enumerate(executed.cells):
                    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
                    if ngm.is_solution(cell):       # a stubbed answer compiles; at most its call fails
                        self.assertEqual([], errors, f"cell {i} ({ngm.meta(cell)['grade_id']}): "
                                         + "; ".join(f"{e.ename}: {e.evalue}" for e in errors))

    def test_a_prepared_mistake_in_each_part_scores_partially_and_is_named(self):
        for name in NAMES:
            r = Graded.result(name, "wrong")
            scores = {s.grade_id: s for s in r.scores}
            for _, _, _, test_id, failing in WRONG[name]:
                s = scores[test_id]
                with self.subTest(name=name, test=test_id):
                    self.assertGreater(s.points, 0, s.message)
                    self.assertLess(s.points, s.max_points, s.message)
                    self.assertEqual("partial", s.status)
                    self.assertIn(failing, s.message)

    def test_an_edited_locked_cell_is_flagged_and_the_original_runs(self):
        r = Graded.result("a1-lstm-step", "wrong")
        self.assertTrue(any(f"'{TAMPERED_CELL}' was edited" in f for f in r.flags), r.flags)
        s = next(s for s in r.scores if s.grade_id == TAMPERED_CELL)
        self.assertLess(s.points, s.max_points, "the edited test cell was replaced by the original")
        for name in NAMES[1:]:
            self.assertEqual([], Graded.result(name, "wrong").flags)

    def test_a_hanging_submission_is_cut_off_and_the_rest_scores_zero(self):
        r = Graded.result("a1-lstm-step", "hanging")
        scores = {s.grade_id: s for s in r.scores}
        self.assertEqual(2.0, scores["test_sigmoid"].points, "parts before the hang keep their points")
        self.assertEqual("timeout", scores["test_lstm_step"].status)
        self.assertEqual(0.0, scores["test_lstm_step"].points)
        self.assertEqual(("not run", 0.0), (scores["test_run"].status, scores["test_run"].points))
        self.assertIn("test_lstm_step", r.timed_out)
        self.assertTrue(any("timed out" in f for f in r.flags), r.flags)
        self.assertLess(r.seconds, LOOP_TIMEOUT + CELL_TIMEOUT, "the hang cost one timeout, not more")

    def test_a_folder_grades_in_one_run_one_row_per_student(self):
        Graded.get()
        rows = {row["student"]: row for row in Graded.csv_rows}
        self.assertEqual({"solved", "released", "wrong", "hanging"}, set(rows))
        self.assertEqual("10", rows["solved"]["total"])
        self.assertEqual("0", rows["released"]["total"])
        self.assertIn("test_lstm_step", rows["hanging"]["timed_out"])
        self.assertIn("was edited", rows["wrong"]["flags"])
        self.assertIn("forget gate f_t", rows["wrong"]["failures"])
        for student in rows:
            self.assertIn(student, Graded.log)


if __name__ == "__main__":
    unittest.main()
