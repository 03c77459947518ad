package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;

/**
 * Splitting a batch between threads: the gradients agree with one thread's to rounding (the sums are grouped
 * differently), and two runs with the same thread count agree bit for bit (the split and the order are fixed).
 */
class TrainerThreadsTest {

    private static SequenceModel model(int threads) {
        return SequenceModel.builder(5).lstm(7, "V").lstm(6).output(4, Loss.CROSS_ENTROPY).seed(3).build()
                .threads(threads);
    }

    /** The loss and every gradient after one forward and backward pass (full BPTT, from a zero state). */
    private static double[][][] gradients(SequenceModel m, Batch b, double[] loss) {
        m.zeroGrad();
        Bptt.of(m).prepare(b);
        Bptt.of(m).resetState();
        Bptt.of(m).forward(b, 0, b.length());
        loss[0] = Bptt.of(m).lossAndReadoutGradient(b, 0, 0, b.length());
        Bptt.of(m).backward(b, 0, b.length());
        List<Parameter> ps = m.parameters();
        double[][][] g = new double[ps.size()][][];
        for (int i = 0; i < g.length; i++) {
            g[i] = ps.get(i).grad().clone();
            for (int r = 0; r < g[i].length; r++) {
                g[i][r] = g[i][r].clone();
            }
        }
        return g;
    }

    @Test
    void twoThreadsGiveTheGradientsOfOneToRounding() {
        for (int sequences : new int[] {2, 5, 9}) {
            Batch b = Fixtures.classification(8, sequences, 5, 4, false, 10 + sequences);
            double[] loss1 = new double[1];
            double[] loss2 = new double[1];
            double[][][] one = gradients(model(1), b, loss1);
            double[][][] two = gradients(model(2), b, loss2);
            assertEquals(loss1[0], loss2[0], 1e-12 * Math.abs(loss1[0]));
            for (int p = 0; p < one.length; p++) {
                double scale = 0;
                for (double[] row : one[p]) {
                    for (double v : row) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                }
                for (int r = 0; r < one[p].length; r++) {
                    for (int c = 0; c < one[p][r].length; c++) {
                        double d = Math.abs(one[p][r][c] - two[p][r][c]);
                        assertTrue(d <= 1e-12 * scale, "parameter " + p + " [" + r + "][" + c + "]: "
                                + one[p][r][c] + " on one thread, " + two[p][r][c] + " on two (B = " + sequences + ")");
                    }
                }
            }
        }
    }

    /** Trains a fresh model a few updates (truncated BPTT, so windows end mid-sequence) and returns its weights. */
    private static double[][][] trainedWeights(int threads, double[] losses) {
        SequenceModel m = model(threads);
        Trainer tr = new Trainer(m).optimizer(Optimizer.adam(0.01)).truncate(3, 5).threads(threads);
        History h = new History();
        for (int i = 0; i < 3; i++) {
            tr.train(Fixtures.classification(10, 7, 5, 4, false, 20 + i), h, 0);
        }
        for (int i = 0; i < losses.length; i++) {
            losses[i] = h.steps().get(i).loss();
        }
        List<Parameter> ps = m.parameters();
        double[][][] w = new double[ps.size()][][];
        for (int i = 0; i < w.length; i++) {
            w[i] = ps.get(i).value();
        }
        return w;
    }

    @Test
    void twoThreadsAreBitIdenticalFromRunToRun() {
        double[] losses1 = new double[9];
        double[] losses2 = new double[9];
        double[][][] first = trainedWeights(2, losses1);
        double[][][] second = trainedWeights(2, losses2);
        assertArrayEquals(losses1, losses2, 0.0);
        for (int p = 0; p < first.length; p++) {
            for (int r = 0; r < first[p].length; r++) {
                assertArrayEquals(first[p][r], second[p][r], 0.0, "parameter " + p + " row " + r);
            }
        }
    }

    @Test
    void aModelWithALayerThatDoesNotSplitRunsOnOneThreadAndStillLearns() {
        SequenceModel m = SequenceModel.builder(5).gru(6).output(4, Loss.CROSS_ENTROPY).seed(3).build();
        History h = new Trainer(m).threads(2).epochs(30).fit(List.of(Fixtures.classification(8, 6, 5, 4, false, 1)));
        assertTrue(h.steps().get(29).loss() < h.steps().get(0).loss());
    }

    @Test
    void aThreadCountBelowOneIsRefused() {
        SequenceModel m = model(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(m).threads(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
