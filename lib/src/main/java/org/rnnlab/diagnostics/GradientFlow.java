package org.rnnlab.diagnostics;

import org.rnnlab.data.Batch;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.hotloop.RowMath;

/**
 * How far the gradient travels back in time: ‖∂L/∂h_t‖ at every step t, the curve that shows vanishing
 * (it falls exponentially towards the start) or exploding (it grows) gradients.
 *
 * <p>In a vanilla RNN each step back multiplies by diag(act′)·W_hhᵀ, so with a many-to-one loss the norm at lag k
 * behaves roughly like ρ^k, ρ the spectral radius of W_hh (tanh′ ≤ 1 only makes it smaller). The LSTM's cell
 * state passes gradient back through the forget gate instead, which can stay near 1.
 */
public final class GradientFlow {
    private GradientFlow() {
    }

    /**
     * ‖∂L/∂h_t‖ of the top layer for every step of the batch (full BPTT from a zero state), averaged over its
     * sequences. Leaves the model's weights unchanged (its gradients are overwritten).
     */
    public static double[] perStep(SequenceModel model, Batch batch) {
        return perStep(model, batch, model.layers().size());
    }

    /** As {@link #perStep(SequenceModel, Batch)}, for layer {@code layer} (counted from 1, as the model counts). */
    public static double[] perStep(SequenceModel model, Batch batch, int layer) {
        model.layer(layer);
        int steps = batch.length();
        model.backpropagate(batch);
        double[] norms = new double[steps];
        for (int t = 0; t < steps; t++) {
            double sum = 0;
            for (double[] g : model.layer(layer).gradientAt(t)) {
                sum += Math.sqrt(RowMath.dot(g, g));
            }
            norms[t] = sum / batch.size();
        }
        model.zeroGrad();
        return norms;
    }

    /**
     * The curve indexed by the lag T − 1 − t (index 0 = the last step), for tables and plots of your own.
     * {@code Plots.gradientPerLag} takes the forward-order curve of {@link #perStep} and reverses it itself: give
     * it {@code perStep}, not this.
     */
    public static double[] perLag(SequenceModel model, Batch batch) {
        double[] perStep = perStep(model, batch);
        double[] lag = new double[perStep.length];
        for (int t = 0; t < perStep.length; t++) {
            lag[perStep.length - 1 - t] = perStep[t];
        }
        return lag;
    }
}
