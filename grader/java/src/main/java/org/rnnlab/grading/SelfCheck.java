package org.rnnlab.grading;

import java.util.Map;

/**
 * The last cell of an assignment: the student's score on the visible checks, from the test cells run in this
 * session.
 *
 * <p>It only reports what the test cells themselves recorded ({@link TestCell#score()}); it computes nothing of its
 * own, so editing this cell changes nothing about what was recorded. A test cell that has not run in this session
 * (say, after a kernel restart) shows as "not run". The score is advisory: the grader runs the released test
 * cells again, adds the hidden checks, and flags any test cell that was edited. Run the whole notebook from the top
 * (restart the kernel and run all) before trusting it.
 */
public final class SelfCheck {
    private SelfCheck() {
    }

    /**
     * Prints one line per test cell ({@code gradeIds} in notebook order, as nbgrader names them) and the total of the
     * visible checks.
     */
    public static void report(String assignment, String... gradeIds) {
        Map<String, TestCell.Outcome> scored = TestCell.scored();
        StringBuilder out = new StringBuilder();
        out.append("Self-check of ").append(assignment).append(" (visible checks only; advisory)\n");
        int width = 10;
        for (String id : gradeIds) {
            width = Math.max(width, id.length());
        }
        String row = "  %-" + width + "s  %-9s  %s%n";
        out.append(String.format(row, "test cell", "points", "status"));
        double earned = 0;
        double possible = 0;
        double hidden = 0;
        int notRun = 0;
        int failing = 0;
        for (String id : gradeIds) {
            TestCell.Outcome o = scored.get(id);
            if (o == null) {
                notRun++;
                out.append(String.format(row, id, "-", "not run in this session"));
                continue;
            }
            earned += o.earned();
            possible += o.possible();
            hidden += Math.max(0, o.points() - o.possible());
            String status = o.failures().isEmpty() ? "all " + o.checks() + " checks passed"
                    : o.failures().size() + " of " + o.checks() + " checks failed: " + o.failures().get(0);
            if (!o.failures().isEmpty()) {
                failing++;
            }
            out.append(String.format(row, id, TestCell.fmt(o.earned()) + " / " + TestCell.fmt(o.possible()), status));
        }
        out.append("Visible score: ").append(TestCell.fmt(earned)).append(" of ").append(TestCell.fmt(possible))
                .append(" points");
        if (hidden > 0) {
            out.append("; hidden checks worth ").append(TestCell.fmt(hidden))
                    .append(" more points run when your work is graded");
        }
        out.append(".\n");
        if (notRun > 0) {
            out.append(notRun).append(notRun == 1 ? " test cell has" : " test cells have")
                    .append(" not run: restart the kernel and run all cells.\n");
        } else if (failing == 0) {
            out.append("Every visible check passes.\n");
        }
        System.out.print(out);
    }
}
