package org.rnnlab.grading;

import java.util.Arrays;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * Assertions for assignment test cells, with messages a student can act on: what was expected, what came, where
 * the two differ most. Each throws an {@link AssertionError} on failure (what {@link TestCell#check} counts as a
 * failed check) and returns quietly otherwise.
 *
 * <p>"Close" means |expected − actual| ≤ tol · max(1, |expected|) for every entry: an absolute tolerance for values
 * near or below 1, a relative one for large values. A NaN or an infinity is never close to anything.
 */
public final class Expect {
    private Expect() {
    }

    /** Fails with {@code message} unless {@code condition} holds. */
    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Fails unless the two numbers are close. */
    public static void close(double expected, double actual, double tol, String what) {
        if (!near(expected, actual, tol)) {
            throw new AssertionError(what + ": expected " + num(expected) + ", got " + num(actual));
        }
    }

    /** Fails unless the vectors have the same length and are close entry by entry. */
    public static void close(double[] expected, double[] actual, double tol, String what) {
        notNull(actual, what);
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int worst = -1;
        double worstDiff = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = diff(expected[i], actual[i]);
            if (!near(expected[i], actual[i], tol) && d > worstDiff) {
                worst = i;
                worstDiff = d;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": entry [" + worst + "] expected " + num(expected[worst]) + ", got "
                    + num(actual[worst]) + (expected.length <= 8 ? " (expected " + vec(expected) + ", got "
                    + vec(actual) + ")" : ""));
        }
    }

    /** Fails unless the arrays have the same shape and are close entry by entry. */
    public static void close(double[][] expected, double[][] actual, double tol, String what) {
        notNull(actual, what);
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " rows, got " + actual.length);
        }
        for (int r = 0; r < expected.length; r++) {
            close(expected[r], actual[r], tol, what + " row " + r);
        }
    }

    /** Fails unless the matrices have the same shape and are close entry by entry. */
    public static void close(DMatrixRMaj expected, DMatrixRMaj actual, double tol, String what) {
        notNull(actual, what);
        if (expected.numRows != actual.numRows || expected.numCols != actual.numCols) {
            throw new AssertionError(what + ": expected a " + expected.numRows + "x" + expected.numCols
                    + " matrix, got " + actual.numRows + "x" + actual.numCols);
        }
        close(rows(expected), rows(actual), tol, what);
    }

    /** The rows of an EJML matrix as arrays. */
    public static double[][] rows(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            System.arraycopy(m.data, r * m.numCols, out[r], 0, m.numCols);
        }
        return out;
    }

    private static void notNull(Object actual, String what) {
        if (actual == null) {
            throw new AssertionError(what + ": got null");
        }
    }

    private static boolean near(double e, double a, double tol) {
        return Double.isFinite(a) && Math.abs(e - a) <= tol * Math.max(1.0, Math.abs(e));
    }

    private static double diff(double e, double a) {
        return Double.isFinite(a) ? Math.abs(e - a) : Double.POSITIVE_INFINITY;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String vec(double[] v) {
        return Arrays.stream(v).mapToObj(Expect::num).reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]")
                .orElse("[]");
    }
}
