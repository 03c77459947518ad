package org.rnnlab.param;

/**
 * The two loops every cell is made of, over whole Java arrays: {@code y += a·x} and {@code x·y}.
 *
 * <p>Keeping them over whole rows (no offsets) lets the JIT turn them into SIMD multiply-adds; this is what
 * makes the fused gate products fast (see DESIGN.md, "lib"). Lengths are taken from the first array, and
 * callers pass rows of equal length.
 */
public final class RowMath {
    /**
     * When the system property {@code rnnlab.strictMath} is true, tanh and exp use {@link StrictMath} (fdlibm,
     * specified bit for bit), so a seeded run gives bit-identical numbers on every JDK. By default they use
     * {@link Math}, which is faster but whose last bits may differ between JDK releases (JDK 17 and 25 do differ
     * for tanh); on one JDK results are bit-identical either way.
     */
    public static final boolean STRICT = Boolean.getBoolean("rnnlab.strictMath");

    private RowMath() {
    }

    /** tanh, squashing to (−1, 1); see {@link #STRICT}. */
    public static double tanh(double z) {
        return STRICT ? StrictMath.tanh(z) : Math.tanh(z);
    }

    /** e^z; see {@link #STRICT}. */
    public static double exp(double z) {
        return STRICT ? StrictMath.exp(z) : Math.exp(z);
    }

    /** {@code y[i] += a * x[i]} for every i. */
    public static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    /**
     * {@code y[i] += a0·x0[i] + a1·x1[i] + a2·x2[i] + a3·x3[i]} for every i, added left to right: bit for bit the
     * same as four {@link #axpy(double, double[], double[])} calls in a row, but {@code y} is loaded and stored once
     * instead of four times. This is the register blocking of the gate products: four weight rows per pass.
     */
    public static void axpy4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
                             double a3, double[] x3, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] + a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
        }
    }

    /** {@code y[i] += a * x[i]} for i &lt; n (a prefix of both rows). */
    public static void axpy(double a, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    /** {@code y[i] += x[i]} for every i. */
    public static void add(double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += x[i];
        }
    }

    /**
     * The dot product over the whole of {@code x}, with four partial sums (a fixed order, so the result is the
     * same on every run).
     */
    public static double dot(double[] x, double[] y) {
        return dot(x, y, x.length);
    }

    /** The dot product of the first n entries, with four partial sums in a fixed order. */
    public static double dot(double[] x, double[] y, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < n; i++) {
            s0 += x[i] * y[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The logistic sigmoid 1 / (1 + e^(−z)), a valve between 0 (closed) and 1 (open). */
    public static double sigmoid(double z) {
        return 1.0 / (1.0 + exp(-z));
    }

    /** Zeroes a [rows][cols] block. */
    public static void zero(double[][] m) {
        for (double[] row : m) {
            java.util.Arrays.fill(row, 0.0);
        }
    }
}
