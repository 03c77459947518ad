package org.rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CurveTest {

    @Test
    void valuesAloneAreDrawnAgainstTheirIndex() {
        Curve c = Curve.of("loss", 3, 2, 1.5);
        assertEquals("loss", c.name());
        assertEquals(Curve.Kind.DATA, c.kind());
        assertArrayEquals(new double[] {0, 1, 2}, c.x());
        assertArrayEquals(new double[] {3, 2, 1.5}, c.y());
    }

    @Test
    void xAndYArraysAreKeptPairwise() {
        Curve c = Curve.of("accuracy", new double[] {5, 10, 20}, new double[] {0.9, 0.8, 0.6});
        assertArrayEquals(new double[] {5, 10, 20}, c.x());
        assertArrayEquals(new double[] {0.9, 0.8, 0.6}, c.y());
    }

    @Test
    void factoriesCopyTheArraysTheyAreGiven() {
        double[] x = {0, 1};
        double[] y = {4, 5};
        Curve pairs = Curve.of("pairs", x, y);
        Curve values = Curve.of("values", y);
        x[0] = 99;
        y[0] = 99;
        assertArrayEquals(new double[] {0, 1}, pairs.x());
        assertArrayEquals(new double[] {4, 5}, pairs.y());
        assertArrayEquals(new double[] {4, 5}, values.y());
    }

    @Test
    void functionIsSampledAtSmoothPointsFromFromToToBothIncluded() {
        Curve c = Curve.of("tanh", -6, 6, Math::tanh);
        double[] x = c.x();
        assertEquals(Curve.SMOOTH_POINTS, x.length);
        assertEquals(-6.0, x[0]);
        assertEquals(6.0, x[x.length - 1]);
        assertEquals(0.0, x[x.length / 2], 1e-12, "the middle sample of a symmetric interval is its centre");
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.tanh(x[i]), c.y()[i]);
        }
    }

    @Test
    void functionWithAGivenCountIsSampledAtThatManyEquallySpacedPoints() {
        Curve c = Curve.of("square", 0, 1, 5, v -> v * v);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, c.x(), 1e-15);
        assertArrayEquals(new double[] {0, 0.0625, 0.25, 0.5625, 1}, c.y(), 1e-15);
    }

    @Test
    void lastSampleIsExactlyToDespiteRounding() {
        Curve c = Curve.of("f", 0.1, 0.7, 7, v -> v);
        assertEquals(0.7, c.x()[6]);
    }

    @Test
    void referenceLinesRememberWhereTheySit() {
        Curve h = Curve.hline("chance", 0.5);
        Curve v = Curve.vline("decay starts", 500);
        assertEquals(Curve.Kind.HLINE, h.kind());
        assertEquals(0.5, h.at());
        assertEquals(Curve.Kind.VLINE, v.kind());
        assertEquals(500.0, v.at());
        assertTrue(h.toString().contains("horizontal line at y = 0.5"), h.toString());
    }

    @Test
    void emptyOrNullValuesAreAnErrorNamingTheCurve() {
        assertMessage(() -> Curve.of("loss"), "curve 'loss' has no y values");
        assertMessage(() -> Curve.of("loss", (double[]) null), "curve 'loss' has null y values");
        assertMessage(() -> Curve.of("acc", new double[0], new double[0]), "curve 'acc' has no x values");
    }

    @Test
    void nanOrInfinityIsAnErrorNamingTheCurveAndIndex() {
        assertMessage(() -> Curve.of("loss", 1, 2, Double.NaN), "curve 'loss' has NaN at index 2 (of 3)");
        assertMessage(() -> Curve.of("acc", new double[] {0, Double.POSITIVE_INFINITY}, new double[] {1, 2}),
                "curve 'acc' has x = Infinity at index 1");
    }

    @Test
    void functionGivingANonFiniteValueIsAnErrorNamingTheX() {
        assertMessage(() -> Curve.of("log", 0, 1, 3, Math::log), "curve 'log' has -Infinity at index 0 (x = 0.0)");
    }

    @Test
    void mismatchedXAndYLengthsAreAnErrorGivingBoth() {
        assertMessage(() -> Curve.of("acc", new double[] {1, 2, 3}, new double[] {1, 2}),
                "curve 'acc' has 3 x values but 2 y values");
    }

    @Test
    void intervalWithFromNotBelowToIsAnErrorSayingWhatToDo() {
        assertMessage(() -> Curve.of("f", 6, -6, Math::tanh), "from must be less than to; swap them");
        assertMessage(() -> Curve.of("f", 1, 1, Math::tanh), "from must be less than to; widen the interval");
        assertMessage(() -> Curve.of("f", 0, Double.POSITIVE_INFINITY, Math::tanh), "give finite ends");
    }

    @Test
    void fewerThanTwoPointsOrNoFunctionIsAnError() {
        assertMessage(() -> Curve.of("f", 0, 1, 1, Math::tanh), "asks for 1 points: sample at least 2");
        assertMessage(() -> Curve.of("f", 0, 1, null), "curve 'f' has no function");
    }

    @Test
    void nullNameOrNonFiniteReferencePositionIsAnError() {
        assertMessage(() -> Curve.of(null, 1, 2), "null name");
        assertMessage(() -> Curve.hline("h", Double.NaN), "reference line 'h' is at y = NaN");
        assertMessage(() -> Curve.vline("v", Double.NEGATIVE_INFINITY), "reference line 'v' is at x = -Infinity");
    }

    private static void assertMessage(Executable make, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
