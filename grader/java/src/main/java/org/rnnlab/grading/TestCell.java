package org.rnnlab.grading;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks of one graded test cell of an assignment, worth some points, scored the way nbgrader scores a cell.
 *
 * <p>An autograder (nbgrader, or the project's own {@code grader/grader.py grade}) gives a test cell full points when
 * it runs without an error, nothing when it raises one, and partial credit when the cell's last expression is a
 * number between 0 and its points. A test cell therefore reads:
 * <pre>
 *   var t = TestCell.of("lstm_gates", 4);                       // grade_id and points, as in the cell's metadata
 *   t.check(1, "input gate i_t", () -&gt; Expect.close(ref.get("i")[0], mine.i(), 1e-9, "i_t"));
 *   t.check(1, "forget gate f_t", () -&gt; ...);
 *   t.score()                                                  // the points earned: the cell's result
 * </pre>
 * Each check runs its body and passes when the body throws nothing ({@code assert} statements work: the kernel
 * enables assertions). {@link #score()} adds up the points of the checks that passed, prints every failure to
 * standard output (never to standard error, which graders count as a failure), and
 * <ul>
 *   <li>returns the points earned when at least one check passed (full or partial credit), or</li>
 *   <li>throws an {@link AssertionError} naming the failures when none did: nbgrader reads a result of 0 as full
 *   credit, so a cell that earned nothing must fail.</li>
 * </ul>
 *
 * <p>Every scored cell is also remembered for this session (see {@link SelfCheck}), so the last cell of an assignment
 * can tell the student the score of the visible checks. That score is advisory: the grader re-runs the released
 * test cells together with the hidden checks, and flags test cells that were edited.
 */
public final class TestCell {
    private static final Map<String, Outcome> SCORED = Collections.synchronizedMap(new LinkedHashMap<>());

    private final String gradeId;
    private final double points;
    private final List<String> failures = new ArrayList<>();
    private double possible;
    private double earned;
    private int checks;
    private boolean scored;

    /** What one scored test cell earned in this session. */
    public record Outcome(String gradeId, double earned, double possible, double points, int checks,
                          List<String> failures) {
    }

    /** The body of a check: passes when it returns, fails when it throws (an {@code assert}, or anything else). */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private TestCell(String gradeId, double points) {
        this.gradeId = gradeId;
        this.points = points;
    }

    /**
     * Starts the checks of the test cell {@code gradeId} (its nbgrader grade_id), worth {@code points} in all.
     * The released version of a cell may hold fewer points of checks than that: the rest are hidden checks that
     * run only when the work is graded.
     */
    public static TestCell of(String gradeId, double points) {
        if (gradeId == null || !gradeId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a grade_id is letters, digits, _ and -; got " + gradeId);
        }
        if (!(points > 0) || !Double.isFinite(points)) {
            throw new IllegalArgumentException("a test cell is worth a positive number of points, got " + points);
        }
        return new TestCell(gradeId, points);
    }

    /** Runs one check worth {@code checkPoints}; {@code what} names it in the report (say what is being checked). */
    public TestCell check(double checkPoints, String what, Check body) {
        if (scored) {
            throw new IllegalStateException("test cell " + gradeId + " was already scored; start a new TestCell");
        }
        if (!(checkPoints > 0) || !Double.isFinite(checkPoints)) {
            throw new IllegalArgumentException("a check is worth a positive number of points, got " + checkPoints);
        }
        checks++;
        possible += checkPoints;
        if (possible > points + 1e-9) {
            throw new IllegalStateException("the checks of " + gradeId + " add up to " + fmt(possible)
                    + " points, more than the cell's " + fmt(points));
        }
        try {
            body.run();
            earned += checkPoints;
        } catch (Exception | AssertionError e) {
            failures.add(what + " (" + fmt(checkPoints) + (checkPoints == 1 ? " point" : " points") + "): "
                    + describe(e));
        }
        return this;
    }

    /**
     * The points earned, the cell's result (see the class comment): prints the failures, throws an
     * {@link AssertionError} when nothing was earned.
     */
    public double score() {
        if (scored) {
            throw new IllegalStateException("test cell " + gradeId + " was already scored");
        }
        scored = true;
        if (checks == 0) {
            throw new IllegalStateException("test cell " + gradeId + " ran no checks");
        }
        double got = Math.round(earned * 1e9) / 1e9;
        SCORED.put(gradeId, new Outcome(gradeId, got, possible, points, checks, List.copyOf(failures)));
        for (String f : failures) {
            System.out.println("FAILED " + f);
        }
        if (got == 0) {
            throw new AssertionError(gradeId + ": 0 of " + fmt(possible) + " points; "
                    + (failures.size() == 1 ? "" : failures.size() + " checks failed, the first: ") + failures.get(0));
        }
        if (possible < points - 1e-9) {
            System.out.println(gradeId + ": " + fmt(got) + " of " + fmt(possible) + " points from the visible checks"
                    + " (the cell is worth " + fmt(points) + "; hidden checks run when your work is graded)");
        } else {
            System.out.println(gradeId + ": " + fmt(got) + " of " + fmt(points) + " points");
        }
        return got;
    }

    /** The grade_id this cell reports under. */
    public String gradeId() {
        return gradeId;
    }

    /** Every test cell scored in this session, in the order they were first scored (a copy). */
    public static Map<String, Outcome> scored() {
        synchronized (SCORED) {
            return new LinkedHashMap<>(SCORED);
        }
    }

    /** Forgets every scored cell (for tests). */
    static void forgetAll() {
        SCORED.clear();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof AssertionError) {
            return message == null ? "assertion failed" : message;
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    static String fmt(double v) {
        if (v == Math.rint(v)) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }
}
