# nbgrader configuration for courses that run RNN Lab's assignments through nbgrader (https://nbgrader.readthedocs.io).
#
# The project does not need nbgrader: grader/grader.py releases and grades the assignments itself (see
# grader/README.md). This file is for a course that already uses nbgrader. Put it in the course directory (the
# folder that holds source/), copy instructor/source/<assignment>/ there, and run
#     nbgrader generate_assignment a1-lstm-step
#     nbgrader autograde a1-lstm-step
# Grading needs the Java kernel installed where nbgrader runs (`java -jar rnnlab-kernel-*.jar install --user`).

c = get_config()  # noqa: F821  (nbgrader provides get_config)

# A removed solution must fail its tests loudly. nbgrader's built-in Java stub is the comment "// YOUR CODE HERE",
# which compiles, so a method body left as the stub would not even compile ("missing return statement") and a
# top-level solution would silently do nothing. The stub throws instead: every test of an unsolved part fails with
# UnsupportedOperationException, and the notebook still runs to the end.
c.ClearSolutions.code_stub = {
    "java": 'throw new UnsupportedOperationException("your code here");',
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The delimiters are matched as substrings of a line, so the Java comments `// BEGIN SOLUTION` and
# `// END SOLUTION` are found; they are spelled out here so that nobody changes them by accident.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
# Complain when a solution region sits in a cell that is not marked as a solution cell.
c.ClearSolutions.enforce_metadata = True

# Hidden tests: `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS` inside graded test cells. nbgrader's option names
# for these are begin_test_delimeter / end_test_delimeter (sic).
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.ClearHiddenTests.enforce_metadata = True

# Executing a submission: the Java kernel, a per-cell time limit, and on a timeout interrupt the cell and go on.
# (The project's own grader stops a submission at its first timeout instead, unless given --keep-going.)
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120

# Feedback must not show the hidden tests. `nbgrader autograde` puts them back into the graded notebook (that is how
# they run), and `nbgrader generate_feedback` turns that notebook into HTML as it is: without ClearHiddenTests here,
# every student would read the hidden checks' source in their feedback. The outcome of the hidden checks (the
# points, a `FAILED …` line naming a check) stays in the feedback; their code does not.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
