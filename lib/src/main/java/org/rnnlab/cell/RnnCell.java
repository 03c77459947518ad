package org.rnnlab.cell;

import java.util.List;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The vanilla ("Elman") recurrent cell: the hidden state is the network's short-term memory.
 *
 * <pre>
 *   h_t = act(W_xh · x_t + W_hh · h_{t−1} + b_h)        act = tanh or ReLU
 * </pre>
 *
 * On the way back, ∂L/∂h_{t−1} = W_hhᵀ · (act′ ⊙ ∂L/∂h_t): W_hh is multiplied in once per step, which is why
 * gradients vanish (small W_hh) or explode (large W_hh) over many steps.
 *
 * <p>Storage: one fused block {@code W} of (X + H) rows × H columns, input-major (rows 0..X−1 hold W_xhᵀ, rows
 * X..X+H−1 hold W_hhᵀ), and a bias {@code b}. {@link #weight(String)} shows "W_xh", "W_hh" and "b_h" in textbook
 * orientation.
 */
public final class RnnCell extends RecurrentCell {
    private final Activation activation;
    private final Parameter w;
    private final Parameter bias;
    private final List<WeightView> views;
    /** ∂L/∂a_t for one sequence, reused. */
    private double[] da;

    public RnnCell(int inputSize, int hiddenSize, Activation activation) {
        super(inputSize, hiddenSize);
        this.activation = activation;
        this.w = new Parameter("W", inputSize + hiddenSize, hiddenSize, true);
        this.bias = new Parameter("b", 1, hiddenSize, false);
        this.views = List.of(
                new WeightView("W_xh", w, 0, 0, hiddenSize, inputSize, Kind.INPUT),
                new WeightView("W_hh", w, inputSize, 0, hiddenSize, hiddenSize, Kind.RECURRENT),
                new WeightView("b_h", bias, 0, 0, hiddenSize, 1, Kind.BIAS));
        this.da = new double[hiddenSize];
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String kind() {
        return "RNN(" + activation.name().toLowerCase() + ")";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w, bias);
    }

    @Override
    public List<WeightView> weights() {
        return views;
    }

    @Override
    protected void allocate(int steps, int sequences) {
        da = new double[hiddenSize];
    }

    @Override
    public void forwardStep(int t, double[][] x) {
        double[][] wv = w.value();
        double[] b0 = bias.value()[0];
        for (int b = 0; b < batch; b++) {
            double[] a = h[t + 1][b];
            System.arraycopy(b0, 0, a, 0, hiddenSize);          // a = b_h
            multiplyInto(x[b], wv, 0, a);                       //   + W_xh · x_t
            multiplyInto(h[t][b], wv, inputSize, a);            //   + W_hh · h_{t−1}
            for (int u = 0; u < hiddenSize; u++) {
                a[u] = activation.apply(a[u]);                  // h_t = act(a)
            }
        }
    }

    @Override
    public void backwardStep(int t, double[][] x, double[][] dhAbove, double[][] dxOut) {
        double[][] wv = w.value();
        double[][] wg = w.grad();
        double[] bg = bias.grad()[0];
        for (int b = 0; b < batch; b++) {
            double[] dh = totalGradient(t, b, dhAbove);
            double[] ht = h[t + 1][b];
            for (int u = 0; u < hiddenSize; u++) {
                da[u] = dh[u] * activation.derivativeFromOutput(ht[u]);   // ∂L/∂a = act′(a) ⊙ ∂L/∂h_t
            }
            RowMath.add(da, bg);                                         // ∂b_h  += ∂L/∂a
            accumulateOuter(x[b], da, wg, 0);                            // ∂W_xh += ∂L/∂a ⊗ x_t
            accumulateOuter(h[t][b], da, wg, inputSize);                 // ∂W_hh += ∂L/∂a ⊗ h_{t−1}
            multiplyTransposed(da, wv, inputSize, dhNext[b]);            // ∂L/∂h_{t−1} = W_hhᵀ · ∂L/∂a
            if (dxOut != null) {
                multiplyTransposed(da, wv, 0, dxOut[b]);                 // ∂L/∂x_t = W_xhᵀ · ∂L/∂a
            }
        }
    }

    /**
     * Pascanu, Mikolov &amp; Bengio's (2013) regulariser for the transition into step t, for every sequence:
     * <pre>
     *   Ω_t = ( ‖δ_t · ∂h_t/∂h_{t−1}‖ / ‖δ_t‖ − 1 )²,   δ_t = ∂E/∂h_t,   ∂h_t/∂h_{t−1} = diag(act′) · W_hh
     * </pre>
     * It is smallest when the gradient keeps its size as it is carried one step back, so it pushes against
     * vanishing. As in the paper, δ_t is held fixed: it is read from the last backward pass of the loss E
     * ({@link #gradientAt(int)}), which must have run.
     *
     * <p>Adds {@code weight · ∂Ω_t/∂W_hh} (the part through W_hh directly) to the gradient and writes
     * {@code weight · ∂Ω_t/∂h_t} (the part through h_t, zero for ReLU) into {@code dhInject[b]}, for a second
     * backward pass to carry into the other parameters.
     *
     * @return Σ_b Ω_t for this step (unweighted)
     */
    public double addVanishingPenalty(int t, double weight, double[][] dhInject) {
        double[][] wv = w.value();
        double[][] wg = w.grad();
        double[] u = new double[hiddenSize];
        double[] v = new double[hiddenSize];
        double[] wgv = new double[hiddenSize];
        double total = 0;
        for (int b = 0; b < batch; b++) {
            double[] delta = dhSeen[t][b];
            double[] ht = h[t + 1][b];
            double deltaNorm = Math.sqrt(RowMath.dot(delta, delta));
            for (int i = 0; i < hiddenSize; i++) {
                u[i] = delta[i] * activation.derivativeFromOutput(ht[i]);        // u = δ ⊙ act′
            }
            for (int j = 0; j < hiddenSize; j++) {
                v[j] = RowMath.dot(u, wv[inputSize + j]);                         // v = W_hhᵀ u
            }
            double vNorm = Math.sqrt(RowMath.dot(v, v));
            java.util.Arrays.fill(dhInject[b], 0.0);
            if (deltaNorm < 1e-300 || vNorm < 1e-300) {
                continue;                                                         // no gradient here: no term
            }
            double ratio = vNorm / deltaNorm - 1.0;
            total += ratio * ratio;
            double scale = weight * 2.0 * ratio / (vNorm * deltaNorm);            // ∂Ω/∂v = scale · v
            for (int j = 0; j < hiddenSize; j++) {
                RowMath.axpy(scale * v[j], u, wg[inputSize + j]);                 // ∂W_hh[i][j] += u_i ∂Ω/∂v_j
            }
            if (activation == Activation.TANH) {
                java.util.Arrays.fill(wgv, 0.0);
                for (int j = 0; j < hiddenSize; j++) {
                    RowMath.axpy(scale * v[j], wv[inputSize + j], wgv);           // W_hh · ∂Ω/∂v
                }
                for (int i = 0; i < hiddenSize; i++) {
                    dhInject[b][i] = -2.0 * ht[i] * delta[i] * wgv[i];            // ∂u_i/∂h_i = −2 h_i δ_i
                }
            }
        }
        return total;
    }
}
