package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.param.Parameter;

/** Each optimiser's first updates, against values worked out by hand from its formula. */
class OptimizerTest {

    /** One weight w = 1 with gradient g, updated twice with the same g. */
    private static double[] twoSteps(Optimizer opt, double g) {
        Parameter p = new Parameter("w", 1, 1, true);
        p.value()[0][0] = 1.0;
        double[] after = new double[2];
        for (int i = 0; i < 2; i++) {
            p.grad()[0][0] = g;
            opt.update(List.of(p));
            after[i] = p.value()[0][0];
        }
        return after;
    }

    @Test
    void sgdStepsAgainstTheGradient() {
        double[] w = twoSteps(Optimizer.sgd(0.1), 2.0);
        assertEquals(0.8, w[0], 1e-15);
        assertEquals(0.6, w[1], 1e-15);
    }

    @Test
    void momentumBuildsUpVelocity() {
        double[] w = twoSteps(Optimizer.momentum(0.1, 0.9), 2.0);
        assertEquals(0.8, w[0], 1e-15);                 // v = −0.2
        assertEquals(0.8 - 0.38, w[1], 1e-15);          // v = 0.9·(−0.2) − 0.2 = −0.38
    }

    @Test
    void adagradShrinksItsStepsWithTheSumOfSquares() {
        double[] w = twoSteps(Optimizer.adagrad(0.1), 2.0);
        assertEquals(1 - 0.1 * 2 / (2 + 1e-8), w[0], 1e-15);
        assertEquals(w[0] - 0.1 * 2 / (Math.sqrt(8) + 1e-8), w[1], 1e-15);
    }

    @Test
    void rmsPropDividesByTheRunningRms() {
        double[] w = twoSteps(Optimizer.rmsProp(0.01), 2.0);
        double s1 = 0.1 * 4;
        assertEquals(1 - 0.01 * 2 / (Math.sqrt(s1) + 1e-8), w[0], 1e-15);
        double s2 = 0.9 * s1 + 0.1 * 4;
        assertEquals(w[0] - 0.01 * 2 / (Math.sqrt(s2) + 1e-8), w[1], 1e-15);
    }

    @Test
    void adamsFirstStepIsTheLearningRateTimesTheSign() {
        double[] w = twoSteps(Optimizer.adam(0.01), 2.0);
        assertEquals(1 - 0.01 * 2 / (2 + 1e-8), w[0], 1e-15);  // bias-corrected m/√v = g/|g|
        assertEquals(w[0] - 0.01 * 2 / (2 + 1e-8), w[1], 1e-15);
    }

    @Test
    void aBadLearningRateIsRefusedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
