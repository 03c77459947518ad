package org.rnnlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.init.SpectralRadius;

class SequenceModelTest {

    @Test
    void namedWeightsAreTextbookShapedCopiesAndSetWritesThrough() {
        SequenceModel m = SequenceModel.lstm(3, 5, 2);
        DMatrixRMaj wxi = m.get("W_xi");
        assertEquals(5, wxi.numRows);
        assertEquals(3, wxi.numCols);
        wxi.set(0, 0, 123);
        assertTrue(m.get("W_xi").get(0, 0) != 123, "get returns a copy");
        m.set("W_xi", wxi);
        assertEquals(123, m.get("W_xi").get(0, 0), 0);
        assertEquals(123, m.layer(1).parameters().get(0).value()[0][0], 0, "stored transposed in the fused block");
    }

    @Test
    void forgetBiasStartsAtOne() {
        DMatrixRMaj bf = SequenceModel.lstm(3, 4, 2).get("b_f");
        for (double v : bf.data) {
            assertEquals(1.0, v, 0);
        }
    }

    @Test
    void stackedWeightsAreNamedByLayer() {
        SequenceModel m = SequenceModel.builder(3).rnn(4).rnn(5).output(2, Loss.MSE).build();
        assertEquals(5, m.get("L2.W_hh").numRows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.get("W_hh"));
        assertTrue(e.getMessage().contains("L1.W_hh"), e.getMessage());
    }

    @Test
    void anUnknownWeightNameListsTheNamesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceModel.gru(3, 4, 2).get("W_xi"));
        assertTrue(e.getMessage().contains("W_xz") && e.getMessage().contains("b_y"), e.getMessage());
    }

    @Test
    void anUnknownVariantNameListsTheVariants() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceModel.builder(3).lstm(4, "NXG"));
        assertTrue(e.getMessage().contains("'NXG'") && e.getMessage().contains("CIFG"), e.getMessage());
    }

    @Test
    void spectralRadiusOptionScalesTheRecurrentMatrix() {
        SequenceModel m = SequenceModel.builder(2).rnn(6).output(1, Loss.MSE).spectralRadius(1.3).build();
        assertEquals(1.3, SpectralRadius.of(m.get("W_hh")), 1e-9);
        assertEquals(1.3, m.spectralRadius(), 1e-9);
    }

    @Test
    void aUniformGuessCostsLogOfTheNumberOfClasses() {
        SequenceModel m = SequenceModel.lstm(3, 4, 5);
        m.set("W_y", new DMatrixRMaj(5, 4));
        assertEquals(Math.log(5), m.loss(Fixtures.classification(4, 2, 3, 5, false, 1)), 1e-12);
    }

    /**
     * Training reads the outputs out many (step, sequence) pairs at a time; its loss must be that of reading each one
     * out on its own ({@link SequenceModel#predict}), averaged over the targets, whatever their number.
     */
    @Test
    void theTrainingLossIsTheMeanOfEachTargetsOwnLoss() {
        SequenceModel m = SequenceModel.builder(3).lstm(5).output(4, Loss.CROSS_ENTROPY).seed(3).build();
        Batch b = Fixtures.classification(17, 5, 3, 4, false, 12);
        double[][][] p = m.predict(b);
        double sum = 0;
        int n = 0;
        for (int t = 0; t < b.length(); t++) {
            for (int s = 0; s < b.size(); s++) {
                sum -= Math.log(p[t][s][b.labelsAt(t)[s]]);
                n++;
            }
        }
        assertEquals(sum / n, m.loss(b), 1e-12 * (sum / n));
    }

    @Test
    void wrongInputWidthNamesExpectedAndActual() {
        SequenceModel m = SequenceModel.lstm(3, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.loss(Fixtures.classification(4, 2, 5, 2, false, 1)));
        assertEquals("the model reads inputs of width 3 per step, the batch has width 5", e.getMessage());
    }

    @Test
    void labelsBeyondTheOutputsAreRefused() {
        SequenceModel m = SequenceModel.lstm(3, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.loss(Fixtures.classification(4, 2, 3, 6, false, 1)));
        assertTrue(e.getMessage().contains("2 outputs") && e.getMessage().contains("largest label is 5"),
                e.getMessage());
    }

    @Test
    void regressionTargetsNeedAnMseModel() {
        SequenceModel m = SequenceModel.lstm(3, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.loss(Fixtures.regression(4, 2, 3, 2, false, 1)));
        assertTrue(e.getMessage().contains("Loss.MSE"), e.getMessage());
    }

    @Test
    void emptyOrNanInputIsRefusedWithWhereItIs() {
        assertThrows(IllegalArgumentException.class, () -> Batch.classification(new double[0][][], new int[0][]));
        double[][][] x = {{{0.0, Double.NaN}}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batch.classification(x, new int[][] {{0}}));
        assertTrue(e.getMessage().contains("inputs[0][0][1] is NaN"), e.getMessage());
    }

    @Test
    void aMissingOutputIsExplainedAtBuildTime() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SequenceModel.builder(3).lstm(4).build());
        assertTrue(e.getMessage().contains(".output("), e.getMessage());
    }

    @Test
    void traceShowsEveryGateAndTheCellOverTime() {
        SequenceModel m = SequenceModel.lstm(3, 4, 2);
        Trace t = m.trace(Fixtures.classification(6, 2, 3, 2, false, 1), 1);
        assertEquals(java.util.Set.of("h", "i", "f", "g", "o", "c"), t.signals());
        assertEquals(6, t.length());
        double[][] f = t.get("f");
        for (double[] step : f) {
            for (double v : step) {
                assertTrue(v > 0 && v < 1, "a gate is a valve between 0 and 1");
            }
        }
        double[][] h = t.get("h");
        double[][] c = t.get("c");
        double[][] o = t.get("o");
        for (int s = 0; s < 6; s++) {
            for (int u = 0; u < 4; u++) {
                assertEquals(o[s][u] * Math.tanh(c[s][u]), h[s][u], 1e-12, "h = o ⊙ tanh(c)");
            }
        }
    }

    @Test
    void samplingIsSeededAndRespectsTheAlphabet() {
        SequenceModel m = SequenceModel.lstm(6, 8, 6);
        int[] a = m.sample(new int[] {1, 2}, 30, 1.0, new Random(4));
        int[] b = m.sample(new int[] {1, 2}, 30, 1.0, new Random(4));
        assertArrayEquals(a, b);
        assertEquals(30, a.length);
        for (int s : a) {
            assertTrue(s >= 0 && s < 6);
        }
    }

    @Test
    void lowTemperatureSamplingIsGreedy() {
        SequenceModel m = SequenceModel.lstm(6, 8, 6);
        int[] cold1 = m.sample(new int[] {0}, 20, 1e-4, new Random(1));
        int[] cold2 = m.sample(new int[] {0}, 20, 1e-4, new Random(2));
        assertArrayEquals(cold1, cold2, "at a temperature near 0 the likeliest symbol always wins");
    }
    @Test
    void layersAreCountedFromOneEverywhere() {
        SequenceModel m = SequenceModel.builder(3).lstm(4).gru(5).output(2, Loss.MSE).build();
        assertEquals(4, m.layer(1).hiddenSize());
        assertEquals(5, m.layer(2).hiddenSize());
        assertEquals(m.get("L1.W_xi").numRows, m.layer(1).hiddenSize(), "L1 is layer(1)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.layer(0));
        assertTrue(e.getMessage().contains("counted from 1"), e.getMessage());
        Trace trace = m.trace(Fixtures.regression(3, 1, 3, 2, false, 1), 0);
        assertEquals(5, trace.get(2, "h")[0].length, "trace.get(2, …) is layer 2");
        assertThrows(IllegalArgumentException.class, () -> trace.get(0, "h"));
    }

    @Test
    void lossLeavesTheGradientsAndTheCarriedStateAsTheyWere() {
        SequenceModel m = SequenceModel.builder(3).lstm(4, "FGR").output(2, Loss.MSE).seed(3).build();
        Batch b = Fixtures.regression(6, 2, 3, 2, false, 4);
        Batch other = Fixtures.regression(6, 2, 3, 2, false, 5);
        m.backpropagate(b);
        Bptt.of(m).carryState(5);                                  // a stream would go on from here
        double[] grad = m.weight("W_hf").grad().data;
        double[][] h = m.layer(1).state("h", -1);
        double[][] c = m.layer(1).state("c", -1);
        double first = m.loss(other);
        assertArrayEquals(grad, m.weight("W_hf").grad().data, 0.0, "the gradient is untouched");
        assertTrue(java.util.Arrays.stream(grad).anyMatch(v -> v != 0), "there was a gradient to keep");
        assertTrue(java.util.Arrays.stream(h).anyMatch(row -> java.util.Arrays.stream(row).anyMatch(v -> v != 0)),
                "the carried state is not zero (so the check below has teeth)");
        for (int s = 0; s < 2; s++) {
            assertArrayEquals(h[s], m.layer(1).state("h", -1)[s], 0.0, "h carried in");
            assertArrayEquals(c[s], m.layer(1).state("c", -1)[s], 0.0, "c carried in");
        }
        assertEquals(first, m.loss(other), 0.0, "and evaluation itself starts from zero every time");
    }

    @Test
    void anUnrolledRunIsRefusedOnceTheModelHasRunAgain() {
        SequenceModel m = SequenceModel.builder(2).lstm(3).output(1, Loss.MSE).build();
        double[][][] x = {{{1, 0}}, {{0, 1}}};
        Unrolled run = m.unroll(x);
        assertEquals(2, run.hidden().length);
        m.unroll(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.backward(new double[2][1][3]));
        assertTrue(e.getMessage().contains("unroll(...) again"), e.getMessage());
    }

    @Test
    void aBatchWithoutTargetsIsRefusedByTrainingWithAMessageThatSaysWhy() {
        SequenceModel m = SequenceModel.builder(2).lstm(3).output(1, Loss.MSE).build();
        Batch inputs = Batch.inputsOnly(new double[][][] {{{1, 0}}, {{0, 1}}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loss(inputs));
        assertTrue(e.getMessage().contains("inputs only"), e.getMessage());
    }

    @Test
    void everyWayOfRunningAModelNamesAnInputOfTheWrongWidth() {
        SequenceModel m = SequenceModel.builder(2).lstm(3).output(1, Loss.MSE).build();
        Batch wide = Fixtures.regression(3, 1, 4, 1, false, 1);
        for (Runnable run : new Runnable[] {() -> m.predict(wide), () -> m.trace(wide, 0), () -> m.loss(wide),
                () -> m.unroll(new double[][][] {{{1, 2, 3, 4}}})}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::run);
            assertTrue(e.getMessage().contains("inputs of width 2"), e.getMessage());
        }
    }
}
