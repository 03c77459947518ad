package org.rnnlab.textbook;

import static org.rnnlab.cell.LstmVariant.CIFG;
import static org.rnnlab.cell.LstmVariant.FGR;
import static org.rnnlab.cell.LstmVariant.NFG;
import static org.rnnlab.cell.LstmVariant.NIAF;
import static org.rnnlab.cell.LstmVariant.NIG;
import static org.rnnlab.cell.LstmVariant.NOAF;
import static org.rnnlab.cell.LstmVariant.NOG;
import static org.rnnlab.cell.LstmVariant.NP;
import static org.rnnlab.textbook.TextbookMath.addOuter;
import static org.rnnlab.textbook.TextbookMath.addTo;
import static org.rnnlab.textbook.TextbookMath.affine;
import static org.rnnlab.textbook.TextbookMath.column;
import static org.rnnlab.textbook.TextbookMath.copyInto;
import static org.rnnlab.textbook.TextbookMath.hadamard;
import static org.rnnlab.textbook.TextbookMath.minus;
import static org.rnnlab.textbook.TextbookMath.oneMinus;
import static org.rnnlab.textbook.TextbookMath.ones;
import static org.rnnlab.textbook.TextbookMath.sigmoid;
import static org.rnnlab.textbook.TextbookMath.sigmoidDerivative;
import static org.rnnlab.textbook.TextbookMath.sum;
import static org.rnnlab.textbook.TextbookMath.tanh;
import static org.rnnlab.textbook.TextbookMath.tanhDerivative;
import static org.rnnlab.textbook.TextbookMath.times;
import static org.rnnlab.textbook.TextbookMath.timesTransposed;
import static org.rnnlab.textbook.TextbookMath.zeros;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.LstmVariant;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The long short-term memory cell written as the textbook writes it: one equation per line, on column vectors, in
 * the order of colah's "Understanding LSTM Networks" (forget gate, input gate, candidate, cell update, output gate,
 * hidden state). It computes the same numbers as the fast {@link org.rnnlab.cell.LstmCell} (to rounding), more
 * slowly, for every variant of Greff et al., "LSTM: A Search Space Odyssey" (2017).
 *
 * <p>The LSTM of Hochreiter &amp; Schmidhuber (1997), with the forget gate and peepholes of Gers et al., keeps a
 * cell state c that runs from step to step through nothing but an elementwise multiply and an add, the constant
 * error carousel; sigmoid gates (valves between 0 and 1) decide what of it is kept, what is written and what is
 * shown:
 * <pre>
 *   f_t = σ(W_xf x_t + W_hf h_{t−1} + w_cf ⊙ c_{t−1} + b_f)     forget gate: how much of the old memory to keep
 *   i_t = σ(W_xi x_t + W_hi h_{t−1} + w_ci ⊙ c_{t−1} + b_i)     input gate: how much of the candidate to write
 *   g_t = tanh(W_xg x_t + W_hg h_{t−1} + b_g)                 candidate (colah's C̃_t): what could be written
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                           cell update
 *   o_t = σ(W_xo x_t + W_ho h_{t−1} + w_co ⊙ c_t + b_o)       output gate: how much of the memory to show
 *   h_t = o_t ⊙ tanh(c_t)                                     hidden state
 * </pre>
 * The peephole terms w_c· ⊙ c exist only in the variants with peepholes (not in NP, the usual LSTM). The variants
 * change exactly one line each: NIG sets i_t = 1, NFG f_t = 1, NOG o_t = 1, CIFG f_t = 1 − i_t; NIAF drops the
 * tanh of g_t, NOAF that of c_t (h_t = o_t ⊙ c_t); FGR adds to the argument of each gate the previous step's gates,
 * R_i· i_{t−1} + R_f· f_{t−1} + R_o· o_{t−1}.
 *
 * <p>On the way back, the cell state's gradient is carried through the same multiply: ∂L/∂c_{t−1} = ∂L/∂c_t ⊙ f_t
 * (plus the peephole terms). While the forget gate stays open it neither vanishes nor explodes.
 *
 * <p>Each named weight is a {@link Parameter} of its own holding the textbook matrix row-major, so the usual
 * optimisers, clipping and gradient checks work on it unchanged; {@link #weights()} lists the same names, in the
 * same order, as the fast cell, so the same seed builds the same model.
 */
public final class TextbookLstmCell extends RecurrentCell {
    /** Indices of the gates fed back by full gate recurrence (FGR). */
    private static final int I = 0;
    private static final int F = 1;
    private static final int O = 2;

    private final LstmVariant variant;
    private final List<Weight> all = new ArrayList<>();
    private final Weight W_xi, W_hi, b_i, w_ci;
    private final Weight W_xf, W_hf, b_f, w_cf;
    private final Weight W_xo, W_ho, b_o, w_co;
    private final Weight W_xg, W_hg, b_g;
    /** FGR only: R[from][to] = R_{from,to}, feeding gate {@code from} of step t − 1 into gate {@code to}. */
    private final Weight[][] R = new Weight[3][3];
    /** The gate weights in colah's order f, i, g, o (null where the variant has no such gate), for the backward loop. */
    private final Weight[] W_x;
    private final Weight[] W_h;
    private final Weight[] bias;

    /** One step's gates of one sequence (a gate the variant lacks holds its fixed value) and s_t = tanh(c_t). */
    private record Step(DMatrixRMaj i, DMatrixRMaj f, DMatrixRMaj o, DMatrixRMaj g, DMatrixRMaj s) {
    }

    /** c[t + 1][b] = c_t of sequence b; c[0] carried in. */
    private double[][][] c;
    /** at[t + 1][b] = the gates of step t; at[0] = those carried in (zero unless a stream carries them; FGR reads them). */
    private Step[][] at;
    /** ∂L/∂c carried from step t + 1 back to step t. */
    private double[][] dcNext;
    /** FGR only: ∂L/∂(i, f, o) carried from step t + 1 back to step t; zero in the other variants. */
    private DMatrixRMaj[][] dGatesNext;

    public TextbookLstmCell(int inputSize, int hiddenSize, LstmVariant variant) {
        super(inputSize, hiddenSize);
        this.variant = java.util.Objects.requireNonNull(variant, "variant");
        final boolean peepholes = variant.hasPeepholes();
        final boolean inputGate = variant != NIG;
        final boolean forgetGate = variant != NFG && variant != CIFG;
        final boolean outputGate = variant != NOG;
        W_xi = weight("W_xi", inputGate, hiddenSize, inputSize, Kind.INPUT);
        W_hi = weight("W_hi", inputGate, hiddenSize, hiddenSize, Kind.RECURRENT);
        b_i = weight("b_i", inputGate, hiddenSize, 1, Kind.BIAS);
        w_ci = weight("w_ci", inputGate && peepholes, hiddenSize, 1, Kind.PEEPHOLE);
        W_xf = weight("W_xf", forgetGate, hiddenSize, inputSize, Kind.INPUT);
        W_hf = weight("W_hf", forgetGate, hiddenSize, hiddenSize, Kind.RECURRENT);
        b_f = weight("b_f", forgetGate, hiddenSize, 1, Kind.BIAS);
        w_cf = weight("w_cf", forgetGate && peepholes, hiddenSize, 1, Kind.PEEPHOLE);
        W_xo = weight("W_xo", outputGate, hiddenSize, inputSize, Kind.INPUT);
        W_ho = weight("W_ho", outputGate, hiddenSize, hiddenSize, Kind.RECURRENT);
        b_o = weight("b_o", outputGate, hiddenSize, 1, Kind.BIAS);
        w_co = weight("w_co", outputGate && peepholes, hiddenSize, 1, Kind.PEEPHOLE);
        W_xg = weight("W_xg", true, hiddenSize, inputSize, Kind.INPUT);
        W_hg = weight("W_hg", true, hiddenSize, hiddenSize, Kind.RECURRENT);
        b_g = weight("b_g", true, hiddenSize, 1, Kind.BIAS);
        final String[] gate = {"i", "f", "o"};
        for (int from = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                R[from][to] = weight("R_" + gate[from] + gate[to], variant == FGR, hiddenSize, hiddenSize,
                        Kind.RECURRENT);
            }
        }
        W_x = new Weight[] {W_xf, W_xi, W_xg, W_xo};
        W_h = new Weight[] {W_hf, W_hi, W_hg, W_ho};
        bias = new Weight[] {b_f, b_i, b_g, b_o};
    }

    /** A new named weight, or null when the variant has none by that name. */
    private Weight weight(String name, boolean present, int rows, int cols, Kind kind) {
        if (!present) {
            return null;
        }
        Weight w = Weight.of(name, rows, cols, kind);
        all.add(w);
        return w;
    }

    public LstmVariant variant() {
        return variant;
    }

    @Override
    public String kind() {
        return (variant == NP ? "LSTM" : "LSTM-" + variant.name()) + " (textbook)";
    }

    @Override
    public List<Parameter> parameters() {
        return all.stream().map(Weight::parameter).toList();
    }

    @Override
    public List<WeightView> weights() {
        return all.stream().map(Weight::view).toList();
    }

    @Override
    protected void allocate(int steps, int sequences) {
        c = new double[steps + 1][sequences][hiddenSize];
        at = new Step[steps + 1][sequences];
        dcNext = new double[sequences][hiddenSize];
        dGatesNext = new DMatrixRMaj[sequences][];
        clearCarriedGates();
    }

    @Override
    public void forwardStep(int t, double[][] xs) {
        final int H = hiddenSize;
        for (int b = 0; b < batch; b++) {
            final DMatrixRMaj x = column(inputSize, xs[b]);                    // x_t
            final DMatrixRMaj hPrev = column(H, h[t][b]);                      // h_{t−1}
            final DMatrixRMaj cPrev = column(H, c[t][b]);                      // c_{t−1}
            final Step before = at[t][b];                                      // (i, f, o)_{t−1}, read by FGR only
            // forget gate: how much of the old memory c_{t−1} to keep
            DMatrixRMaj f = !forgetGate() ? ones(H)                            // NFG: f_t = 1  (CIFG: f_t = 1 − i_t, below)
                    : sigmoid(sum(affine(W_xf, x, W_hf, hPrev, b_f), peep(w_cf, cPrev), fgr(F, before))); // f_t = σ(W_xf x_t + W_hf h_{t−1} + w_cf ⊙ c_{t−1} + b_f)
            // input gate: how much of the candidate to write
            final DMatrixRMaj i = variant == NIG ? ones(H)                     // NIG: i_t = 1
                    : sigmoid(sum(affine(W_xi, x, W_hi, hPrev, b_i), peep(w_ci, cPrev), fgr(I, before))); // i_t = σ(W_xi x_t + W_hi h_{t−1} + w_ci ⊙ c_{t−1} + b_i)
            if (variant == CIFG) {
                f = oneMinus(i);                                               // CIFG: f_t = 1 − i_t
            }
            // candidate: what could be written
            final DMatrixRMaj a_g = affine(W_xg, x, W_hg, hPrev, b_g);         // a_g = W_xg x_t + W_hg h_{t−1} + b_g
            final DMatrixRMaj g = variant == NIAF ? a_g : tanh(a_g);           // g_t = tanh(a_g)   (NIAF: g_t = a_g)
            // cell update
            final DMatrixRMaj cNow = sum(hadamard(f, cPrev), hadamard(i, g));  // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
            // output gate: how much of the memory to show
            final DMatrixRMaj o = variant == NOG ? ones(H)                     // NOG: o_t = 1
                    : sigmoid(sum(affine(W_xo, x, W_ho, hPrev, b_o), peep(w_co, cNow), fgr(O, before))); // o_t = σ(W_xo x_t + W_ho h_{t−1} + w_co ⊙ c_t + b_o)
            // hidden state
            final DMatrixRMaj s = variant == NOAF ? cNow : tanh(cNow);         // s_t = tanh(c_t)   (NOAF: s_t = c_t)
            copyInto(hadamard(o, s), h[t + 1][b]);                             // h_t = o_t ⊙ s_t
            copyInto(cNow, c[t + 1][b]);
            at[t + 1][b] = new Step(i, f, o, g, s);
        }
    }

    @Override
    public void backwardStep(int t, double[][] xs, double[][] dhAbove, double[][] dxOut) {
        final int H = hiddenSize;
        for (int b = 0; b < batch; b++) {
            final DMatrixRMaj x = column(inputSize, xs[b]);
            final DMatrixRMaj hPrev = column(H, h[t][b]);
            final DMatrixRMaj cPrev = column(H, c[t][b]);
            final DMatrixRMaj cNow = column(H, c[t + 1][b]);
            final Step now = at[t + 1][b];
            final DMatrixRMaj[] dGates = dGatesNext[b];                        // FGR: ∂L/∂(i, f, o)_t from step t+1; else 0
            final DMatrixRMaj dh_t = column(H, totalGradient(t, b, dhAbove));  // ∂L/∂h_t = from above + from step t+1
            // h_t = o_t ⊙ s_t, s_t = tanh(c_t)
            final DMatrixRMaj do_t = sum(hadamard(dh_t, now.s()), dGates[O]);  // ∂L/∂o_t = ∂L/∂h_t ⊙ s_t
            final DMatrixRMaj ds_t = variant == NOAF ? ones(H) : tanhDerivative(now.s()); // ∂s_t/∂c_t = 1 − tanh²(c_t)   (NOAF: 1)
            DMatrixRMaj dc_t = sum(column(H, dcNext[b]), hadamard(dh_t, now.o(), ds_t)); // ∂L/∂c_t = (from c_{t+1}) + ∂L/∂h_t ⊙ o_t ⊙ ∂s_t/∂c_t
            final DMatrixRMaj dz_o = variant == NOG ? null
                    : hadamard(do_t, sigmoidDerivative(now.o()));              // ∂L/∂z_o = ∂L/∂o_t ⊙ o_t ⊙ (1 − o_t)
            dc_t = sum(dc_t, peep(w_co, dz_o));                                // o_t peeks at c_t: ∂L/∂c_t += w_co ⊙ ∂L/∂z_o
            // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
            final DMatrixRMaj df_t = sum(hadamard(dc_t, cPrev), dGates[F]);    // ∂L/∂f_t = ∂L/∂c_t ⊙ c_{t−1}
            DMatrixRMaj di_t = sum(hadamard(dc_t, now.g()), dGates[I]);        // ∂L/∂i_t = ∂L/∂c_t ⊙ g_t
            final DMatrixRMaj dg_t = hadamard(dc_t, now.i());                  // ∂L/∂g_t = ∂L/∂c_t ⊙ i_t
            if (variant == CIFG) {
                di_t = minus(di_t, df_t);                                      // CIFG: f_t = 1 − i_t, so ∂L/∂i_t −= ∂L/∂f_t
            }
            final DMatrixRMaj dz_f = !forgetGate() ? null
                    : hadamard(df_t, sigmoidDerivative(now.f()));              // ∂L/∂z_f = ∂L/∂f_t ⊙ f_t ⊙ (1 − f_t)
            final DMatrixRMaj dz_i = variant == NIG ? null
                    : hadamard(di_t, sigmoidDerivative(now.i()));              // ∂L/∂z_i = ∂L/∂i_t ⊙ i_t ⊙ (1 − i_t)
            final DMatrixRMaj dz_g = variant == NIAF ? dg_t
                    : hadamard(dg_t, tanhDerivative(now.g()));                 // ∂L/∂z_g = ∂L/∂g_t ⊙ (1 − g_t²)
            final DMatrixRMaj dc_prev = sum(hadamard(dc_t, now.f()),           // ∂L/∂c_{t−1} = ∂L/∂c_t ⊙ f_t  (the carousel)
                    peep(w_cf, dz_f), peep(w_ci, dz_i));                       //             + w_cf ⊙ ∂L/∂z_f + w_ci ⊙ ∂L/∂z_i
            // the weights: every gate k the same way, z_k = W_xk x_t + W_hk h_{t−1} + b_k + …
            final DMatrixRMaj[] dz = {dz_f, dz_i, dz_g, dz_o};
            final DMatrixRMaj dh_prev = zeros(H);
            final DMatrixRMaj dx_t = zeros(inputSize);
            for (int k = 0; k < dz.length; k++) {
                if (dz[k] != null) {
                    addOuter(W_x[k].grad(), dz[k], x);                         // ∂W_xk += ∂L/∂z_k x_tᵀ
                    addOuter(W_h[k].grad(), dz[k], hPrev);                     // ∂W_hk += ∂L/∂z_k h_{t−1}ᵀ
                    addTo(bias[k].grad(), dz[k]);                              // ∂b_k  += ∂L/∂z_k
                    addTo(dh_prev, timesTransposed(W_h[k], dz[k]));            // ∂L/∂h_{t−1} = Σ_k W_hkᵀ ∂L/∂z_k
                    addTo(dx_t, timesTransposed(W_x[k], dz[k]));               // ∂L/∂x_t     = Σ_k W_xkᵀ ∂L/∂z_k
                }
            }
            addPeepholeGradient(w_cf, dz_f, cPrev);                            // ∂w_cf += ∂L/∂z_f ⊙ c_{t−1}
            addPeepholeGradient(w_ci, dz_i, cPrev);                            // ∂w_ci += ∂L/∂z_i ⊙ c_{t−1}
            addPeepholeGradient(w_co, dz_o, cNow);                             // ∂w_co += ∂L/∂z_o ⊙ c_t
            if (variant == FGR) {
                backpropagateGateRecurrence(new DMatrixRMaj[] {dz_i, dz_f, dz_o}, at[t][b], dGates);
            }
            copyInto(dc_prev, dcNext[b]);
            copyInto(dh_prev, dhNext[b]);
            if (dxOut != null) {
                copyInto(dx_t, dxOut[b]);
            }
        }
    }

    /**
     * FGR: z_to += Σ_from R_{from,to} (from)_{t−1}, so ∂R_{from,to} += ∂L/∂z_to (from)_{t−1}ᵀ and
     * ∂L/∂(from)_{t−1} = Σ_to R_{from,to}ᵀ ∂L/∂z_to, which step t − 1 adds to its gates' gradients.
     */
    private void backpropagateGateRecurrence(DMatrixRMaj[] dz, Step before, DMatrixRMaj[] dGatesBefore) {
        final DMatrixRMaj[] gatesBefore = {before.i(), before.f(), before.o()};
        for (int from = 0; from < 3; from++) {
            dGatesBefore[from] = zeros(hiddenSize);
            for (int to = 0; to < 3; to++) {
                addOuter(R[from][to].grad(), dz[to], gatesBefore[from]);      // ∂R_{from,to} += ∂L/∂z_to (from)_{t−1}ᵀ
                addTo(dGatesBefore[from], timesTransposed(R[from][to], dz[to])); // ∂L/∂(from)_{t−1} += R_{from,to}ᵀ ∂L/∂z_to
            }
        }
    }

    /** True when the variant has a forget gate of its own (not NFG, whose f is 1, nor CIFG, whose f is 1 − i). */
    private boolean forgetGate() {
        return W_xf != null;
    }

    /** w_c ⊙ c: a peephole's look at the cell state; 0 when the variant has no such peephole. */
    private DMatrixRMaj peep(Weight w_c, DMatrixRMaj v) {
        return w_c == null ? zeros(hiddenSize) : hadamard(w_c.value(), v);
    }

    /** ∂w_c += ∂L/∂z ⊙ c, when the variant has that peephole. */
    private static void addPeepholeGradient(Weight w_c, DMatrixRMaj dz, DMatrixRMaj cell) {
        if (w_c != null) {
            addTo(w_c.grad(), hadamard(dz, cell));
        }
    }

    /** FGR: R_{i,to} i_{t−1} + R_{f,to} f_{t−1} + R_{o,to} o_{t−1}, the previous gates' say in gate {@code to}; else 0. */
    private DMatrixRMaj fgr(int to, Step before) {
        if (variant != FGR) {
            return zeros(hiddenSize);
        }
        return sum(times(R[I][to], before.i()), times(R[F][to], before.f()), times(R[O][to], before.o()));
    }

    @Override
    public void beginBackward() {
        super.beginBackward();
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(dcNext[b], 0.0);
            dGatesNext[b] = new DMatrixRMaj[] {zeros(hiddenSize), zeros(hiddenSize), zeros(hiddenSize)};
        }
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
    public void resetState() {
        super.resetState();
        if (c != null) {
            clearCarriedGates();
        }
    }

    @Override
    public void carryState(int t) {
        super.carryState(t);
        System.arraycopy(at[t + 1], 0, at[0], 0, at[0].length);
    }

    /** h and c, and the gates of the step before (FGR reads them); the gates' matrices are never changed in place. */
    @Override
    public Object saveCarriedState() {
        return new Object[] {super.saveCarriedState(), at[0].clone()};
    }

    @Override
    public void restoreCarriedState(Object state) {
        Object[] saved = (Object[]) state;
        super.restoreCarriedState(saved[0]);
        System.arraycopy((Step[]) saved[1], 0, at[0], 0, at[0].length);
    }

    /** The gates carried into step 0: zero, as in the fast cell (only FGR reads them). */
    private void clearCarriedGates() {
        final DMatrixRMaj zero = zeros(hiddenSize);
        java.util.Arrays.fill(at[0], new Step(zero, zero, zero, zero, zero));
    }

    /** The cell states c_t of all sequences at step t (t = −1: carried in). Live buffer. */
    public double[][] cellState(int t) {
        return c[t + 1];
    }

    @Override
    public Map<String, double[]> signals(int t, int b) {
        final Map<String, double[]> m = super.signals(t, b);
        final Step s = at[t + 1][b];
        m.put("i", s.i().data.clone());
        m.put("f", s.f().data.clone());
        m.put("g", s.g().data.clone());
        m.put("o", s.o().data.clone());
        m.put("c", c[t + 1][b].clone());
        return m;
    }
}
