package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.diagnostics.GradientCheck;
import org.rnnlab.init.Init;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.ModelBuilder;
import org.rnnlab.model.SequenceModel;

/**
 * Truncated BPTT computes the exact gradient of the truncated objective: the loss of the window's last k1 steps,
 * after running forward through the window's k2 steps from a carried-in state that is held fixed.
 */
class TruncatedBpttGradientTest {

    private static GradientCheck.Result checkWindow(SequenceModel model, Batch batch, int from, int lossFrom, int end) {
        Bptt.of(model).prepare(batch);
        Bptt.of(model).resetState();
        Bptt.of(model).forward(batch, 0, batch.length());          // the carried-in state at `from` comes from a full pass
        DoubleSupplier windowLoss = () -> {
            Bptt.of(model).forward(batch, from, end);                // reads the state at `from`, never writes it
            return Bptt.of(model).lossAndReadoutGradient(batch, from, lossFrom, end);
        };
        Runnable backprop = () -> {
            model.zeroGrad();
            windowLoss.getAsDouble();
            Bptt.of(model).backward(batch, from, end);
        };
        return GradientCheck.compare(model.parameters(), windowLoss, backprop, GradientCheck.EPSILON,
                GradientCheck.FLOOR);
    }

    private static ModelBuilder builder() {
        return SequenceModel.builder(3).init(Init.uniform(0.8)).recurrentInit(Init.uniform(0.8)).seed(3);
    }

    @Test
    void lstmWindowGradientIsExactForTheTruncatedObjective() {
        SequenceModel model = builder().lstm(4).output(3, Loss.CROSS_ENTROPY).build();
        Batch batch = Fixtures.classification(12, 2, 3, 3, false, 8);
        GradientCheck.Result r = checkWindow(model, batch, 4, 7, 10);   // k2 = 6 steps back, loss on k1 = 3
        assertTrue(r.passed(1e-6), r.toString());
    }

    @Test
    void rnnWindowGradientIsExactForTheTruncatedObjective() {
        SequenceModel model = builder().rnn(5).output(2, Loss.MSE).build();
        Batch batch = Fixtures.regression(10, 3, 3, 2, false, 9);
        GradientCheck.Result r = checkWindow(model, batch, 5, 5, 10);
        assertTrue(r.passed(1e-6), r.toString());
    }

    @Test
    void truncationReallyCutsTheGradient() {
        SequenceModel model = builder().rnn(5).output(2, Loss.MSE).build();
        Batch batch = Fixtures.regression(10, 2, 3, 2, false, 10);
        Bptt.of(model).prepare(batch);
        Bptt.of(model).resetState();
        Bptt.of(model).forward(batch, 0, 10);
        model.zeroGrad();
        Bptt.of(model).lossAndReadoutGradient(batch, 6, 6, 10);
        Bptt.of(model).backward(batch, 6, 10);
        for (int t = 0; t < 6; t++) {
            for (double[] row : model.layer(1).gradientAt(t)) {
                for (double v : row) {
                    assertTrue(v == 0.0, "no gradient reaches step " + t + " before the window");
                }
            }
        }
    }

    @Test
    void trainerUpdatesOncePerWindowOfK1Steps() {
        SequenceModel model = builder().rnn(5).output(2, Loss.MSE).build();
        Batch batch = Fixtures.regression(10, 2, 3, 2, false, 11);
        History h = new History();
        new Trainer(model).truncate(3, 5).train(batch, h, 0);
        assertTrue(h.size() == 4, "windows ending at 3, 6, 9, 10: got " + h.size() + " updates");
    }
}
