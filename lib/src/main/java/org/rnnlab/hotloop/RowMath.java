package org.rnnlab.hotloop;

/**
 * The two loops every cell is made of, over whole Java arrays: {@code y += a·x} and {@code x·y}; and their
 * batched forms, which apply each weight row to every sequence of a batch while it is in cache.
 *
 * <p>Keeping them over whole rows (no offsets) lets the JIT turn them into SIMD multiply-adds; this is what
 * makes the fused gate products fast. Lengths are taken from the first array, and
 * callers pass rows of equal length.
 */
public final class RowMath {
    /**
     * When the system property {@code rnnlab.strictMath} is true, tanh and exp use {@link StrictMath} (fdlibm,
     * specified bit for bit), so a seeded run gives bit-identical numbers on every JDK. By default exp uses
     * {@link Math} and tanh is computed from it (see {@link #tanh(double)}): faster, but the last bits may differ
     * between JDK releases; on one JDK results are bit-identical either way.
     */
    public static final boolean STRICT = Boolean.getBoolean("rnnlab.strictMath");

    private RowMath() {
    }

    /**
     * tanh, squashing to (−1, 1); see {@link #STRICT}. JDK 17 computes {@code Math.tanh} in native fdlibm code,
     * about four times as slow as {@code Math.exp}, which the JIT compiles inline; an LSTM step takes two tanh per
     * unit, a fifth of its time. So by default tanh is taken the way the Cephes library takes it: for |z| &lt; 0.625
     * z + z³·P(z²)/Q(z²), a rational approximation, and beyond that 1 − 2/(e^{2|z|} + 1) with z's sign. Both stay
     * within 2 ulp of the exact tanh (checked against {@code StrictMath.tanh} on 2·10⁷ arguments), and odd symmetry,
     * ±1 for large |z|, and NaN are kept.
     */
    public static double tanh(double z) {
        if (STRICT) {
            return StrictMath.tanh(z);
        }
        double a = Math.abs(z);
        if (a < 0.625) {
            if (z == 0.0) {
                return z;                                            // keeps the sign of −0
            }
            double x2 = z * z;
            double p = (-9.64399179425052238628E-1 * x2 - 9.92877231001918586564E1) * x2 - 1.61468768441708447952E3;
            double q = ((x2 + 1.12811678491632931402E2) * x2 + 2.23548839060100448583E3) * x2
                    + 4.84406305325125486048E3;
            return z + z * x2 * (p / q);
        }
        if (a > 22.0) {
            return Math.copySign(1.0, z);                            // 1 − tanh|z| < 2⁻⁶³ here
        }
        return Math.copySign(1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0), z);
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

    /** {@code y[i] += a0·x0[i] + a1·x1[i] + a2·x2[i]} for every i, added left to right (see {@link #axpy4}). */
    public static void axpy3(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] + a0 * x0[i] + a1 * x1[i] + a2 * x2[i];
        }
    }

    /**
     * Two output rows from the same three input rows: {@code y[i] += a0·x0[i] + a1·x1[i] + a2·x2[i]} and
     * {@code z[i] += c0·x0[i] + c1·x1[i] + c2·x2[i]}, each added left to right (bit for bit as three
     * {@link #axpy(double, double[], double[])} calls per row). Each x is loaded once for both rows: 5 loads and 2
     * stores per 6 multiply-adds, against 6 per 4 for {@link #axpy4}. The loads, not the arithmetic, bound these
     * loops, so this is the fastest kernel of the batched products.
     *
     * <p>Why three by two and not bigger: with JDK 17's default flags C2 unrolls (and so vectorises) only loops
     * whose body stays under its unroll limit ({@code -XX:LoopUnrollLimit=60}). This body fits; four inputs by two
     * outputs, three by three, or {@code axpy8} do not, and run 3× slower as scalar code.
     */
    public static void axpy3x2(double a0, double a1, double a2, double c0, double c1, double c2,
                               double[] x0, double[] x1, double[] x2, double[] y, double[] z) {
        for (int i = 0; i < y.length; i++) {
            final double p0 = x0[i];
            final double p1 = x1[i];
            final double p2 = x2[i];
            y[i] = y[i] + a0 * p0 + a1 * p1 + a2 * p2;
            z[i] = z[i] + c0 * p0 + c1 * p1 + c2 * p2;
        }
    }

    /**
     * The two-input form of {@link #axpy3x2}: {@code y[i] += a0·x0[i] + a1·x1[i]} and
     * {@code z[i] += c0·x0[i] + c1·x1[i]}.
     */
    public static void axpy2x2(double a0, double a1, double c0, double c1, double[] x0, double[] x1, double[] y,
                               double[] z) {
        for (int i = 0; i < y.length; i++) {
            final double p0 = x0[i];
            final double p1 = x1[i];
            y[i] = y[i] + a0 * p0 + a1 * p1;
            z[i] = z[i] + c0 * p0 + c1 * p1;
        }
    }

    /** {@code y[i] += a * x[i]} for i &lt; n (a prefix of both rows). */
    public static void axpy(double a, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    /**
     * The batched form, for sequences b in [from, to): {@code out[b] += Σ_k in[b][k] · W[rowOffset + k]}.
     *
     * <p>Sequences are taken two at a time and the rows of W three at a time ({@link #axpy3x2}), and each group of
     * rows is applied to every sequence before the next group is loaded: each weight row is read from memory once
     * per step, not once per sequence, and each load serves two sequences. An odd last sequence takes W's rows four
     * at a time ({@link #axpy4}), the one-sequence form. For each sequence the terms are added in the order
     * k = 0, 1, 2 …, whatever the grouping, so the sums are bit for bit those of one {@code axpy} per term. A
     * sequence whose inputs in a group are all zero skips it: a one-hot input costs one group.
     */
    public static void multiplyInto(double[][] in, double[][] w, int rowOffset, double[][] out, int from, int to) {
        multiplyIntoRows(in, w, rowOffset, out, from, to);
    }

    /**
     * The same product over a packed copy of the rows of W ({@link PackedMatrix}): on the Vector API kernels when
     * they run ({@link Kernels}) and the batch has four or more sequences, else on the row loops over the rows the
     * copy was packed from. The sums are the same bits either way.
     */
    public static void multiplyInto(double[][] in, PackedMatrix w, double[][] out, int from, int to) {
        if (w.isFloat() && to - from >= Kernels.MIN_BATCH) {
            Kernels.multiplyIntoFloat(in, w, out, from, to);
        } else if (Kernels.vectorFor(to - from)) {
            Kernels.multiplyInto(in, w, out, from, to);
        } else {
            multiplyIntoRows(in, w.source(), w.rowOffset(), out, from, to);
        }
    }

    /** {@link #multiplyInto(double[][], double[][], int, double[][], int, int)} on the row loops, whatever the path. */
    static void multiplyIntoRows(double[][] in, double[][] w, int rowOffset, double[][] out, int from, int to) {
        final int n = in[from].length;
        final int paired = from + ((to - from) & ~1);
        int k = 0;
        for (; k + 2 < n; k += 3) {
            final double[] w0 = w[rowOffset + k];
            final double[] w1 = w[rowOffset + k + 1];
            final double[] w2 = w[rowOffset + k + 2];
            for (int b = from; b < paired; b += 2) {
                final double[] v = in[b];
                final double[] u = in[b + 1];
                final double a0 = v[k];
                final double a1 = v[k + 1];
                final double a2 = v[k + 2];
                final double c0 = u[k];
                final double c1 = u[k + 1];
                final double c2 = u[k + 2];
                final boolean first = a0 != 0.0 || a1 != 0.0 || a2 != 0.0;
                final boolean second = c0 != 0.0 || c1 != 0.0 || c2 != 0.0;
                if (first && second) {
                    axpy3x2(a0, a1, a2, c0, c1, c2, w0, w1, w2, out[b], out[b + 1]);
                } else if (first) {
                    axpy3(a0, w0, a1, w1, a2, w2, out[b]);
                } else if (second) {
                    axpy3(c0, w0, c1, w1, c2, w2, out[b + 1]);
                }
            }
        }
        for (; k < n; k++) {
            final double[] wk = w[rowOffset + k];
            for (int b = from; b < paired; b++) {
                final double a = in[b][k];
                if (a != 0.0) {
                    axpy(a, wk, out[b]);
                }
            }
        }
        if (paired < to) {
            multiplyInto(in[paired], w, rowOffset, out[paired]);
        }
    }

    /** The one-sequence form: {@code out += Σ_k in[k] · W[rowOffset + k]}, W's rows four at a time. */
    private static void multiplyInto(double[] in, double[][] w, int rowOffset, double[] out) {
        final int n = in.length;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            final double a0 = in[k];
            final double a1 = in[k + 1];
            final double a2 = in[k + 2];
            final double a3 = in[k + 3];
            if (a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0) {
                axpy4(a0, w[rowOffset + k], a1, w[rowOffset + k + 1], a2, w[rowOffset + k + 2], a3,
                        w[rowOffset + k + 3], out);
            }
        }
        for (; k < n; k++) {
            if (in[k] != 0.0) {
                axpy(in[k], w[rowOffset + k], out);
            }
        }
    }

    /**
     * The batched weight gradient, for sequences b in [from, to): {@code dW[rowOffset + k] += Σ_b in[b][k] · dz[b]}.
     *
     * <p>Sequences are taken three at a time and the gradient rows two at a time ({@link #axpy3x2}): three dz rows
     * stay in cache while every gradient row gets their terms. When the count is not a multiple of three the last
     * four or two sequences go in pairs ({@link #axpy2x2}), and a lone sequence takes one {@code axpy} per row. Each
     * gradient row receives the sequences in the order b = from, from + 1 … (as one axpy per sequence would), so the
     * sums do not depend on the grouping. Zero inputs are skipped a group at a time.
     */
    public static void accumulateOuter(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from,
                                       int to) {
        if (Kernels.vectorFor(to - from)) {
            Kernels.accumulateOuter(in, dz, dw, rowOffset, from, to);
        } else {
            accumulateOuterRows(in, dz, dw, rowOffset, from, to);
        }
    }

    /**
     * {@link #accumulateOuter(double[][], double[][], double[][], int, int, int)} in the given precision: with
     * {@link Precision#FLOAT} and four or more sequences, on the float32 Vector API kernel.
     */
    public static void accumulateOuter(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from, int to,
                                       Precision precision) {
        if (precision == Precision.FLOAT && to - from >= Kernels.MIN_BATCH) {
            Kernels.accumulateOuterFloat(in, dz, dw, rowOffset, from, to);
        } else {
            accumulateOuter(in, dz, dw, rowOffset, from, to);
        }
    }

    /** {@link #accumulateOuter} on the row loops, whatever the path. */
    static void accumulateOuterRows(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from, int to) {
        final int count = to - from;
        final int rest = count % 3;
        final int pairs = rest == 2 ? 1 : (rest == 1 && count >= 4 ? 2 : 0);
        final int tripled = to - 2 * pairs - (rest == 1 && count < 4 ? 1 : 0);
        int b = from;
        for (; b < tripled; b += 3) {
            accumulateTriple(in[b], in[b + 1], in[b + 2], dz[b], dz[b + 1], dz[b + 2], dw, rowOffset);
        }
        for (int p = 0; p < pairs; p++, b += 2) {
            accumulatePair(in[b], in[b + 1], dz[b], dz[b + 1], dw, rowOffset);
        }
        for (; b < to; b++) {
            final double[] v = in[b];
            for (int k = 0; k < v.length; k++) {
                if (v[k] != 0.0) {
                    axpy(v[k], dz[b], dw[rowOffset + k]);
                }
            }
        }
    }

    /** {@code dW[rowOffset + k] += in0[k]·dz0 + in1[k]·dz1 + in2[k]·dz2} for every k, two rows of dW at a time. */
    private static void accumulateTriple(double[] in0, double[] in1, double[] in2, double[] dz0, double[] dz1,
                                         double[] dz2, double[][] dw, int rowOffset) {
        final int n = in0.length;
        for (int k = 0; k < n; k += 2) {
            final double a0 = in0[k];
            final double a1 = in1[k];
            final double a2 = in2[k];
            final boolean first = a0 != 0.0 || a1 != 0.0 || a2 != 0.0;
            if (k + 1 == n) {
                if (first) {
                    axpy3(a0, dz0, a1, dz1, a2, dz2, dw[rowOffset + k]);
                }
                break;
            }
            final double c0 = in0[k + 1];
            final double c1 = in1[k + 1];
            final double c2 = in2[k + 1];
            final boolean second = c0 != 0.0 || c1 != 0.0 || c2 != 0.0;
            if (first && second) {
                axpy3x2(a0, a1, a2, c0, c1, c2, dz0, dz1, dz2, dw[rowOffset + k], dw[rowOffset + k + 1]);
            } else if (first) {
                axpy3(a0, dz0, a1, dz1, a2, dz2, dw[rowOffset + k]);
            } else if (second) {
                axpy3(c0, dz0, c1, dz1, c2, dz2, dw[rowOffset + k + 1]);
            }
        }
    }

    /** {@code dW[rowOffset + k] += in0[k]·dz0 + in1[k]·dz1} for every k, two rows of dW at a time. */
    private static void accumulatePair(double[] in0, double[] in1, double[] dz0, double[] dz1, double[][] dw,
                                       int rowOffset) {
        final int n = in0.length;
        int k = 0;
        for (; k + 1 < n; k += 2) {
            final double a0 = in0[k];
            final double a1 = in1[k];
            final double c0 = in0[k + 1];
            final double c1 = in1[k + 1];
            final boolean first = a0 != 0.0 || a1 != 0.0;
            final boolean second = c0 != 0.0 || c1 != 0.0;
            if (first && second) {
                axpy2x2(a0, a1, c0, c1, dz0, dz1, dw[rowOffset + k], dw[rowOffset + k + 1]);
            } else if (first) {
                axpy2(a0, dz0, a1, dz1, dw[rowOffset + k]);
            } else if (second) {
                axpy2(c0, dz0, c1, dz1, dw[rowOffset + k + 1]);
            }
        }
        if (k < n && (in0[k] != 0.0 || in1[k] != 0.0)) {
            axpy2(in0[k], dz0, in1[k], dz1, dw[rowOffset + k]);
        }
    }

    /** {@code y[i] += a0·x0[i] + a1·x1[i]}, left to right. */
    private static void axpy2(double a0, double[] x0, double a1, double[] x1, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] + a0 * x0[i] + a1 * x1[i];
        }
    }

    /**
     * Writes the transpose of the block of {@code rows} storage rows of {@code w} starting at {@code rowOffset}
     * into {@code wT} ({@code wT[j][k] = w[rowOffset + k][j]}). The backward pass keeps such a unit-major copy so
     * that {@code Wᵀ·dz} becomes whole-row multiply-adds (which vectorise) instead of dot products (which, as
     * reductions, do not). Eight source rows are read side by side, so that each destination row receives eight
     * neighbouring values (a cache line) at a time.
     */
    public static void transpose(double[][] w, int rowOffset, int rows, double[][] wT) {
        final int cols = wT.length;
        int k = 0;
        for (; k + 7 < rows; k += 8) {
            final double[] s0 = w[rowOffset + k];
            final double[] s1 = w[rowOffset + k + 1];
            final double[] s2 = w[rowOffset + k + 2];
            final double[] s3 = w[rowOffset + k + 3];
            final double[] s4 = w[rowOffset + k + 4];
            final double[] s5 = w[rowOffset + k + 5];
            final double[] s6 = w[rowOffset + k + 6];
            final double[] s7 = w[rowOffset + k + 7];
            for (int j = 0; j < cols; j++) {
                final double[] d = wT[j];
                d[k] = s0[j];
                d[k + 1] = s1[j];
                d[k + 2] = s2[j];
                d[k + 3] = s3[j];
                d[k + 4] = s4[j];
                d[k + 5] = s5[j];
                d[k + 6] = s6[j];
                d[k + 7] = s7[j];
            }
        }
        for (; k < rows; k++) {
            final double[] src = w[rowOffset + k];
            for (int j = 0; j < cols; j++) {
                wT[j][k] = src[j];
            }
        }
    }

    /** Per-thread scratch row of {@link #sumOfSquares(double[][])}, grown as needed. */
    private static final ThreadLocal<double[]> SQUARES = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * Σ of the squares of every entry of {@code m} (rows of equal length). The squares are added column by column
     * into a scratch row, {@code acc[i] += m[r][i]²}, which vectorises like an axpy, and the scratch row is summed
     * at the end: a fixed order, so the result is the same on every run. (One running sum, or a dot product per
     * row, would make each addition wait for the one before.)
     */
    public static double sumOfSquares(double[][] m) {
        final int n = m[0].length;
        double[] acc = SQUARES.get();
        if (acc.length < n) {
            acc = new double[n];
            SQUARES.set(acc);
        }
        java.util.Arrays.fill(acc, 0, n, 0.0);
        for (double[] row : m) {
            for (int i = 0; i < n; i++) {
                acc[i] += row[i] * row[i];
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += acc[i];
        }
        return sum;
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
