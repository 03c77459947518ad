package org.rnnlab.textbook;

import static org.rnnlab.textbook.TextbookMath.addOuter;
import static org.rnnlab.textbook.TextbookMath.addTo;
import static org.rnnlab.textbook.TextbookMath.affine;
import static org.rnnlab.textbook.TextbookMath.column;
import static org.rnnlab.textbook.TextbookMath.copyInto;
import static org.rnnlab.textbook.TextbookMath.hadamard;
import static org.rnnlab.textbook.TextbookMath.minus;
import static org.rnnlab.textbook.TextbookMath.oneMinus;
import static org.rnnlab.textbook.TextbookMath.sigmoid;
import static org.rnnlab.textbook.TextbookMath.sigmoidDerivative;
import static org.rnnlab.textbook.TextbookMath.sum;
import static org.rnnlab.textbook.TextbookMath.tanh;
import static org.rnnlab.textbook.TextbookMath.tanhDerivative;
import static org.rnnlab.textbook.TextbookMath.times;
import static org.rnnlab.textbook.TextbookMath.timesTransposed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.GruForm;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The gated recurrent unit of Cho et al. (2014), "Learning Phrase Representations using RNN Encoder–Decoder",
 * written as the textbook writes it: one equation per line, on column vectors. It computes the same numbers as the
 * fast {@link org.rnnlab.cell.GruCell} of the same {@link GruForm} (to rounding), more slowly.
 *
 * <p>The GRU has no separate memory: one state h carries everything. An update gate z decides how much of the old
 * state to replace by a candidate n, and a reset gate r how much of the old state the candidate may look at. In
 * the default form, {@link GruForm#COLAH} (colah's "Understanding LSTM Networks"):
 * <pre>
 *   z_t = σ(W_xz x_t + W_hz h_{t−1} + b_z)                  update gate: how much to replace
 *   r_t = σ(W_xr x_t + W_hr h_{t−1} + b_r)                  reset gate: how much of h_{t−1} the candidate sees
 *   n_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t−1}) + b_n)       candidate (colah's h̃_t)
 *   h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ n_t                   update: whatever is forgotten is replaced
 * </pre>
 * {@link GruForm#CHO} swaps the roles in the last line, h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t; {@link GruForm#PYTORCH}
 * does too, and resets after the recurrent product, which has a bias of its own:
 * n_t = tanh(W_xn x_t + b_n + r_t ⊙ (W_hn h_{t−1} + b_hn)).
 *
 * <p>Each named weight is a {@link Parameter} of its own holding the textbook matrix row-major, so the usual
 * optimisers, clipping and gradient checks work on it unchanged; {@link #weights()} lists the same names, in the
 * same order, as the fast cell, so the same seed builds the same model.
 */
public final class TextbookGruCell extends RecurrentCell {
    private final GruForm form;
    private final List<Weight> all = new ArrayList<>();
    private final Weight W_xz, W_hz, b_z;
    private final Weight W_xr, W_hr, b_r;
    private final Weight W_xn, W_hn, b_n;
    /** PYTORCH only: the bias of the recurrent product inside the reset. */
    private final Weight b_hn;

    /**
     * One step of one sequence: the gates, the candidate, and for PYTORCH the recurrent product the reset gate
     * multiplied, W_hn h_{t−1} + b_hn (the other forms reset h_{t−1} itself, which is at hand; null there).
     */
    private record Step(DMatrixRMaj z, DMatrixRMaj r, DMatrixRMaj n, DMatrixRMaj product) {
    }

    /** at[t][b] = step t of sequence b. */
    private Step[][] at;

    /** A GRU of the default form, {@link GruForm#COLAH}. */
    public TextbookGruCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, GruForm.COLAH);
    }

    public TextbookGruCell(int inputSize, int hiddenSize, GruForm form) {
        super(inputSize, hiddenSize);
        this.form = java.util.Objects.requireNonNull(form, "form");
        W_xz = weight("W_xz", hiddenSize, inputSize, Kind.INPUT);
        W_hz = weight("W_hz", hiddenSize, hiddenSize, Kind.RECURRENT);
        b_z = weight("b_z", hiddenSize, 1, Kind.BIAS);
        W_xr = weight("W_xr", hiddenSize, inputSize, Kind.INPUT);
        W_hr = weight("W_hr", hiddenSize, hiddenSize, Kind.RECURRENT);
        b_r = weight("b_r", hiddenSize, 1, Kind.BIAS);
        W_xn = weight("W_xn", hiddenSize, inputSize, Kind.INPUT);
        W_hn = weight("W_hn", hiddenSize, hiddenSize, Kind.RECURRENT);
        b_n = weight("b_n", hiddenSize, 1, Kind.BIAS);
        b_hn = form == GruForm.PYTORCH ? weight("b_hn", hiddenSize, 1, Kind.BIAS) : null;
    }

    private Weight weight(String name, int rows, int cols, Kind kind) {
        Weight w = Weight.of(name, rows, cols, kind);
        all.add(w);
        return w;
    }

    public GruForm form() {
        return form;
    }

    @Override
    public String kind() {
        return (form == GruForm.COLAH ? "GRU" : "GRU-" + form.name()) + " (textbook)";
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
        at = new Step[steps][sequences];
    }

    @Override
    public void forwardStep(int t, double[][] xs) {
        for (int b = 0; b < batch; b++) {
            final DMatrixRMaj x = column(inputSize, xs[b]);                    // x_t
            final DMatrixRMaj hPrev = column(hiddenSize, h[t][b]);             // h_{t−1}
            final DMatrixRMaj z = sigmoid(affine(W_xz, x, W_hz, hPrev, b_z));  // z_t = σ(W_xz x_t + W_hz h_{t−1} + b_z)
            final DMatrixRMaj r = sigmoid(affine(W_xr, x, W_hr, hPrev, b_r));  // r_t = σ(W_xr x_t + W_hr h_{t−1} + b_r)
            final DMatrixRMaj product;
            final DMatrixRMaj n;
            if (form == GruForm.PYTORCH) {
                product = sum(times(W_hn, hPrev), b_hn.value());               //        W_hn h_{t−1} + b_hn
                n = tanh(sum(times(W_xn, x), b_n.value(), hadamard(r, product))); // n_t = tanh(W_xn x_t + b_n + r_t ⊙ (W_hn h_{t−1} + b_hn))
            } else {
                product = null;
                n = tanh(affine(W_xn, x, W_hn, hadamard(r, hPrev), b_n));      // n_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t−1}) + b_n)
            }
            final DMatrixRMaj hNow = form == GruForm.COLAH
                    ? sum(hadamard(oneMinus(z), hPrev), hadamard(z, n))        // h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ n_t
                    : sum(hadamard(z, hPrev), hadamard(oneMinus(z), n));       // h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t
            copyInto(hNow, h[t + 1][b]);
            at[t][b] = new Step(z, r, n, product);
        }
    }

    @Override
    public void backwardStep(int t, double[][] xs, double[][] dhAbove, double[][] dxOut) {
        for (int b = 0; b < batch; b++) {
            final DMatrixRMaj x = column(inputSize, xs[b]);
            final DMatrixRMaj hPrev = column(hiddenSize, h[t][b]);
            final Step s = at[t][b];
            final DMatrixRMaj z = s.z();
            final DMatrixRMaj r = s.r();
            final DMatrixRMaj n = s.n();
            final DMatrixRMaj dh_t = column(hiddenSize, totalGradient(t, b, dhAbove)); // ∂L/∂h_t = from above + from t+1
            final DMatrixRMaj dn_t;
            final DMatrixRMaj dz_t;
            DMatrixRMaj dh_prev;
            if (form == GruForm.COLAH) {                                       // h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ n_t
                dn_t = hadamard(dh_t, z);                                      // ∂L/∂n_t = ∂L/∂h_t ⊙ z_t
                dz_t = hadamard(dh_t, minus(n, hPrev));                        // ∂L/∂z_t = ∂L/∂h_t ⊙ (n_t − h_{t−1})
                dh_prev = hadamard(dh_t, oneMinus(z));                         // ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ (1 − z_t) + …
            } else {                                                           // h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t
                dn_t = hadamard(dh_t, oneMinus(z));                            // ∂L/∂n_t = ∂L/∂h_t ⊙ (1 − z_t)
                dz_t = hadamard(dh_t, minus(hPrev, n));                        // ∂L/∂z_t = ∂L/∂h_t ⊙ (h_{t−1} − n_t)
                dh_prev = hadamard(dh_t, z);                                   // ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ z_t + …
            }
            final DMatrixRMaj dz_n = hadamard(dn_t, tanhDerivative(n));        // ∂L/∂(n's pre-activation) = ∂L/∂n_t ⊙ (1 − n_t²)
            addOuter(W_xn.grad(), dz_n, x);                                    // ∂W_xn += ∂L/∂z_n x_tᵀ
            addTo(b_n.grad(), dz_n);                                           // ∂b_n  += ∂L/∂z_n
            final DMatrixRMaj dr_t;
            if (form == GruForm.PYTORCH) {
                final DMatrixRMaj dProduct = hadamard(dz_n, r);                // ∂L/∂(W_hn h_{t−1} + b_hn) = ∂L/∂z_n ⊙ r_t
                dr_t = hadamard(dz_n, s.product());                            // ∂L/∂r_t = ∂L/∂z_n ⊙ (W_hn h_{t−1} + b_hn)
                addOuter(W_hn.grad(), dProduct, hPrev);                        // ∂W_hn += ∂L/∂(…) h_{t−1}ᵀ
                addTo(b_hn.grad(), dProduct);                                  // ∂b_hn += ∂L/∂(…)
                dh_prev = sum(dh_prev, timesTransposed(W_hn, dProduct));       //   + W_hnᵀ ∂L/∂(…)
            } else {
                addOuter(W_hn.grad(), dz_n, hadamard(r, hPrev));               // ∂W_hn += ∂L/∂z_n (r_t ⊙ h_{t−1})ᵀ
                final DMatrixRMaj dReset = timesTransposed(W_hn, dz_n);        // ∂L/∂(r_t ⊙ h_{t−1}) = W_hnᵀ ∂L/∂z_n
                dr_t = hadamard(dReset, hPrev);                                // ∂L/∂r_t = ∂L/∂(r_t ⊙ h_{t−1}) ⊙ h_{t−1}
                dh_prev = sum(dh_prev, hadamard(dReset, r));                   //   + ∂L/∂(r_t ⊙ h_{t−1}) ⊙ r_t
            }
            final DMatrixRMaj dz_z = hadamard(dz_t, sigmoidDerivative(z));     // ∂L/∂(z's pre-activation) = ∂L/∂z_t ⊙ z_t ⊙ (1 − z_t)
            final DMatrixRMaj dz_r = hadamard(dr_t, sigmoidDerivative(r));     // ∂L/∂(r's pre-activation) = ∂L/∂r_t ⊙ r_t ⊙ (1 − r_t)
            addOuter(W_xz.grad(), dz_z, x);                                    // ∂W_xz += ∂L/∂z_z x_tᵀ
            addOuter(W_hz.grad(), dz_z, hPrev);                                // ∂W_hz += ∂L/∂z_z h_{t−1}ᵀ
            addTo(b_z.grad(), dz_z);                                           // ∂b_z  += ∂L/∂z_z
            addOuter(W_xr.grad(), dz_r, x);                                    // ∂W_xr += ∂L/∂z_r x_tᵀ
            addOuter(W_hr.grad(), dz_r, hPrev);                                // ∂W_hr += ∂L/∂z_r h_{t−1}ᵀ
            addTo(b_r.grad(), dz_r);                                           // ∂b_r  += ∂L/∂z_r
            dh_prev = sum(dh_prev, timesTransposed(W_hz, dz_z), timesTransposed(W_hr, dz_r)); // + W_hzᵀ ∂L/∂z_z + W_hrᵀ ∂L/∂z_r
            copyInto(dh_prev, dhNext[b]);
            if (dxOut != null) {
                copyInto(sum(timesTransposed(W_xz, dz_z), timesTransposed(W_xr, dz_r), timesTransposed(W_xn, dz_n)),
                        dxOut[b]);                                             // ∂L/∂x_t = W_xzᵀ ∂L/∂z_z + W_xrᵀ ∂L/∂z_r + W_xnᵀ ∂L/∂z_n
            }
        }
    }

    @Override
    public Map<String, double[]> signals(int t, int b) {
        final Map<String, double[]> m = super.signals(t, b);
        final Step s = at[t][b];
        m.put("z", s.z().data.clone());
        m.put("r", s.r().data.clone());
        m.put("n", s.n().data.clone());
        return m;
    }
}
