package org.rnnlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.init.Init;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;

class GradientFlowTest {
    private static final Batch MANY_TO_ONE = Fixtures.regression(20, 3, 2, 1, true, 5);

    private static SequenceModel rnnWithOrthogonalRecurrence(double gain) {
        return SequenceModel.builder(2).rnn(8).output(1, Loss.MSE)
                .init(Init.uniform(1e-3)).recurrentInit(Init.orthogonal(gain)).seed(2).build();
    }

    @Test
    void eachStepBackShrinksTheGradientByAtMostTheGainOfWhh() {
        double[] n = GradientFlow.perStep(rnnWithOrthogonalRecurrence(0.5), MANY_TO_ONE);
        for (int t = n.length - 1; t > 0; t--) {
            assertTrue(n[t - 1] <= 0.5 * n[t] * (1 + 1e-12), "step " + t + ": " + n[t - 1] + " vs " + n[t]);
        }
        assertTrue(n[0] < 1e-5 * n[n.length - 1], "twenty steps at 0.5 vanish: " + n[0] / n[n.length - 1]);
    }

    @Test
    void anOrthogonalRecurrenceOfGainOneKeepsTheGradientInTheLinearRegime() {
        double[] n = GradientFlow.perStep(rnnWithOrthogonalRecurrence(1.0), MANY_TO_ONE);
        assertEquals(1.0, n[0] / n[n.length - 1], 1e-3);
    }

    @Test
    void perLagIsThePerStepCurveReversed() {
        SequenceModel m = rnnWithOrthogonalRecurrence(0.9);
        double[] step = GradientFlow.perStep(m, MANY_TO_ONE);
        double[] lag = GradientFlow.perLag(m, MANY_TO_ONE);
        assertEquals(step[step.length - 1], lag[0], 0);
        assertEquals(step[0], lag[lag.length - 1], 0);
    }

    @Test
    void lstmCarriesGradientFurtherBackThanASmallWeightRnn() {
        SequenceModel rnn = SequenceModel.builder(2).rnn(8).output(1, Loss.MSE).init(Init.smallRandom())
                .recurrentInit(Init.smallRandom()).seed(2).build();
        SequenceModel lstm = SequenceModel.builder(2).lstm(8).output(1, Loss.MSE).init(Init.smallRandom())
                .recurrentInit(Init.smallRandom()).forgetBias(3.0).seed(2).build();
        double[] r = GradientFlow.perStep(rnn, MANY_TO_ONE);
        double[] l = GradientFlow.perStep(lstm, MANY_TO_ONE);
        double rnnKept = r[0] / r[r.length - 1];
        double lstmKept = l[0] / l[l.length - 1];
        assertTrue(lstmKept > 1e6 * rnnKept, "LSTM keeps " + lstmKept + ", RNN " + rnnKept);
    }
}
