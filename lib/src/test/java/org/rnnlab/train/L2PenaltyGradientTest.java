package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.diagnostics.GradientCheck;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;

/** The L2 penalty (λ/2)Σw² over weights, not biases: its gradient and the value the trainer reports. */
class L2PenaltyGradientTest {

    @Test
    void lossPlusL2GradientMatchesFiniteDifferences() {
        double lambda = 0.3;
        SequenceModel model = SequenceModel.builder(3).gru(4).output(2, Loss.MSE).seed(4).build();
        Batch batch = Fixtures.regression(5, 2, 3, 2, false, 31);
        List<Parameter> params = model.parameters();
        java.util.function.DoubleSupplier objective = () -> {
            Bptt.of(model).prepare(batch);
            Bptt.of(model).resetState();
            Bptt.of(model).forward(batch, 0, 5);
            return Bptt.of(model).lossAndReadoutGradient(batch, 0, 0, 5) + lambda / 2 * sumOfSquaredWeights(params);
        };
        Runnable gradient = () -> {
            model.zeroGrad();
            objective.getAsDouble();
            Bptt.of(model).backward(batch, 0, 5);
            for (Parameter p : params) {
                if (p.decays()) {
                    for (int r = 0; r < p.rows(); r++) {
                        for (int c = 0; c < p.cols(); c++) {
                            p.grad()[r][c] += lambda * p.value()[r][c];
                        }
                    }
                }
            }
        };
        GradientCheck.Result r = GradientCheck.compare(params, objective, gradient, GradientCheck.EPSILON,
                GradientCheck.FLOOR);
        assertTrue(r.passed(1e-6), r.toString());
    }

    @Test
    void trainerReportsTheL2PenaltyOfTheWeightsBeforeTheUpdate() {
        double lambda = 0.01;
        SequenceModel model = SequenceModel.builder(3).rnn(4).output(2, Loss.MSE).seed(4).build();
        double expected = lambda / 2 * sumOfSquaredWeights(model.parameters());
        History h = new History();
        new Trainer(model).l2(lambda).train(Fixtures.regression(5, 2, 3, 2, false, 32), h, 0);
        assertEquals(expected, h.steps().get(0).penalty(), 1e-15);
    }

    private static double sumOfSquaredWeights(List<Parameter> params) {
        double s = 0;
        for (Parameter p : params) {
            if (p.decays()) {
                for (double[] row : p.value()) {
                    for (double w : row) {
                        s += w * w;
                    }
                }
            }
        }
        return s;
    }
}
