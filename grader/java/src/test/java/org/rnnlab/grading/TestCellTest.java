package org.rnnlab.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scoring of test cells as nbgrader reads them: full, partial, or an error when nothing was earned. */
class TestCellTest {
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        TestCell.forgetAll();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allChecksPassingEarnsEveryPoint() {
        double got = TestCell.of("gates", 3).check(1, "one", () -> { }).check(2, "two", () -> { }).score();
        assertEquals(3.0, got, 0);
        assertTrue(printed().contains("gates: 3 of 3 points"), printed());
        assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing goes to stderr");
    }

    @Test
    void aFailingCheckGivesPartialCreditAndIsNamed() {
        double got = TestCell.of("state", 3)
                .check(1, "cell state c_t", () -> Expect.close(1.0, 1.5, 1e-9, "c_t"))
                .check(2, "hidden state h_t", () -> { })
                .score();
        assertEquals(2.0, got, 0);
        assertTrue(printed().contains("FAILED cell state c_t (1 point): c_t: expected 1.00000, got 1.50000"), printed());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nothingEarnedIsAnErrorBecauseNbgraderReadsZeroAsFullCredit() {
        TestCell t = TestCell.of("step", 2).check(2, "the step", () -> {
            throw new UnsupportedOperationException("your code here");
        });
        AssertionError e = assertThrows(AssertionError.class, t::score);
        assertTrue(e.getMessage().contains("step: 0 of 2 points"), e.getMessage());
        assertTrue(e.getMessage().contains("UnsupportedOperationException: your code here"), e.getMessage());
    }

    @Test
    void assertStatementsFailAChecks() {
        boolean enabled = false;
        assert enabled = true;
        double got = TestCell.of("a", 2)
                .check(1, "asserted", () -> {
                    assert 1 + 1 == 3 : "arithmetic";
                })
                .check(1, "fine", () -> { })
                .score();
        assertEquals(enabled ? 1.0 : 2.0, got, 0);
    }

    @Test
    void fewerVisiblePointsThanTheCellSaysTheRestIsHidden() {
        double got = TestCell.of("part", 5).check(3, "visible", () -> { }).score();
        assertEquals(3.0, got, 0);
        assertTrue(printed().contains("3 of 3 points from the visible checks (the cell is worth 5"), printed());
    }

    @Test
    void checksWorthMoreThanTheCellAreAnAuthorError() {
        TestCell t = TestCell.of("x", 1).check(1, "a", () -> { });
        assertThrows(IllegalStateException.class, () -> t.check(1, "b", () -> { }));
    }

    @Test
    void badIdsAndPointsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TestCell.of("has space", 1));
        assertThrows(IllegalArgumentException.class, () -> TestCell.of("ok", 0));
        assertThrows(IllegalArgumentException.class, () -> TestCell.of("ok", 1).check(-1, "a", () -> { }));
    }

    @Test
    void selfCheckReportsRecordedCellsAndThoseNotRun() {
        TestCell.of("first", 2).check(2, "a", () -> { }).score();
        TestCell.of("second", 4).check(1, "b", () -> { }).check(1, "c", () -> {
            throw new AssertionError("wrong");
        }).score();
        out.reset();
        SelfCheck.report("demo", "first", "second", "third");
        String s = printed();
        assertTrue(s.contains("first") && s.contains("2 / 2") && s.contains("all 1 checks passed"), s);
        assertTrue(s.contains("1 / 2") && s.contains("1 of 2 checks failed: c (1 point): wrong"), s);
        assertTrue(s.contains("third") && s.contains("not run in this session"), s);
        assertTrue(s.contains("Visible score: 3 of 4 points; hidden checks worth 2 more points"), s);
        assertTrue(s.contains("1 test cell has not run"), s);
    }

    @Test
    void rerunningATestCellReplacesItsRecord() {
        TestCell.of("t", 1).check(1, "a", () -> {
            throw new AssertionError("no");
        });
        TestCell.of("t", 2).check(1, "a", () -> { }).check(1, "b", () -> {
            throw new AssertionError("no");
        }).score();
        TestCell.of("t", 2).check(1, "a", () -> { }).check(1, "b", () -> { }).score();
        assertEquals(2.0, TestCell.scored().get("t").earned(), 0);
    }

    @Test
    void expectNamesTheWorstEntry() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Expect.close(new double[] {1, 2, 3}, new double[] {1, 2.5, 3}, 1e-9, "h"));
        assertTrue(e.getMessage().startsWith("h: entry [1] expected 2.00000, got 2.50000"), e.getMessage());
        assertThrows(AssertionError.class, () -> Expect.close(1.0, Double.NaN, 1, "nan"));
        assertThrows(AssertionError.class, () -> Expect.close(new double[2], new double[3], 1, "len"));
        assertThrows(AssertionError.class, () -> Expect.close(new double[2], null, 1, "null"));
        Expect.close(1e6, 1e6 + 1e-4, 1e-9, "relative for large values");
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        Expect.close(a, a.copy(), 0, "same");
        assertThrows(AssertionError.class, () -> Expect.close(a, new DMatrixRMaj(2, 3), 1, "shape"));
    }
}
