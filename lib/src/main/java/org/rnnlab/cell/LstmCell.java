package org.rnnlab.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.PackedMatrix;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The long short-term memory cell (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al.),
 * in all of Greff et al.'s variants ({@link LstmVariant}).
 *
 * <p>The cell state c is a memory pipeline that runs through time with weight 1 (the constant error carousel):
 * sigmoid gates (valves between 0 and 1) decide what is forgotten, what is written and what is shown.
 * In colah's notation (his C̃_t is g_t here):
 * <pre>
 *   i_t = σ(W_xi x_t + W_hi h_{t−1} + w_ci ⊙ c_{t−1} + b_i)     input gate: how much to write
 *   f_t = σ(W_xf x_t + W_hf h_{t−1} + w_cf ⊙ c_{t−1} + b_f)     forget gate: how much to keep
 *   g_t = tanh(W_xg x_t + W_hg h_{t−1} + b_g)                 block input: what could be written (−1..1)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                           the memory pipeline
 *   o_t = σ(W_xo x_t + W_ho h_{t−1} + w_co ⊙ c_t + b_o)       output gate: how much to show
 *   h_t = o_t ⊙ tanh(c_t)
 * </pre>
 * The peephole terms w_c· ⊙ c exist only in variants with peepholes; NIG, NFG and NOG fix a gate at 1; CIFG
 * sets f_t = 1 − i_t; NIAF and NOAF drop a tanh; FGR adds R_{from,to} · gate_{t−1} to every gate.
 *
 * <p>Storage: one fused block {@code W} of (X + H) rows × (gates · H) columns, input-major, with the gates
 * side by side in the order i, f, o, g (absent gates take no columns); a bias row; a peephole row
 * [w_ci | w_cf | w_co]; and, for FGR, a block R of 3H × 3H. Named views (W_xi, W_hf, b_o, w_ci, R_if …) show and
 * set each piece in textbook orientation.
 *
 * <p>Speed: a step is computed for all sequences of the batch together. W's rows are applied three at a time to
 * two sequences at once ({@link RowMath#multiplyInto(double[][], double[][], int, double[][], int, int)}); the backward
 * pass keeps a unit-major copy of the recurrent block, refreshed in {@link #beginBackward()}, so that
 * ∂L/∂h_{t−1} = W_h·ᵀ dz is made of the same whole-row multiply-adds as the forward pass rather than of dot
 * products; and with fewer than six sequences (64 in float32) it adds the weight gradient of up to six steps at
 * once. On the Vector API path the backward step through the units runs a vector of units at a time, with the same
 * bits. The forward step squashes one whole gate at a time, as the equations read: a tight loop around one
 * {@code exp} per unit keeps little live across the call, which measured faster than doing all gates of a unit
 * together. In float32 precision the gates are squashed a vector of units at a time ({@code Kernels.sigmoid},
 * {@code Kernels.tanh}: not the scalar functions' bits).
 */
public final class LstmCell extends RecurrentCell {
    private final LstmVariant variant;
    private final Parameter w;
    private final Parameter bias;
    private final Parameter peep;
    private final Parameter recurrentGates;
    private final List<WeightView> views = new ArrayList<>();
    /** Column offsets of the gates in W (−1: absent). */
    private final int oi;
    private final int of;
    private final int oo;
    private final int og;
    private final int width;
    /** Offsets of the peepholes in {@code peep} (−1: absent). */
    private final int pi;
    private final int pf;
    private final int po;

    /** act[t][b] = gate values i, f, o, g of step t (after their squashing), in W's column layout. */
    private double[][][] act;
    /** c[t + 1][b] = cell state after step t; c[0] carried in. */
    private double[][][] c;
    /** s[t][b] = tanh(c_t) (or c_t without output activation). */
    private double[][][] s;
    /** FGR only: q[t + 1][b] = (i, f, o) of step t; q[0] carried in. */
    private double[][][] q;
    private double[][] dcNext;
    private double[][] dqNext;
    /** Steps whose weight-gradient terms may be held back, and the number of terms that sends them on. */
    private static final int HELD_STEPS = 6;
    private static final int HELD_PAIRS = 6;
    /**
     * The number of terms that sends them on in float32 precision: the float32 kernel sums a block's terms in
     * float32 from zero and then widens them into ∂W, a cost per call that more terms per call share (measured
     * 16 % faster at 16 sequences than with six terms). Float64 keeps six: its sums stay bit for bit as they were.
     */
    private static final int HELD_PAIRS_FLOAT = 64;
    /**
     * dzs[slot][b] = ∂L/∂(gate pre-activations) of sequence b, in W's column layout, at the step backpropagated
     * into that slot: slot 0 for the current step, slots 1–5 when earlier steps are still held back.
     */
    private double[][][] dzs;
    /**
     * The weight-gradient terms held back, per lane: pairs (x_t row, h_{t−1} row, dz row), {@code held[lane]} steps'
     * worth. With fewer than six sequences in a lane, ∂W += dz ⊗ (x, h) is added for up to six steps at once, so
     * that each row of ∂W is loaded once per several terms, as with a larger batch; the terms are added in the
     * same order as step by step, so the sums are bit for bit the same.
     */
    private double[][][] pendingX = new double[0][][];
    private double[][][] pendingH = new double[0][][];
    private double[][][] pendingDz = new double[0][][];
    private int[] pairs = new int[0];
    private int[] held = new int[0];
    /** wT[j][k] = W[inputSize + k][j]: the recurrent block unit-major, for W_h·ᵀ dz; refreshed per backward pass. */
    private final double[][] wT;
    /**
     * The recurrent block W_h· packed for the Vector API kernels, during a forward pass ({@link #beginForward()});
     * null when the row loops run or outside such a pass.
     */
    private PackedMatrix forwardPacked;
    /** wT packed for the Vector API kernels, made by {@link #beginBackward()}; null when the row loops run. */
    private PackedMatrix backwardPacked;
    private PackedMatrix whPanels;
    private PackedMatrix wTPanels;

    public LstmCell(int inputSize, int hiddenSize, LstmVariant variant) {
        super(inputSize, hiddenSize);
        this.variant = variant;
        int hs = hiddenSize;
        int col = 0;
        oi = variant.inputGate ? col++ * hs : -1;
        of = variant.forgetGate ? col++ * hs : -1;
        oo = variant.outputGate ? col++ * hs : -1;
        og = col++ * hs;
        width = col * hs;
        w = new Parameter("W", inputSize + hs, width, true);
        bias = new Parameter("b", 1, width, false);
        int p = 0;
        pi = variant.peepholes && oi >= 0 ? p++ * hs : -1;
        pf = variant.peepholes && of >= 0 ? p++ * hs : -1;
        po = variant.peepholes && oo >= 0 ? p++ * hs : -1;
        peep = p > 0 ? new Parameter("peepholes", 1, p * hs, true) : null;
        recurrentGates = variant.fullGateRecurrence ? new Parameter("R", 3 * hs, 3 * hs, true) : null;
        wT = new double[width][hs];
        addGateViews("i", oi, pi);
        addGateViews("f", of, pf);
        addGateViews("o", oo, po);
        addGateViews("g", og, -1);
        if (recurrentGates != null) {
            String[] gates = {"i", "f", "o"};
            for (int from = 0; from < 3; from++) {
                for (int to = 0; to < 3; to++) {
                    views.add(new WeightView("R_" + gates[from] + gates[to], recurrentGates, from * hs, to * hs,
                            hs, hs, Kind.RECURRENT));
                }
            }
        }
    }

    private void addGateViews(String gate, int column, int peepOffset) {
        if (column < 0) {
            return;
        }
        views.add(new WeightView("W_x" + gate, w, 0, column, hiddenSize, inputSize, Kind.INPUT));
        views.add(new WeightView("W_h" + gate, w, inputSize, column, hiddenSize, hiddenSize, Kind.RECURRENT));
        views.add(new WeightView("b_" + gate, bias, 0, column, hiddenSize, 1, Kind.BIAS));
        if (peepOffset >= 0) {
            views.add(new WeightView("w_c" + gate, peep, 0, peepOffset, hiddenSize, 1, Kind.PEEPHOLE));
        }
    }

    public LstmVariant variant() {
        return variant;
    }

    @Override
    public String kind() {
        return variant == LstmVariant.NP ? "LSTM" : "LSTM-" + variant.name();
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(List.of(w, bias));
        if (peep != null) {
            ps.add(peep);
        }
        if (recurrentGates != null) {
            ps.add(recurrentGates);
        }
        return ps;
    }

    @Override
    public List<WeightView> weights() {
        return views;
    }

    @Override
    protected void allocate(int steps, int sequences) {
        act = new double[steps][sequences][width];
        c = new double[steps + 1][sequences][hiddenSize];
        s = new double[steps][sequences][hiddenSize];
        q = variant.fullGateRecurrence ? new double[steps + 1][sequences][3 * hiddenSize] : null;
        dcNext = new double[sequences][hiddenSize];
        dqNext = variant.fullGateRecurrence ? new double[sequences][3 * hiddenSize] : null;
        dzs = new double[HELD_STEPS][sequences][width];
        pendingX = new double[0][][];
        allocatePending(Math.max(1, held.length), sequences);
    }

    @Override
    public void prepareLanes(int lanes) {
        super.prepareLanes(lanes);
        allocatePending(lanes, batch);
    }

    private void allocatePending(int lanes, int sequences) {
        if (pendingX.length >= lanes) {
            return;
        }
        int room = HELD_PAIRS_FLOAT + sequences;
        pendingX = new double[lanes][room][];
        pendingH = new double[lanes][room][];
        pendingDz = new double[lanes][room][];
        pairs = new int[lanes];
        held = new int[lanes];
    }

    @Override
    public boolean splitsBatch() {
        return true;
    }

    /** h and c, and for FGR the gate values (i, f, o) of the step before. */
    @Override
    protected List<double[][][]> carriedStates() {
        return q == null ? List.of(h, c) : List.of(h, c, q);
    }

    /** "h" and the cell state "c"; FGR's previous gate values stay internal (they start at zero). */
    @Override
    public List<String> stateNames() {
        return List.of("h", "c");
    }

    @Override
    protected double[][][] stateBuffer(String name) {
        return name.equals("c") ? c : super.stateBuffer(name);
    }

    @Override
    protected double[][] carriedBack(String name) {
        return name.equals("c") ? dcNext : super.carriedBack(name);
    }

    @Override
    public void forwardStep(int t, double[][] x) {
        forwardStep(t, x, 0, batch);
    }

    @Override
    public void forwardStep(int t, double[][] x, int from, int to) {
        final int hs = hiddenSize;
        final double[][] wv = w.value();
        final double[] pv = peep == null ? null : peep.value()[0];
        final boolean coupled = variant.coupled;
        final boolean vectorActivations = Kernels.vectorActivations(precision);
        final double[][] zs = act[t];
        for (int b = from; b < to; b++) {
            System.arraycopy(bias.value()[0], 0, zs[b], 0, width); // z = b
        }
        RowMath.multiplyInto(x, wv, 0, zs, from, to);               //   + W_x· x_t      (all gates at once)
        if (forwardPacked != null) {
            RowMath.multiplyInto(h[t], forwardPacked, zs, from, to); //   + W_h· h_{t−1}
        } else {
            RowMath.multiplyInto(h[t], wv, inputSize, zs, from, to);
        }
        for (int b = from; b < to; b++) {
            final double[] z = zs[b];
            final double[] cPrev = c[t][b];
            final double[] cNow = c[t + 1][b];
            if (q != null) {
                addGateRecurrence(q[t][b], z);                       //   + R · (i, f, o)_{t−1}   (FGR)
            }
            if (oi >= 0) {
                gate(z, oi, pv, pi, cPrev, vectorActivations);       // i_t = σ(… + w_ci ⊙ c_{t−1})
            }
            if (of >= 0) {
                gate(z, of, pv, pf, cPrev, vectorActivations);       // f_t = σ(… + w_cf ⊙ c_{t−1})
            }
            if (variant.inputActivation) {
                if (vectorActivations) {
                    Kernels.tanh(z, og, z, og, hs);                  // g_t = tanh(…)
                } else {
                    tanhInPlace(z, og);
                }
            }
            for (int u = 0; u < hs; u++) {                           // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
                double i = oi >= 0 ? z[oi + u] : 1.0;
                double f = of >= 0 ? z[of + u] : (coupled ? 1.0 - i : 1.0);   // CIFG: f_t = 1 − i_t;  NFG: f_t = 1
                cNow[u] = f * cPrev[u] + i * z[og + u];
            }
            if (oo >= 0) {
                gate(z, oo, pv, po, cNow, vectorActivations);        // o_t = σ(… + w_co ⊙ c_t)
            }
            final double[] sNow = s[t][b];
            final double[] hNow = h[t + 1][b];
            if (vectorActivations && variant.outputActivation) {
                Kernels.tanh(cNow, 0, sNow, 0, hs);
            }
            for (int u = 0; u < hs; u++) {                           // h_t = o_t ⊙ tanh(c_t)
                double shown = !variant.outputActivation ? cNow[u]
                        : vectorActivations ? sNow[u] : RowMath.tanh(cNow[u]);
                sNow[u] = shown;
                hNow[u] = (oo >= 0 ? z[oo + u] : 1.0) * shown;
            }
            if (q != null) {
                System.arraycopy(z, 0, q[t + 1][b], 0, 3 * hs);      // remember (i, f, o)_t for step t + 1
            }
        }
    }

    /**
     * Squashes one gate in place: {@code z[at + u] = σ(z[at + u] + w[p + u] · c[u])} for every unit u, where
     * {@code w} is the peephole row and p the gate's peephole offset (−1: the gate has no peephole). With
     * {@code vector} (float32 precision) σ runs a vector of units at a time.
     */
    private void gate(double[] z, int at, double[] w, int p, double[] c, boolean vector) {
        final int hs = hiddenSize;
        if (vector) {
            if (p >= 0) {
                for (int u = 0; u < hs; u++) {
                    z[at + u] = z[at + u] + w[p + u] * c[u];
                }
            }
            Kernels.sigmoid(z, at, hs);
        } else if (p < 0) {
            for (int u = 0; u < hs; u++) {
                z[at + u] = RowMath.sigmoid(z[at + u]);
            }
        } else {
            for (int u = 0; u < hs; u++) {
                z[at + u] = RowMath.sigmoid(z[at + u] + w[p + u] * c[u]);
            }
        }
    }

    /** {@code z[at + u] = tanh(z[at + u])} for every unit u. */
    private void tanhInPlace(double[] z, int at) {
        for (int u = 0; u < hiddenSize; u++) {
            z[at + u] = RowMath.tanh(z[at + u]);
        }
    }

    private void addGateRecurrence(double[] gatesBefore, double[] z) {
        double[][] r = recurrentGates.value();
        int n = 3 * hiddenSize;
        for (int j = 0; j < n; j++) {
            double v = gatesBefore[j];
            if (v != 0.0) {
                RowMath.axpy(v, r[j], z, n);
            }
        }
    }

    /** Packs W_h· for the Vector API kernels when they run: W does not change during the forward pass. */
    @Override
    public void beginForward() {
        if (precision == Precision.FLOAT && batch >= 4) {
            if (whPanels == null) {
                whPanels = new PackedMatrix(hiddenSize, width);
            }
            forwardPacked = whPanels.packFloats(w.value(), inputSize);
        } else if (Kernels.packs(batch)) {
            if (whPanels == null) {
                whPanels = new PackedMatrix(hiddenSize, width);
            }
            forwardPacked = whPanels.pack(w.value(), inputSize);
        }
    }

    /** The LSTM cell has float32 kernels: it runs in the precision it was given. */
    @Override
    public Precision runsPrecision() {
        return precision;
    }

    @Override
    public void endForward() {
        forwardPacked = null;
    }

    @Override
    public void beginBackward() {
        super.beginBackward();
        RowMath.zero(dcNext);
        if (dqNext != null) {
            RowMath.zero(dqNext);
        }
        RowMath.transpose(w.value(), inputSize, hiddenSize, wT);    // W_h· unit-major, as it is now
        backwardPacked = null;
        if (precision == Precision.FLOAT && batch >= 4) {
            if (wTPanels == null) {
                wTPanels = new PackedMatrix(width, hiddenSize);
            }
            backwardPacked = wTPanels.packFloats(wT, 0);
        } else if (Kernels.packs(batch)) {
            if (wTPanels == null) {
                wTPanels = new PackedMatrix(width, hiddenSize);
            }
            backwardPacked = wTPanels.pack(wT, 0);
        }
        java.util.Arrays.fill(pairs, 0);
        java.util.Arrays.fill(held, 0);
    }

    @Override
    public void backwardStep(int t, double[][] x, double[][] dhAbove, double[][] dxOut) {
        backwardStep(t, x, dhAbove, dxOut, 0, batch, 0);
        finishBackward(0);
    }

    @Override
    public void backwardStep(int t, double[][] x, double[][] dhAbove, double[][] dxOut, int from, int to, int lane) {
        final int hs = hiddenSize;
        final double[][] wv = w.value();
        final double[] pv = peep == null ? null : peep.value()[0];
        final double[] pg = peep == null ? null : gradOf(peep, lane)[0];
        final double[] bg = gradOf(bias, lane)[0];
        final boolean coupled = variant.coupled;
        final boolean squashInput = variant.inputActivation;
        final boolean squashOutput = variant.outputActivation;
        final boolean standard = oi >= 0 && of >= 0 && oo >= 0 && peep == null && q == null && !coupled
                && squashInput && squashOutput;
        for (int b = from; b < to; b++) {
            final double[] dh = totalGradient(t, b, dhAbove);
            final double[] a = act[t][b];
            final double[] cPrev = c[t][b];
            final double[] cNow = c[t + 1][b];
            final double[] sNow = s[t][b];
            final double[] dc = dcNext[b];
            final double[] dq = dqNext == null ? null : dqNext[b];
            final double[] dz = dzs[held[lane]][b];
            final int done = standard ? Kernels.lstmGateGradients(dh, a, oi, of, oo, og, cPrev, sNow, dc, dz, hs) : 0;
            for (int u = done; u < hs; u++) {                        // the rest (all units on the row-loop path)
                double i = oi >= 0 ? a[oi + u] : 1.0;
                double f = of >= 0 ? a[of + u] : (coupled ? 1.0 - i : 1.0);
                double o = oo >= 0 ? a[oo + u] : 1.0;
                double g = a[og + u];
                double shown = sNow[u];
                // h_t = o ⊙ s(c_t): into the cell state, and into the output gate
                double dCell = dc[u] + dh[u] * o * (squashOutput ? 1.0 - shown * shown : 1.0);
                if (oo >= 0) {
                    double dO = dh[u] * shown + (dq != null ? dq[oo + u] : 0.0);
                    double dzo = dO * o * (1.0 - o);
                    dz[oo + u] = dzo;
                    if (po >= 0) {
                        dCell += dzo * pv[po + u];                   // o_t peeks at c_t
                        pg[po + u] += dzo * cNow[u];
                    }
                }
                // c_t = f ⊙ c_{t−1} + i ⊙ g
                double di = dCell * g + (dq != null ? dq[oi + u] : 0.0);
                double df = dCell * cPrev[u] + (dq != null ? dq[of + u] : 0.0);
                double dg = dCell * i;
                double dcPrev = dCell * f;                           // the carousel: ∂c_t/∂c_{t−1} = f_t
                if (coupled) {
                    di -= df;                                        // f = 1 − i
                }
                dz[og + u] = squashInput ? dg * (1.0 - g * g) : dg;
                if (oi >= 0) {
                    double dzi = di * i * (1.0 - i);
                    dz[oi + u] = dzi;
                    if (pi >= 0) {
                        dcPrev += dzi * pv[pi + u];
                        pg[pi + u] += dzi * cPrev[u];
                    }
                }
                if (of >= 0) {
                    double dzf = df * f * (1.0 - f);
                    dz[of + u] = dzf;
                    if (pf >= 0) {
                        dcPrev += dzf * pv[pf + u];
                        pg[pf + u] += dzf * cPrev[u];
                    }
                }
                dc[u] = dcPrev;
            }
            RowMath.add(dz, bg);                                     // ∂b
        }
        final double[][] dz = dzs[held[lane]];
        for (int b = from; b < to; b++) {
            java.util.Arrays.fill(dhNext[b], 0.0);
        }
        if (backwardPacked != null) {
            RowMath.multiplyInto(dz, backwardPacked, dhNext, from, to);  // ∂L/∂h_{t−1} = W_h·ᵀ dz
        } else {
            RowMath.multiplyInto(dz, wT, 0, dhNext, from, to);
        }
        for (int b = from; b < to; b++) {
            if (dxOut != null) {
                multiplyTransposed(dz[b], wv, 0, dxOut[b]);         // ∂L/∂x_t = W_x·ᵀ dz
            }
            if (q != null) {
                backpropagateGateRecurrence(q[t][b], dz[b], dqNext[b], lane);
            }
            int n = pairs[lane]++;                                   // ∂W_x·, ∂W_h·: held back (pendingX)
            pendingX[lane][n] = x[b];
            pendingH[lane][n] = h[t][b];
            pendingDz[lane][n] = dz[b];
        }
        held[lane]++;
        final int sendOn = precision == Precision.FLOAT ? HELD_PAIRS_FLOAT : HELD_PAIRS;
        if (pairs[lane] >= sendOn || held[lane] == HELD_STEPS) {
            finishBackward(lane);
        }
    }

    /** Adds the held-back weight-gradient terms of lane {@code lane}: ∂W += dz ⊗ (x_t, h_{t−1}), in step order. */
    @Override
    public void finishBackward(int lane) {
        int n = pairs[lane];
        if (n > 0) {
            final double[][] wg = gradOf(w, lane);
            RowMath.accumulateOuter(pendingX[lane], pendingDz[lane], wg, 0, 0, n);          // ∂W_x· += dz ⊗ x_t
            RowMath.accumulateOuter(pendingH[lane], pendingDz[lane], wg, inputSize, 0, n,   // ∂W_h· += dz ⊗ h_{t−1}
                    precision);
            java.util.Arrays.fill(pendingX[lane], 0, n, null);
            java.util.Arrays.fill(pendingH[lane], 0, n, null);
            java.util.Arrays.fill(pendingDz[lane], 0, n, null);
        }
        pairs[lane] = 0;
        held[lane] = 0;
    }

    private void backpropagateGateRecurrence(double[] gatesBefore, double[] dz, double[] dq, int lane) {
        double[][] r = recurrentGates.value();
        double[][] rg = gradOf(recurrentGates, lane);
        int n = 3 * hiddenSize;
        for (int j = 0; j < n; j++) {
            double v = gatesBefore[j];
            if (v != 0.0) {
                RowMath.axpy(v, dz, rg[j], n);                       // ∂R[j] += (i, f, o)_{t−1}[j] · dz
            }
            dq[j] = RowMath.dot(dz, r[j], n);                        // ∂L/∂(i, f, o)_{t−1}
        }
    }

    /** The cell states c_t of all sequences at step t (t = −1: carried in). Live buffer. */
    public double[][] cellState(int t) {
        return c[t + 1];
    }

    @Override
    public Map<String, double[]> signals(int t, int b) {
        Map<String, double[]> m = super.signals(t, b);
        double[] a = act[t][b];
        double[] i = new double[hiddenSize];
        double[] f = new double[hiddenSize];
        double[] o = new double[hiddenSize];
        double[] g = new double[hiddenSize];
        for (int u = 0; u < hiddenSize; u++) {
            i[u] = oi >= 0 ? a[oi + u] : 1.0;
            f[u] = of >= 0 ? a[of + u] : (variant.coupled ? 1.0 - i[u] : 1.0);
            o[u] = oo >= 0 ? a[oo + u] : 1.0;
            g[u] = a[og + u];
        }
        m.put("i", i);
        m.put("f", f);
        m.put("g", g);
        m.put("o", o);
        m.put("c", c[t + 1][b].clone());
        return m;
    }
}
