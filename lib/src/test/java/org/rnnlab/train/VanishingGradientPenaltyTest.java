package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.cell.Activation;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.cell.RnnCell;
import org.rnnlab.data.Batch;
import org.rnnlab.diagnostics.GradientCheck;
import org.rnnlab.init.Init;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.ModelBuilder;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;

/**
 * Pascanu et al.'s regulariser Ω: its gradient is checked against finite differences of Ω computed here from
 * scratch, with δ_t = ∂E/∂h_t held fixed as the paper defines it.
 */
class VanishingGradientPenaltyTest {
    private static final double LAMBDA = 0.7;

    /** Ω from its definition: mean over steps and sequences of (‖δ_t diag(act′) W_hh‖ / ‖δ_t‖ − 1)². */
    private static double omega(SequenceModel model, double[][][][] deltas, int from, int end) {
        double total = 0;
        int sequences = deltas[0][0].length;
        for (int l = 0; l < model.layers().size(); l++) {
            RnnCell cell = (RnnCell) model.layers().get(l);
            DMatrixRMaj w = cell.weight("W_hh").get();
            int n = cell.hiddenSize();
            for (int t = from; t < end; t++) {
                for (int b = 0; b < sequences; b++) {
                    double[] delta = deltas[l][t - from][b];
                    double[] h = cell.hidden(t)[b];
                    double vv = 0;
                    double dd = 0;
                    for (int j = 0; j < n; j++) {
                        double v = 0;
                        for (int i = 0; i < n; i++) {
                            v += delta[i] * cell.activation().derivativeFromOutput(h[i]) * w.get(i, j);
                        }
                        vv += v * v;
                        dd += delta[j] * delta[j];
                    }
                    double ratio = Math.sqrt(vv) / Math.sqrt(dd) - 1;
                    total += ratio * ratio;
                }
            }
        }
        return LAMBDA * total / ((end - from) * sequences);
    }

    private static void checkPenaltyGradient(SequenceModel model, Batch batch, int from, int end) {
        int layers = model.layers().size();
        Bptt.of(model).prepare(batch);
        Bptt.of(model).resetState();
        Bptt.of(model).forward(batch, 0, batch.length());
        model.zeroGrad();
        Bptt.of(model).lossAndReadoutGradient(batch, from, from, end);
        Bptt.of(model).backward(batch, from, end);
        double[][][][] deltas = new double[layers][end - from][batch.size()][];
        for (int l = 0; l < layers; l++) {
            for (int t = from; t < end; t++) {
                for (int b = 0; b < batch.size(); b++) {
                    deltas[l][t - from][b] = model.layers().get(l).gradientAt(t)[b].clone();
                }
            }
        }
        VanishingGradientPenalty penalty = new VanishingGradientPenalty(LAMBDA);
        List<Parameter> params = model.parameters();
        DoubleSupplier omega = () -> {
            Bptt.of(model).forward(batch, from, end);
            return omega(model, deltas, from, end);
        };
        double[] reported = new double[1];
        Runnable gradient = () -> {
            model.zeroGrad();
            Bptt.of(model).forward(batch, from, end);
            Bptt.of(model).lossAndReadoutGradient(batch, from, from, end);
            Bptt.of(model).backward(batch, from, end);     // δ for the penalty, as in training
            model.zeroGrad();                                // keep only the penalty's share
            reported[0] = penalty.addGradient(model, batch, from, end);
        };
        GradientCheck.Result r = GradientCheck.compare(params, omega, gradient, GradientCheck.EPSILON,
                GradientCheck.FLOOR);
        assertTrue(r.passed(1e-6), r.toString());
        Bptt.of(model).forward(batch, from, end);
        assertEquals(omega(model, deltas, from, end), reported[0], 1e-12, "the reported λΩ is Ω's definition");
    }

    private static ModelBuilder builder() {
        return SequenceModel.builder(3).init(Init.uniform(0.7)).recurrentInit(Init.uniform(0.7)).seed(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TANH", "RELU"})
    void penaltyGradientMatchesFiniteDifferencesOfOmegaWithDeltaHeldFixed(String activation) {
        SequenceModel model = builder().rnn(5, Activation.valueOf(activation)).output(3, Loss.CROSS_ENTROPY).build();
        checkPenaltyGradient(model, Fixtures.classification(8, 2, 3, 3, false, 21), 0, 8);
    }

    @Test
    void penaltyGradientIsRightInATruncatedWindowOfAStack() {
        SequenceModel model = builder().rnn(4).rnn(5).output(2, Loss.MSE).build();
        checkPenaltyGradient(model, Fixtures.regression(9, 2, 3, 2, false, 22), 3, 9);
    }

    @Test
    void penaltyIsRefusedForGatedCells() {
        SequenceModel model = SequenceModel.lstm(3, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model).vanishingGradientPenalty(1.0));
        assertTrue(e.getMessage().contains("vanilla RNN"), e.getMessage());
        for (RecurrentCell c : model.layers()) {
            assertTrue(!(c instanceof RnnCell));
        }
    }
}
