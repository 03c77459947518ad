package org.rnnlab.textbook;

import static org.rnnlab.textbook.TextbookMath.addOuter;
import static org.rnnlab.textbook.TextbookMath.addTo;
import static org.rnnlab.textbook.TextbookMath.affine;
import static org.rnnlab.textbook.TextbookMath.column;
import static org.rnnlab.textbook.TextbookMath.copyInto;
import static org.rnnlab.textbook.TextbookMath.hadamard;
import static org.rnnlab.textbook.TextbookMath.timesTransposed;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.Activation;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The vanilla ("Elman") recurrent cell written as the textbook writes it, one equation per line, on column vectors.
 * It computes the same numbers as the fast {@link org.rnnlab.cell.RnnCell} (to rounding), more slowly.
 * <pre>
 *   h_t = act(W_xh x_t + W_hh h_{t−1} + b_h)          act = tanh or ReLU
 * </pre>
 * The hidden state is the network's whole memory. On the way back the gradient is multiplied by W_hhᵀ once per
 * step, ∂L/∂h_{t−1} = W_hhᵀ (act′ ⊙ ∂L/∂h_t), which is why it vanishes or explodes over long spans.
 *
 * <p>Each named weight is a {@link Parameter} of its own holding the textbook matrix row-major, so the usual
 * optimisers, clipping and gradient checks work on it unchanged.
 */
public final class TextbookRnnCell extends RecurrentCell {
    private final Activation activation;
    private final Weight W_xh;
    private final Weight W_hh;
    private final Weight b_h;

    public TextbookRnnCell(int inputSize, int hiddenSize, Activation activation) {
        super(inputSize, hiddenSize);
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        W_xh = Weight.of("W_xh", hiddenSize, inputSize, Kind.INPUT);
        W_hh = Weight.of("W_hh", hiddenSize, hiddenSize, Kind.RECURRENT);
        b_h = Weight.of("b_h", hiddenSize, 1, Kind.BIAS);
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String kind() {
        return "RNN(" + activation.name().toLowerCase() + ", textbook)";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(W_xh.parameter(), W_hh.parameter(), b_h.parameter());
    }

    @Override
    public List<WeightView> weights() {
        return List.of(W_xh.view(), W_hh.view(), b_h.view());
    }

    @Override
    protected void allocate(int steps, int sequences) {
    }

    @Override
    public void forwardStep(int t, double[][] xs) {
        for (int b = 0; b < batch; b++) {
            final DMatrixRMaj x = column(inputSize, xs[b]);                    // x_t
            final DMatrixRMaj hPrev = column(hiddenSize, h[t][b]);             // h_{t−1}
            final DMatrixRMaj a = affine(W_xh, x, W_hh, hPrev, b_h);           // a_t = W_xh x_t + W_hh h_{t−1} + b_h
            copyInto(act(a), h[t + 1][b]);                                     // h_t = act(a_t)
        }
    }

    @Override
    public void backwardStep(int t, double[][] xs, double[][] dhAbove, double[][] dxOut) {
        for (int b = 0; b < batch; b++) {
            final DMatrixRMaj x = column(inputSize, xs[b]);
            final DMatrixRMaj hPrev = column(hiddenSize, h[t][b]);
            final DMatrixRMaj hNow = column(hiddenSize, h[t + 1][b]);
            final DMatrixRMaj dh = column(hiddenSize, totalGradient(t, b, dhAbove)); // ∂L/∂h_t: from above + from t+1
            final DMatrixRMaj da = hadamard(dh, actDerivative(hNow));          // ∂L/∂a_t = ∂L/∂h_t ⊙ act′(a_t)
            addOuter(W_xh.grad(), da, x);                                      // ∂W_xh += ∂L/∂a_t x_tᵀ
            addOuter(W_hh.grad(), da, hPrev);                                  // ∂W_hh += ∂L/∂a_t h_{t−1}ᵀ
            addTo(b_h.grad(), da);                                             // ∂b_h  += ∂L/∂a_t
            copyInto(timesTransposed(W_hh, da), dhNext[b]);                    // ∂L/∂h_{t−1} = W_hhᵀ ∂L/∂a_t
            if (dxOut != null) {
                copyInto(timesTransposed(W_xh, da), dxOut[b]);                 // ∂L/∂x_t = W_xhᵀ ∂L/∂a_t
            }
        }
    }

    /** act(a), elementwise. */
    private DMatrixRMaj act(DMatrixRMaj a) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, 1);
        for (int k = 0; k < a.numRows; k++) {
            out.data[k] = activation.apply(a.data[k]);
        }
        return out;
    }

    /** act′(a), written through the output h = act(a): 1 − h² for tanh, [h &gt; 0] for ReLU. */
    private DMatrixRMaj actDerivative(DMatrixRMaj hOut) {
        DMatrixRMaj out = new DMatrixRMaj(hOut.numRows, 1);
        for (int k = 0; k < hOut.numRows; k++) {
            out.data[k] = activation.derivativeFromOutput(hOut.data[k]);
        }
        return out;
    }
}
