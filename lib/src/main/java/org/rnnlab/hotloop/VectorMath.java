package org.rnnlab.hotloop;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The batched products of {@link RowMath} written with the JDK's Vector API ({@code jdk.incubator.vector}) as a
 * register-blocked micro-kernel: four output rows by two vectors of columns, eight accumulators held in registers
 * while the whole sum over k runs, over weights packed into column panels ({@link PackedMatrix}). Each loaded weight
 * vector serves four rows, and each output is loaded and stored once per product instead of once per three terms.
 *
 * <p>Why four by two: with AVX2 (16 vector registers) a bigger block spills its accumulators; four by three and
 * four by four measured slower than the row loops, four by two over packed panels 1.2–1.4× faster, over
 * unpacked {@code double[][]} rows slower (see bench/README.md). On AVX-512 hardware (32 registers) a bigger block
 * would fit; it is not written yet.
 *
 * <p><b>Same bits as the row loops.</b> Every output element is still {@code c = c + a_k · b_k} for k = 0, 1, 2 … in
 * turn, a multiplication rounded and then an addition rounded (no fused multiply-add), as in {@link RowMath#axpy3x2}.
 * A k at which all four rows' inputs are zero is skipped; when only some are zero, the others add
 * {@code 0·b = ±0}, which leaves every sum unchanged except an exact −0.0, which becomes +0.0 (the row loops add such
 * zero terms too, within their groups of three).
 *
 * <p>Besides the products, the LSTM cell's backward step through its units ({@link #lstmGateGradients}) runs here a
 * vector of units at a time, with the scalar loop's operations in its order: the same bits.
 *
 * <p>Only {@link Kernels} calls this class, and only when the JVM has the module {@code jdk.incubator.vector}:
 * without it this class must not be loaded.
 */
final class VectorMath {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int W = 2 * L;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    /** Columns per float32 panel. */
    private static final int FW = 2 * FL;
    /** Output rows per block. */
    private static final int ROWS = 4;
    /**
     * In the weight gradient, a block of four rows that only this many sequences touch (one-hot inputs: most of
     * them) takes one axpy per non-zero input instead: the block would load and store all four gradient rows.
     */
    private static final int SPARSE = 2;

    /** Per-thread scratch: the inputs of four rows, k-major ({@code a[4q + i]}), the k that are used, packed dz. */
    private static final class Scratch {
        double[] a = new double[0];
        int[] used = new int[0];
        double[] panels = new double[0];
        float[] fa = new float[0];
        float[] fpanels = new float[0];
        final float[] sums = new float[ROWS * 2 * FloatVector.SPECIES_PREFERRED.length()];

        void room(int terms) {
            if (used.length < terms) {
                a = new double[ROWS * terms];
                fa = new float[ROWS * terms];
                used = new int[terms];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VectorMath() {
    }

    /** Columns per float32 panel of {@link PackedMatrix#packFloats}. */
    static int floatPanel() {
        return FW;
    }

    /** The vector width in doubles (4 with AVX2, 8 with 512-bit AVX-512 code). */
    static int lanes() {
        return L;
    }

    /**
     * {@code out[b] += Σ_k in[b][k] · W[k]} for sequences b in [from, to) over the packed block W, four sequences
     * per block; the last one to three sequences take the row loops, which add in the same order.
     */
    static void multiplyInto(double[][] in, PackedMatrix w, double[][] out, int from, int to) {
        final int k = w.rows();
        final Scratch s = SCRATCH.get();
        s.room(k);
        final double[] a = s.a;
        final int[] used = s.used;
        int b = from;
        for (; b + ROWS <= to; b += ROWS) {
            final double[] i0 = in[b];
            final double[] i1 = in[b + 1];
            final double[] i2 = in[b + 2];
            final double[] i3 = in[b + 3];
            int m = 0;
            for (int p = 0; p < k; p++) {
                final double a0 = i0[p];
                final double a1 = i1[p];
                final double a2 = i2[p];
                final double a3 = i3[p];
                if (a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0) {
                    a[ROWS * m] = a0;
                    a[ROWS * m + 1] = a1;
                    a[ROWS * m + 2] = a2;
                    a[ROWS * m + 3] = a3;
                    used[m++] = p;
                }
            }
            if (m > 0) {
                block(a, used, m, w.data(), k, w.source(), w.rowOffset(), w.cols(), out[b], out[b + 1],
                        out[b + 2], out[b + 3]);
            }
        }
        if (b < to) {
            RowMath.multiplyIntoRows(in, w.source(), w.rowOffset(), out, b, to);
        }
    }

    /**
     * {@code dW[rowOffset + r] += Σ_b in[b][r] · dz[b]} for sequences b in [from, to), in the order b = from,
     * from + 1 …; four gradient rows per block, over the dz rows packed once per call. Rows past the last multiple
     * of four take one axpy per sequence.
     */
    static void accumulateOuter(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from, int to) {
        final int rows = in[from].length;
        final int count = to - from;
        final int n = dz[from].length;
        final int panels = n / W;
        final Scratch s = SCRATCH.get();
        s.room(count);
        if (s.panels.length < count * panels * W) {
            s.panels = new double[count * panels * W];
        }
        final double[] packed = s.panels;
        for (int q = 0; q < count; q++) {
            final double[] row = dz[from + q];
            for (int p = 0; p < panels; p++) {
                System.arraycopy(row, p * W, packed, (p * count + q) * W, W);
            }
        }
        final double[] a = s.a;
        final int[] used = s.used;
        int r = 0;
        for (; r + ROWS <= rows; r += ROWS) {
            int m = 0;
            for (int q = 0; q < count; q++) {
                final double[] v = in[from + q];
                final double a0 = v[r];
                final double a1 = v[r + 1];
                final double a2 = v[r + 2];
                final double a3 = v[r + 3];
                if (a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0) {
                    a[ROWS * m] = a0;
                    a[ROWS * m + 1] = a1;
                    a[ROWS * m + 2] = a2;
                    a[ROWS * m + 3] = a3;
                    used[m++] = q;
                }
            }
            if (m > SPARSE) {
                block(a, used, m, packed, count, dz, from, n, dw[rowOffset + r], dw[rowOffset + r + 1],
                        dw[rowOffset + r + 2], dw[rowOffset + r + 3]);
            } else {
                for (int i = 0; i < ROWS; i++) {                         // one-hot inputs: only the rows they touch
                    for (int q = 0; q < m; q++) {
                        final double v = a[ROWS * q + i];
                        if (v != 0.0) {
                            RowMath.axpy(v, dz[from + used[q]], dw[rowOffset + r + i]);
                        }
                    }
                }
            }
        }
        for (; r < rows; r++) {
            final double[] g = dw[rowOffset + r];
            for (int b = from; b < to; b++) {
                final double v = in[b][r];
                if (v != 0.0) {
                    RowMath.axpy(v, dz[b], g);
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code c_i[j] += Σ_q a[4q + i] · B[used[q]][j]} for i = 0 … 3, q = 0 … m − 1 in turn and
     * every column j &lt; n. Whole panels are read from {@code packed} (panel p, row k at
     * {@code (p · rows + k) · W}); the columns past them from the source rows {@code src[srcOffset + k]}.
     */
    private static void block(double[] a, int[] used, int m, double[] packed, int rows, double[][] src,
                              int srcOffset, int n, double[] c0, double[] c1, double[] c2, double[] c3) {
        final int panels = n / W;
        if (m == rows) {
            densePanels(a, m, packed, panels, c0, c1, c2, c3);
        } else {
            usedPanels(a, used, m, packed, rows, panels, c0, c1, c2, c3);
        }
        for (int j = panels * W; j < n; j++) {
            double s0 = c0[j];
            double s1 = c1[j];
            double s2 = c2[j];
            double s3 = c3[j];
            for (int q = 0; q < m; q++) {
                final double v = src[srcOffset + used[q]][j];
                s0 = s0 + a[ROWS * q] * v;
                s1 = s1 + a[ROWS * q + 1] * v;
                s2 = s2 + a[ROWS * q + 2] * v;
                s3 = s3 + a[ROWS * q + 3] * v;
            }
            c0[j] = s0;
            c1[j] = s1;
            c2[j] = s2;
            c3[j] = s3;
        }
    }

    /** {@link #block}'s whole panels, over the rows of B that {@code used} names. */
    private static void usedPanels(double[] a, int[] used, int m, double[] packed, int rows, int panels,
                                   double[] c0, double[] c1, double[] c2, double[] c3) {
        for (int p = 0; p < panels; p++) {
            final int j = p * W;
            final int base = p * rows * W;
            DoubleVector s00 = DoubleVector.fromArray(S, c0, j);
            DoubleVector s01 = DoubleVector.fromArray(S, c0, j + L);
            DoubleVector s10 = DoubleVector.fromArray(S, c1, j);
            DoubleVector s11 = DoubleVector.fromArray(S, c1, j + L);
            DoubleVector s20 = DoubleVector.fromArray(S, c2, j);
            DoubleVector s21 = DoubleVector.fromArray(S, c2, j + L);
            DoubleVector s30 = DoubleVector.fromArray(S, c3, j);
            DoubleVector s31 = DoubleVector.fromArray(S, c3, j + L);
            for (int q = 0; q < m; q++) {
                final int o = base + used[q] * W;
                final DoubleVector w0 = DoubleVector.fromArray(S, packed, o);
                final DoubleVector w1 = DoubleVector.fromArray(S, packed, o + L);
                DoubleVector x = DoubleVector.broadcast(S, a[ROWS * q]);
                s00 = s00.add(w0.mul(x));
                s01 = s01.add(w1.mul(x));
                x = DoubleVector.broadcast(S, a[ROWS * q + 1]);
                s10 = s10.add(w0.mul(x));
                s11 = s11.add(w1.mul(x));
                x = DoubleVector.broadcast(S, a[ROWS * q + 2]);
                s20 = s20.add(w0.mul(x));
                s21 = s21.add(w1.mul(x));
                x = DoubleVector.broadcast(S, a[ROWS * q + 3]);
                s30 = s30.add(w0.mul(x));
                s31 = s31.add(w1.mul(x));
            }
            s00.intoArray(c0, j);
            s01.intoArray(c0, j + L);
            s10.intoArray(c1, j);
            s11.intoArray(c1, j + L);
            s20.intoArray(c2, j);
            s21.intoArray(c2, j + L);
            s30.intoArray(c3, j);
            s31.intoArray(c3, j + L);
        }
    }

    /**
     * {@link #block}'s whole panels when every row of B is used ({@code used[q] == q}: a hidden state or a dz with
     * no zero, the common case): the same operations in the same order, with the panel read straight through
     * instead of through {@code used}. A separate loop, because the JIT does not split the general one on
     * {@code m == rows} by itself; measured 17 % faster (27.7 against 32.5 GFLOP/s, 32 × 256 × 1024).
     */
    private static void densePanels(double[] a, int m, double[] packed, int panels, double[] c0, double[] c1,
                                    double[] c2, double[] c3) {
        for (int p = 0; p < panels; p++) {
            final int j = p * W;
            DoubleVector s00 = DoubleVector.fromArray(S, c0, j);
            DoubleVector s01 = DoubleVector.fromArray(S, c0, j + L);
            DoubleVector s10 = DoubleVector.fromArray(S, c1, j);
            DoubleVector s11 = DoubleVector.fromArray(S, c1, j + L);
            DoubleVector s20 = DoubleVector.fromArray(S, c2, j);
            DoubleVector s21 = DoubleVector.fromArray(S, c2, j + L);
            DoubleVector s30 = DoubleVector.fromArray(S, c3, j);
            DoubleVector s31 = DoubleVector.fromArray(S, c3, j + L);
            for (int q = 0, o = p * m * W; q < m; q++, o += W) {
                final DoubleVector w0 = DoubleVector.fromArray(S, packed, o);
                final DoubleVector w1 = DoubleVector.fromArray(S, packed, o + L);
                DoubleVector x = DoubleVector.broadcast(S, a[ROWS * q]);
                s00 = s00.add(w0.mul(x));
                s01 = s01.add(w1.mul(x));
                x = DoubleVector.broadcast(S, a[ROWS * q + 1]);
                s10 = s10.add(w0.mul(x));
                s11 = s11.add(w1.mul(x));
                x = DoubleVector.broadcast(S, a[ROWS * q + 2]);
                s20 = s20.add(w0.mul(x));
                s21 = s21.add(w1.mul(x));
                x = DoubleVector.broadcast(S, a[ROWS * q + 3]);
                s30 = s30.add(w0.mul(x));
                s31 = s31.add(w1.mul(x));
            }
            s00.intoArray(c0, j);
            s01.intoArray(c0, j + L);
            s10.intoArray(c1, j);
            s11.intoArray(c1, j + L);
            s20.intoArray(c2, j);
            s21.intoArray(c2, j + L);
            s30.intoArray(c3, j);
            s31.intoArray(c3, j + L);
        }
    }

    /**
     * The float32 form of {@link #multiplyInto}: {@code out[b] += (double) Σ_k (float) in[b][k] · (float) W[k]}, the
     * sum taken in float32 with fused multiply-adds over the float copy in {@code w} ({@link PackedMatrix#packFloats}),
     * four sequences per block; the last one to three sequences take the float64 row loops.
     */
    static void multiplyIntoFloat(double[][] in, PackedMatrix w, double[][] out, int from, int to) {
        final int k = w.rows();
        final Scratch s = SCRATCH.get();
        s.room(k);
        final float[] a = s.fa;
        final int[] used = s.used;
        int b = from;
        for (; b + ROWS <= to; b += ROWS) {
            final double[] i0 = in[b];
            final double[] i1 = in[b + 1];
            final double[] i2 = in[b + 2];
            final double[] i3 = in[b + 3];
            int m = 0;
            for (int p = 0; p < k; p++) {
                if (i0[p] != 0.0 || i1[p] != 0.0 || i2[p] != 0.0 || i3[p] != 0.0) {
                    a[ROWS * m] = (float) i0[p];
                    a[ROWS * m + 1] = (float) i1[p];
                    a[ROWS * m + 2] = (float) i2[p];
                    a[ROWS * m + 3] = (float) i3[p];
                    used[m++] = p;
                }
            }
            if (m > 0) {
                blockFloat(a, used, m, w.floats(), k, w.source(), w.rowOffset(), w.cols(), s.sums, out[b],
                        out[b + 1], out[b + 2], out[b + 3]);
            }
        }
        if (b < to) {
            RowMath.multiplyIntoRows(in, w.source(), w.rowOffset(), out, b, to);
        }
    }

    /**
     * The float32 form of {@link #accumulateOuter}: each block of four gradient rows gets the float32 sum of its
     * terms (fused multiply-adds over dz rounded to float), added to the float64 gradient. Sparse blocks (one-hot
     * inputs) and the rows past the last multiple of four take float64 axpys.
     */
    static void accumulateOuterFloat(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from, int to) {
        final int rows = in[from].length;
        final int count = to - from;
        final int n = dz[from].length;
        final int panels = n / FW;
        final Scratch s = SCRATCH.get();
        s.room(count);
        if (s.fpanels.length < count * panels * FW) {
            s.fpanels = new float[count * panels * FW];
        }
        final float[] packed = s.fpanels;
        for (int q = 0; q < count; q++) {
            final double[] row = dz[from + q];
            for (int p = 0; p < panels; p++) {
                final int at = (p * count + q) * FW;
                for (int c = 0; c < FW; c++) {
                    packed[at + c] = (float) row[p * FW + c];
                }
            }
        }
        final float[] a = s.fa;
        final int[] used = s.used;
        int r = 0;
        for (; r + ROWS <= rows; r += ROWS) {
            int m = 0;
            for (int q = 0; q < count; q++) {
                final double[] v = in[from + q];
                if (v[r] != 0.0 || v[r + 1] != 0.0 || v[r + 2] != 0.0 || v[r + 3] != 0.0) {
                    a[ROWS * m] = (float) v[r];
                    a[ROWS * m + 1] = (float) v[r + 1];
                    a[ROWS * m + 2] = (float) v[r + 2];
                    a[ROWS * m + 3] = (float) v[r + 3];
                    used[m++] = q;
                }
            }
            if (m > SPARSE) {
                blockFloat(a, used, m, packed, count, dz, from, n, s.sums, dw[rowOffset + r], dw[rowOffset + r + 1],
                        dw[rowOffset + r + 2], dw[rowOffset + r + 3]);
            } else {
                for (int q = 0; q < m; q++) {
                    final double[] v = in[from + used[q]];
                    for (int i = 0; i < ROWS; i++) {
                        if (v[r + i] != 0.0) {
                            RowMath.axpy(v[r + i], dz[from + used[q]], dw[rowOffset + r + i]);
                        }
                    }
                }
            }
        }
        for (; r < rows; r++) {
            final double[] g = dw[rowOffset + r];
            for (int b = from; b < to; b++) {
                final double v = in[b][r];
                if (v != 0.0) {
                    RowMath.axpy(v, dz[b], g);
                }
            }
        }
    }

    /**
     * The float32 micro-kernel: {@code c_i[j] += (double) Σ_q a[4q + i] · B[used[q]][j]}, the sum in float32 from
     * zero with fused multiply-adds, four rows by two float vectors; columns past the whole panels in scalar float32.
     */
    private static void blockFloat(float[] a, int[] used, int m, float[] packed, int rows, double[][] src,
                                   int srcOffset, int n, float[] sums, double[] c0, double[] c1, double[] c2,
                                   double[] c3) {
        final int panels = n / FW;
        if (m == rows) {
            denseFloatPanels(a, m, packed, panels, sums, c0, c1, c2, c3);
        } else {
            usedFloatPanels(a, used, m, packed, rows, panels, sums, c0, c1, c2, c3);
        }
        for (int j = panels * FW; j < n; j++) {
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int q = 0; q < m; q++) {
                final float v = (float) src[srcOffset + used[q]][j];
                s0 += a[ROWS * q] * v;
                s1 += a[ROWS * q + 1] * v;
                s2 += a[ROWS * q + 2] * v;
                s3 += a[ROWS * q + 3] * v;
            }
            c0[j] += s0;
            c1[j] += s1;
            c2[j] += s2;
            c3[j] += s3;
        }
    }

    /** {@link #blockFloat}'s whole panels, over the rows of B that {@code used} names. */
    private static void usedFloatPanels(float[] a, int[] used, int m, float[] packed, int rows, int panels,
                                        float[] sums, double[] c0, double[] c1, double[] c2, double[] c3) {
        final FloatVector zero = FloatVector.zero(FS);
        for (int p = 0; p < panels; p++) {
            final int base = p * rows * FW;
            FloatVector s00 = zero;
            FloatVector s01 = zero;
            FloatVector s10 = zero;
            FloatVector s11 = zero;
            FloatVector s20 = zero;
            FloatVector s21 = zero;
            FloatVector s30 = zero;
            FloatVector s31 = zero;
            for (int q = 0; q < m; q++) {
                final int o = base + used[q] * FW;
                final FloatVector w0 = FloatVector.fromArray(FS, packed, o);
                final FloatVector w1 = FloatVector.fromArray(FS, packed, o + FL);
                FloatVector x = FloatVector.broadcast(FS, a[ROWS * q]);
                s00 = w0.fma(x, s00);
                s01 = w1.fma(x, s01);
                x = FloatVector.broadcast(FS, a[ROWS * q + 1]);
                s10 = w0.fma(x, s10);
                s11 = w1.fma(x, s11);
                x = FloatVector.broadcast(FS, a[ROWS * q + 2]);
                s20 = w0.fma(x, s20);
                s21 = w1.fma(x, s21);
                x = FloatVector.broadcast(FS, a[ROWS * q + 3]);
                s30 = w0.fma(x, s30);
                s31 = w1.fma(x, s31);
            }
            s00.intoArray(sums, 0);
            s01.intoArray(sums, FL);
            s10.intoArray(sums, FW);
            s11.intoArray(sums, FW + FL);
            s20.intoArray(sums, 2 * FW);
            s21.intoArray(sums, 2 * FW + FL);
            s30.intoArray(sums, 3 * FW);
            s31.intoArray(sums, 3 * FW + FL);
            addSums(sums, p * FW, c0, c1, c2, c3);
        }
    }

    /** {@link #blockFloat}'s whole panels when every row of B is used: as {@link #densePanels}. */
    private static void denseFloatPanels(float[] a, int m, float[] packed, int panels, float[] sums, double[] c0,
                                         double[] c1, double[] c2, double[] c3) {
        final FloatVector zero = FloatVector.zero(FS);
        for (int p = 0; p < panels; p++) {
            FloatVector s00 = zero;
            FloatVector s01 = zero;
            FloatVector s10 = zero;
            FloatVector s11 = zero;
            FloatVector s20 = zero;
            FloatVector s21 = zero;
            FloatVector s30 = zero;
            FloatVector s31 = zero;
            for (int q = 0, o = p * m * FW; q < m; q++, o += FW) {
                final FloatVector w0 = FloatVector.fromArray(FS, packed, o);
                final FloatVector w1 = FloatVector.fromArray(FS, packed, o + FL);
                FloatVector x = FloatVector.broadcast(FS, a[ROWS * q]);
                s00 = w0.fma(x, s00);
                s01 = w1.fma(x, s01);
                x = FloatVector.broadcast(FS, a[ROWS * q + 1]);
                s10 = w0.fma(x, s10);
                s11 = w1.fma(x, s11);
                x = FloatVector.broadcast(FS, a[ROWS * q + 2]);
                s20 = w0.fma(x, s20);
                s21 = w1.fma(x, s21);
                x = FloatVector.broadcast(FS, a[ROWS * q + 3]);
                s30 = w0.fma(x, s30);
                s31 = w1.fma(x, s31);
            }
            s00.intoArray(sums, 0);
            s01.intoArray(sums, FL);
            s10.intoArray(sums, FW);
            s11.intoArray(sums, FW + FL);
            s20.intoArray(sums, 2 * FW);
            s21.intoArray(sums, 2 * FW + FL);
            s30.intoArray(sums, 3 * FW);
            s31.intoArray(sums, 3 * FW + FL);
            addSums(sums, p * FW, c0, c1, c2, c3);
        }
    }

    /** {@code c_i[j + e] += sums[i · FW + e]} for the four rows i and e &lt; FW: a panel's float32 sums into float64. */
    private static void addSums(float[] sums, int j, double[] c0, double[] c1, double[] c2, double[] c3) {
        for (int e = 0; e < FW; e++) {
            c0[j + e] += sums[e];
            c1[j + e] += sums[FW + e];
            c2[j + e] += sums[2 * FW + e];
            c3[j + e] += sums[3 * FW + e];
        }
    }

    /** ln 2 split in two (Cody and Waite): k · LN2_HI is exact for the k that occur here. */
    private static final double LN2_HI = 0.6931471803691238;
    private static final double LN2_LO = 1.9082149292705877e-10;
    /** 1.5 · 2^52: adding it rounds a double of magnitude below 2^51 to an integer, held in the low mantissa bits. */
    private static final double ROUND = 0x1.8p52;
    /** exp's argument is clamped to ±700, where e^x and 2^k are still normal doubles. */
    private static final double EXP_LIMIT = 700.0;

    /**
     * e^x lanewise for |x| ≤ 700 (clamped there), in plain vector arithmetic: x = k · ln 2 + r with |r| ≤ ln 2 / 2,
     * e^r by its Taylor series to r^12 (fused multiply-adds; the first term left out is below 2e-16), 2^k built in the
     * exponent bits. Relative error below 1e-15 (σ and tanh on it are tested against the scalar ones), not bit for
     * bit: the float32 precision uses it, float64 never does. (The Vector API's own EXP, which calls the JVM's SVML
     * stubs, measured 28 % slower in the training step, though faster in a loop of its own.)
     */
    private static DoubleVector exp(DoubleVector x) {
        final DoubleVector v = x.max(-EXP_LIMIT).min(EXP_LIMIT);
        final DoubleVector shifted = v.mul(1.4426950408889634).add(ROUND);   // k + 1.5 · 2^52
        final DoubleVector k = shifted.sub(ROUND);
        final DoubleVector r = v.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        DoubleVector p = DoubleVector.broadcast(S, 1.0 / 479001600.0);
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 39916800.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 3628800.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 362880.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 40320.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 5040.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 720.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 120.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 24.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0 / 6.0));
        p = p.fma(r, DoubleVector.broadcast(S, 0.5));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0));
        final LongVector twoToK = shifted.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                .add(ONE_BITS);                                                // bits of 2^k
        return p.mul(twoToK.reinterpretAsDoubles());
    }

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    /**
     * {@code z[at + u] = σ(z[at + u]) = 1 / (1 + e^{−z})} for u &lt; n, on {@link #exp}; the units past the last
     * whole vector take {@link RowMath#sigmoid}.
     */
    static void sigmoid(double[] z, int at, int n) {
        final DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int u = 0;
        for (; u <= n - L; u += L) {
            final DoubleVector e = exp(DoubleVector.fromArray(S, z, at + u).neg());
            one.div(one.add(e)).intoArray(z, at + u);
        }
        for (; u < n; u++) {
            z[at + u] = RowMath.sigmoid(z[at + u]);
        }
    }

    /**
     * {@code to[toAt + u] = tanh(from[fromAt + u]) = 1 − 2 / (e^{2x} + 1)} for u &lt; n, on {@link #exp}; as
     * {@link #sigmoid}.
     */
    static void tanh(double[] from, int fromAt, double[] to, int toAt, int n) {
        final DoubleVector one = DoubleVector.broadcast(S, 1.0);
        final DoubleVector two = DoubleVector.broadcast(S, 2.0);
        int u = 0;
        for (; u <= n - L; u += L) {
            final DoubleVector x = DoubleVector.fromArray(S, from, fromAt + u);
            one.sub(two.div(exp(x.add(x)).add(one))).intoArray(to, toAt + u);
        }
        for (; u < n; u++) {
            to[toAt + u] = RowMath.tanh(from[fromAt + u]);
        }
    }

    /**
     * The backward step through the units of a standard LSTM cell (all three gates, both activations, no peepholes,
     * no gate recurrence), a vector of units at a time, in exactly the operations and order of the scalar loop of
     * {@code LstmCell.backwardStep}: a lanewise multiply, add or subtract rounds as its scalar twin does, so the
     * results are the same bits. {@code a} holds the gate values in W's column layout (offsets oi, of, oo, og);
     * {@code dc} is ∂L/∂c_t on entry and ∂L/∂c_{t−1} on return; {@code dz} receives ∂L/∂(gate pre-activations).
     * Returns how many units it did (whole vectors); the caller's scalar loop does the rest.
     */
    static int lstmGateGradients(double[] dh, double[] a, int oi, int of, int oo, int og, double[] cPrev,
                                 double[] s, double[] dc, double[] dz, int n) {
        final DoubleVector one = DoubleVector.broadcast(S, 1.0);
        final DoubleVector zero = DoubleVector.zero(S);
        int u = 0;
        for (; u <= n - L; u += L) {
            final DoubleVector i = DoubleVector.fromArray(S, a, oi + u);
            final DoubleVector f = DoubleVector.fromArray(S, a, of + u);
            final DoubleVector o = DoubleVector.fromArray(S, a, oo + u);
            final DoubleVector g = DoubleVector.fromArray(S, a, og + u);
            final DoubleVector shown = DoubleVector.fromArray(S, s, u);
            final DoubleVector d = DoubleVector.fromArray(S, dh, u);
            final DoubleVector dCell = DoubleVector.fromArray(S, dc, u).add(d.mul(o).mul(one.sub(shown.mul(shown))));
            d.mul(shown).add(zero).mul(o).mul(one.sub(o)).intoArray(dz, oo + u);
            final DoubleVector di = dCell.mul(g).add(zero);
            final DoubleVector df = dCell.mul(DoubleVector.fromArray(S, cPrev, u)).add(zero);
            dCell.mul(i).mul(one.sub(g.mul(g))).intoArray(dz, og + u);
            di.mul(i).mul(one.sub(i)).intoArray(dz, oi + u);
            df.mul(f).mul(one.sub(f)).intoArray(dz, of + u);
            dCell.mul(f).intoArray(dc, u);
        }
        return u;
    }
}
