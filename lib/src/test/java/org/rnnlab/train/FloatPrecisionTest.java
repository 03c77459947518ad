package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnnlab.data.Batch;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;

/**
 * {@link Precision#FLOAT}: float32 batched products (and the vector activations) agree with float64 to float32
 * rounding, and training reaches the same loss. Stated tolerances: every gradient entry within 1e-4 of the largest
 * entry of its parameter; the loss after 60 Adam updates within 0.1 % of float64's (measured: 1.5e-8 relative,
 * 0.388063 both). Needs the Vector API module (the {@code vector} test execution); without it, asking for FLOAT
 * fails and says which JVM option is missing.
 */
class FloatPrecisionTest {
    private static final int ALPHABET = 12;

    private static SequenceModel model() {
        return SequenceModel.builder(ALPHABET).lstm(24).output(ALPHABET, Loss.CROSS_ENTROPY).seed(5).build();
    }

    /** A learnable text: each character is followed by the next one of the alphabet; random starting points. */
    private static Batch counting(int steps, int sequences, long seed) {
        Random rng = new Random(seed);
        double[][][] x = new double[steps][sequences][ALPHABET];
        int[][] labels = new int[steps][sequences];
        for (int b = 0; b < sequences; b++) {
            int c = rng.nextInt(ALPHABET);
            for (int t = 0; t < steps; t++) {
                x[t][b][c] = 1.0;
                c = (c + 1 + (rng.nextDouble() < 0.1 ? 1 : 0)) % ALPHABET;
                labels[t][b] = c;
            }
        }
        return Batch.classification(x, labels);
    }

    @Test
    void floatNeedsTheVectorModuleAndSaysSo() {
        assumeTrue(!Kernels.AVAILABLE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model().precision(Precision.FLOAT));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void floatGradientsAgreeWithDoubleToFloatRounding() {
        assumeTrue(Kernels.AVAILABLE);
        Batch b = counting(15, 9, 1);
        double[][][] f64 = gradients(model(), b);
        double[][][] f32 = gradients(model().precision(Precision.FLOAT), b);
        boolean differs = false;
        for (int p = 0; p < f64.length; p++) {
            double scale = 0;
            for (double[] row : f64[p]) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int r = 0; r < f64[p].length; r++) {
                for (int c = 0; c < f64[p][r].length; c++) {
                    double d = Math.abs(f64[p][r][c] - f32[p][r][c]);
                    differs |= d > 0;
                    assertTrue(d <= 1e-4 * scale, "parameter " + p + " [" + r + "][" + c + "]: " + f64[p][r][c]
                            + " in float64, " + f32[p][r][c] + " with float32 products");
                }
            }
        }
        assertTrue(differs, "the float32 products did not run: the gradients are float64's bit for bit");
    }

    private static double[][][] gradients(SequenceModel m, Batch b) {
        Bptt e = Bptt.of(m);
        m.zeroGrad();
        e.prepare(b);
        e.resetState();
        e.forward(b, 0, b.length());
        e.lossAndReadoutGradient(b, 0, 0, b.length());
        e.backward(b, 0, b.length());
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
    void floatTrainingReachesTheLossOfDouble() {
        assumeTrue(Kernels.AVAILABLE);
        double f64 = lastLoss(Precision.DOUBLE);
        double f32 = lastLoss(Precision.FLOAT);
        assertTrue(f64 < 0.6 * Math.log(ALPHABET), "float64 training did not learn: loss " + f64);
        assertEquals(f64, f32, 1e-3 * f64, "loss after 60 updates: float64 " + f64 + ", float32 products " + f32);
    }

    private static double lastLoss(Precision p) {
        SequenceModel m = model();
        Trainer tr = new Trainer(m).optimizer(Optimizer.adam(0.02)).threads(2).precision(p);
        History h = new History();
        for (int i = 0; i < 60; i++) {
            tr.train(counting(20, 16, 100 + i), h, 0);
        }
        return h.steps().get(59).loss();
    }

    @Test
    void theModelSaysWhichLayersRunInFloat() {
        assumeTrue(Kernels.AVAILABLE);
        SequenceModel m = SequenceModel.builder(4).lstm(8).gru(8).output(2, Loss.MSE).seed(1).build()
                .precision(Precision.FLOAT);
        assertTrue(m.kernels().contains("float32 products"), m.kernels());
        assertTrue(m.kernels().contains("float64 in [GRU"), m.kernels());
        assertEquals(Precision.FLOAT, m.precision());
    }
}
