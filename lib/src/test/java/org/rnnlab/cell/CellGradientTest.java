package org.rnnlab.cell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.diagnostics.GradientCheck;
import org.rnnlab.init.Init;
import org.rnnlab.model.Loss;
import org.rnnlab.model.ModelBuilder;
import org.rnnlab.model.SequenceModel;

/** Backpropagation through every cell agrees with central differences of the loss (float64, rel. error < 1e-6). */
class CellGradientTest {
    static final double TOLERANCE = 1e-6;

    private static void assertGradientsAgree(SequenceModel model, Batch batch) {
        GradientCheck.Result r = GradientCheck.of(model, batch);
        System.out.println(model + ": " + r);
        assertTrue(r.passed(TOLERANCE), model + ": " + r);
        assertTrue(r.checked() == model.parameterCount(), "every parameter is checked");
    }

    /** Weights large enough that gates leave their linear range and the check has teeth. */
    private static ModelBuilder builder(int inputs) {
        return SequenceModel.builder(inputs).init(Init.uniform(0.8)).recurrentInit(Init.uniform(0.8)).seed(7);
    }

    @Test
    void tanhRnnBackpropagationMatchesFiniteDifferences() {
        assertGradientsAgree(builder(3).rnn(5).output(4, Loss.CROSS_ENTROPY).build(),
                Fixtures.classification(6, 2, 3, 4, false, 1));
    }

    @Test
    void reluRnnBackpropagationMatchesFiniteDifferences() {
        assertGradientsAgree(builder(3).rnn(5, Activation.RELU).output(2, Loss.MSE).build(),
                Fixtures.regression(6, 2, 3, 2, false, 2));
    }

    @ParameterizedTest
    @EnumSource(LstmVariant.class)
    void everyLstmVariantBackpropagatesCorrectly(LstmVariant variant) {
        SequenceModel model = builder(3).lstm(4, variant).output(3, Loss.CROSS_ENTROPY).build();
        randomisePeepholesAndBiases(model);
        assertGradientsAgree(model, Fixtures.classification(6, 2, 3, 3, false, 3));
    }

    @Test
    void gruBackpropagationMatchesFiniteDifferences() {
        assertGradientsAgree(builder(3).gru(5).output(3, Loss.CROSS_ENTROPY).build(),
                Fixtures.classification(6, 2, 3, 3, false, 4));
    }

    @Test
    void stackedLayersOfMixedCellsBackpropagateCorrectly() {
        SequenceModel model = builder(3).lstm(4).gru(3).rnn(4).output(2, Loss.MSE).build();
        assertGradientsAgree(model, Fixtures.regression(5, 2, 3, 2, false, 5));
    }

    @Test
    void manyToOneGradientFlowsBackFromTheLastStepOnly() {
        assertGradientsAgree(builder(2).lstm(4, LstmVariant.V).output(3, Loss.CROSS_ENTROPY).build(),
                Fixtures.classification(7, 3, 2, 3, true, 6));
    }

    /**
     * The readout reads out a few dozen (step, sequence) pairs at a time; 13 × 6 pairs, some without a target, cross
     * several of those chunks, for both losses.
     */
    @Test
    void manyTargetsAcrossReadoutChunksBackpropagateCorrectly() {
        Batch full = Fixtures.classification(13, 6, 3, 3, false, 8);
        int[][] labels = new int[13][6];
        for (int t = 0; t < 13; t++) {
            for (int b = 0; b < 6; b++) {
                labels[t][b] = (t * 6 + b) % 5 == 2 ? Batch.NO_TARGET : full.labelsAt(t)[b];
            }
        }
        double[][][] inputs = new double[13][][];
        for (int t = 0; t < 13; t++) {
            inputs[t] = full.inputsAt(t);
        }
        assertGradientsAgree(builder(3).lstm(4).output(3, Loss.CROSS_ENTROPY).build(),
                Batch.classification(inputs, labels));
        assertGradientsAgree(builder(3).lstm(4).output(2, Loss.MSE).build(),
                Fixtures.regression(13, 6, 3, 2, false, 9));
    }

    /** Peepholes and biases start at zero or one; random values make every term of the backward pass count. */
    static void randomisePeepholesAndBiases(SequenceModel model) {
        java.util.Random rng = new java.util.Random(11);
        model.weights().forEach((name, view) -> {
            if (view.kind() == org.rnnlab.param.WeightView.Kind.PEEPHOLE
                    || view.kind() == org.rnnlab.param.WeightView.Kind.BIAS) {
                view.set(Init.uniform(0.5).matrix(view.rows(), view.cols(), rng));
            }
        });
    }
}
