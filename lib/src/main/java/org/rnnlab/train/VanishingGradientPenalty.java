package org.rnnlab.train;

import java.util.List;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.cell.RnnCell;
import org.rnnlab.data.Batch;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.SequenceModel;

/**
 * Pascanu, Mikolov &amp; Bengio's (2013) vanishing-gradient regulariser λ·Ω, averaged over the steps and
 * sequences of a window, for models whose layers are vanilla RNNs. See {@link RnnCell#addVanishingPenalty}.
 *
 * <p>Use: after the loss's own backward pass over [from, end) has run (so each cell holds δ_t = ∂E/∂h_t),
 * {@link #addGradient} adds λ·∂Ω/∂θ to the gradients (with δ held fixed, as the paper defines it) and returns λ·Ω.
 */
public final class VanishingGradientPenalty {
    private final double lambda;
    private double[][][][] inject;

    public VanishingGradientPenalty(double lambda) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("the penalty weight must be zero or positive, got " + lambda);
        }
        this.lambda = lambda;
    }

    /** Checks that every layer of the model is a vanilla RNN. */
    public static void requireVanillaLayers(SequenceModel model) {
        for (RecurrentCell c : model.layers()) {
            if (!(c instanceof RnnCell)) {
                throw new IllegalArgumentException("the vanishing-gradient regulariser is defined for vanilla RNN"
                        + " layers; this model has a " + c.kind() + " layer");
            }
        }
    }

    /**
     * Adds λ·∂Ω/∂θ for the window [from, end) to the model's gradients and returns λ·Ω. The part of ∂Ω that goes
     * through the hidden states is carried back by a second backward pass.
     */
    public double addGradient(SequenceModel model, Batch b, int from, int end) {
        requireVanillaLayers(model);
        List<RecurrentCell> layers = model.layers();
        if (inject == null || inject.length != layers.size() || inject[0].length < end
                || inject[0][0].length != b.size()) {
            inject = new double[layers.size()][][][];
            for (int l = 0; l < layers.size(); l++) {
                inject[l] = new double[end][b.size()][layers.get(l).hiddenSize()];
            }
        }
        int terms = (end - from) * b.size();
        double weight = lambda / terms;
        double omega = 0;
        for (int l = 0; l < layers.size(); l++) {
            RnnCell cell = (RnnCell) layers.get(l);
            for (int t = from; t < end; t++) {
                omega += cell.addVanishingPenalty(t, weight, inject[l][t]);
            }
        }
        Bptt.of(model).backwardInjected(b, from, end, inject);
        return lambda * omega / terms;
    }
}
