package org.rnnlab.hotloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;
import org.rnnlab.train.History;
import org.rnnlab.train.Optimizer;
import org.rnnlab.train.Trainer;

/**
 * The Vector API kernels give the row loops' results bit for bit: the products alone, at sizes that exercise every
 * tail (sequences not a multiple of four, columns not a multiple of a panel), and whole training runs (which also
 * run the LSTM's vector backward step through the units, tails included: 13 and 9 units). Without the
 * module ({@code --add-modules jdk.incubator.vector}) the row loops run and the comparisons are skipped; the
 * library's second test run ({@code vector} execution in lib/pom.xml) has the module.
 */
class VectorPathTest {

    @AfterEach
    void backToTheDefault() {
        Kernels.use(Kernels.AVAILABLE ? Kernels.Path.VECTOR : Kernels.Path.ROWS);
    }

    /** Bit for bit, signed zeros and all ({@link Arrays#equals(double[], double[])} compares the bits). */
    private static void assertSameBits(double[][] expected, double[][] actual, String what) {
        for (int r = 0; r < expected.length; r++) {
            assertTrue(Arrays.equals(expected[r], actual[r]), what + ", row " + r + ": " + Arrays.toString(expected[r])
                    + " on the row loops, " + Arrays.toString(actual[r]) + " on the Vector API kernels");
        }
    }

    @Test
    void theRowLoopsRunWithoutTheModuleAndTheVectorPathCannotBeChosen() {
        assumeTrue(!Kernels.AVAILABLE);
        assertEquals(Kernels.Path.ROWS, Kernels.path());
        assertTrue(Kernels.describe().contains("--add-modules jdk.incubator.vector"), Kernels.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kernels.use(Kernels.Path.VECTOR));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void theVectorPathRunsWhenTheModuleIsThere() {
        assumeTrue(Kernels.AVAILABLE);
        assertEquals(Kernels.Path.VECTOR, Kernels.path());
        assertTrue(Kernels.describe().startsWith("Vector API kernels"), Kernels.describe());
        String model = SequenceModel.builder(3).lstm(4).output(2, Loss.MSE).seed(1).build().kernels();
        assertEquals(Kernels.describe(), model);
    }

    @Test
    void thePackedProductIsTheRowLoopsBitForBit() {
        assumeTrue(Kernels.AVAILABLE);
        Random rng = new Random(5);
        for (int sequences : new int[] {1, 3, 4, 5, 8, 9, 16}) {
            for (int inputs : new int[] {1, 3, 4, 65, 128}) {
                for (int cols : new int[] {3, 8, 13, 65, 256}) {
                    for (double zeros : new double[] {0.0, 0.6, 0.99}) {
                        int from = sequences > 4 ? 1 : 0;
                        double[][] in = TestMatrices.random(rng, sequences, inputs, zeros);
                        double[][] w = TestMatrices.random(rng, 2 + inputs, cols, 0.0);
                        double[][] out = TestMatrices.random(rng, sequences, cols, 0.0);
                        PackedMatrix packed = new PackedMatrix(inputs, cols).pack(w, 2);
                        double[][] rows = TestMatrices.copy(out);
                        Kernels.use(Kernels.Path.ROWS);
                        RowMath.multiplyInto(in, w, 2, rows, from, sequences);
                        Kernels.use(Kernels.Path.VECTOR);
                        RowMath.multiplyInto(in, packed, out, from, sequences);
                        assertSameBits(rows, out, "B " + sequences + ", K " + inputs + ", N " + cols + ", zeros " + zeros);
                    }
                }
            }
        }
    }

    @Test
    void theWeightGradientIsTheRowLoopsBitForBit() {
        assumeTrue(Kernels.AVAILABLE);
        Random rng = new Random(6);
        for (int sequences : new int[] {1, 4, 5, 6, 9, 16}) {
            for (int inputs : new int[] {1, 3, 5, 65, 128}) {
                for (int cols : new int[] {3, 8, 13, 65, 256}) {
                    for (double zeros : new double[] {0.0, 0.6, 0.99}) {
                        int from = sequences > 4 ? 1 : 0;
                        double[][] in = TestMatrices.random(rng, sequences, inputs, zeros);
                        double[][] dz = TestMatrices.random(rng, sequences, cols, 0.0);
                        double[][] dw = TestMatrices.random(rng, 2 + inputs, cols, 0.0);
                        double[][] rows = TestMatrices.copy(dw);
                        Kernels.use(Kernels.Path.ROWS);
                        RowMath.accumulateOuter(in, dz, rows, 2, from, sequences);
                        Kernels.use(Kernels.Path.VECTOR);
                        RowMath.accumulateOuter(in, dz, dw, 2, from, sequences);
                        assertSameBits(rows, dw, "B " + sequences + ", K " + inputs + ", N " + cols + ", zeros " + zeros);
                    }
                }
            }
        }
    }

    /** Weights after a few updates of a two-layer LSTM char model (one-hot inputs), and the losses on the way. */
    private static double[][][] trained(Kernels.Path path, int threads, int sequences, double[] losses) {
        Kernels.use(path);
        SequenceModel m = SequenceModel.builder(11).lstm(13).lstm(9).output(11, Loss.CROSS_ENTROPY).seed(4).build();
        Trainer tr = new Trainer(m).optimizer(Optimizer.adam(0.01)).truncate(4, 6).threads(threads);
        History h = new History();
        for (int i = 0; i < 3; i++) {
            tr.train(oneHot(12, sequences, 11, 30 + i), h, 0);
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

    /** A classification batch whose inputs are one-hot, like a character model's. */
    private static Batch oneHot(int steps, int sequences, int width, long seed) {
        Random rng = new Random(seed);
        double[][][] x = new double[steps][sequences][width];
        int[][] labels = new int[steps][sequences];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < sequences; b++) {
                x[t][b][rng.nextInt(width)] = 1.0;
                labels[t][b] = rng.nextInt(width);
            }
        }
        return Batch.classification(x, labels);
    }

    @Test
    void trainingGivesTheSameBitsOnBothPaths() {
        assumeTrue(Kernels.AVAILABLE);
        for (int threads : new int[] {1, 2}) {
            for (int sequences : new int[] {1, 7, 16}) {
                double[] lossRows = new double[9];
                double[] lossVector = new double[9];
                double[][][] rows = trained(Kernels.Path.ROWS, threads, sequences, lossRows);
                double[][][] vector = trained(Kernels.Path.VECTOR, threads, sequences, lossVector);
                assertTrue(Arrays.equals(lossRows, lossVector), "losses, " + threads + " threads, B " + sequences);
                for (int p = 0; p < rows.length; p++) {
                    assertSameBits(rows[p], vector[p], "parameter " + p + ", " + threads + " threads, B " + sequences);
                }
            }
        }
    }

    @Test
    void aDenseInputModelGivesTheSameBitsOnBothPaths() {
        assumeTrue(Kernels.AVAILABLE);
        Supplier<double[][][]> run = () -> {
            SequenceModel m = SequenceModel.builder(5).lstm(12, "V").output(3, Loss.MSE).seed(9).build();
            Trainer tr = new Trainer(m).optimizer(Optimizer.adam(0.02));
            History h = new History();
            for (int i = 0; i < 4; i++) {
                tr.train(Fixtures.regression(10, 9, 5, 3, false, 40 + i), h, 0);
            }
            List<Parameter> ps = m.parameters();
            double[][][] w = new double[ps.size()][][];
            for (int i = 0; i < w.length; i++) {
                w[i] = ps.get(i).value();
            }
            return w;
        };
        Kernels.use(Kernels.Path.ROWS);
        double[][][] rows = run.get();
        Kernels.use(Kernels.Path.VECTOR);
        double[][][] vector = run.get();
        for (int p = 0; p < rows.length; p++) {
            assertSameBits(rows[p], vector[p], "parameter " + p);
        }
    }
}
