package org.rnnlab.hotloop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batched products group sequences and weight rows for speed; whatever the grouping, every output must be bit
 * for bit the sum of one {@code axpy} per non-zero term, in the documented order.
 */
class RowMathTest {
    /** Rows of weights before the block the products use, so that the row offset is exercised. */
    private static final int OFFSET = 2;

    private static void assertSameBits(double[][] expected, double[][] actual, String what) {
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual[r], 0.0, what + ", row " + r);
        }
    }

    @Test
    void multiplyIntoAddsTheTermsOfEachSequenceInInputOrderWhateverTheBatchSize() {
        Random rng = new Random(11);
        for (int sequences = 1; sequences <= 9; sequences++) {
            for (int inputs : new int[] {1, 2, 3, 4, 5, 7, 65}) {
                for (double zeros : new double[] {0.0, 0.5, 0.97}) {
                    int from = sequences > 2 ? 1 : 0;
                    double[][] in = TestMatrices.random(rng, sequences, inputs, zeros);
                    double[][] w = TestMatrices.random(rng, OFFSET + inputs, 13, 0.0);
                    double[][] out = TestMatrices.random(rng, sequences, 13, 0.0);
                    double[][] expected = TestMatrices.copy(out);
                    for (int b = from; b < sequences; b++) {
                        for (int k = 0; k < inputs; k++) {
                            if (in[b][k] != 0.0) {
                                RowMath.axpy(in[b][k], w[OFFSET + k], expected[b]);
                            }
                        }
                    }
                    RowMath.multiplyInto(in, w, OFFSET, out, from, sequences);
                    assertSameBits(expected, out, sequences + " sequences from " + from + ", " + inputs
                            + " inputs, " + zeros + " zeros");
                }
            }
        }
    }

    @Test
    void accumulateOuterAddsTheSequencesToEachGradientRowInBatchOrderWhateverTheBatchSize() {
        Random rng = new Random(12);
        for (int sequences = 1; sequences <= 17; sequences++) {
            for (int inputs : new int[] {1, 2, 3, 6, 65}) {
                for (double zeros : new double[] {0.0, 0.6, 0.97}) {
                    int from = sequences > 3 ? 2 : 0;
                    double[][] in = TestMatrices.random(rng, sequences, inputs, zeros);
                    double[][] dz = TestMatrices.random(rng, sequences, 11, 0.0);
                    double[][] dw = TestMatrices.random(rng, OFFSET + inputs, 11, 0.0);
                    double[][] expected = TestMatrices.copy(dw);
                    for (int b = from; b < sequences; b++) {
                        for (int k = 0; k < inputs; k++) {
                            if (in[b][k] != 0.0) {
                                RowMath.axpy(in[b][k], dz[b], expected[OFFSET + k]);
                            }
                        }
                    }
                    RowMath.accumulateOuter(in, dz, dw, OFFSET, from, sequences);
                    assertSameBits(expected, dw, sequences + " sequences from " + from + ", " + inputs
                            + " inputs, " + zeros + " zeros");
                }
            }
        }
    }

    @Test
    void twoRowKernelsEqualOneAxpyPerTermForEachRow() {
        Random rng = new Random(13);
        double[][] x = TestMatrices.random(rng, 3, 37, 0.0);
        double[][] yz = TestMatrices.random(rng, 2, 37, 0.0);
        double[][] expected = TestMatrices.copy(yz);
        double[] a = {0.3, -1.7, 2.5};
        double[] c = {-0.9, 0.4, 1.1};
        for (int k = 0; k < 3; k++) {
            RowMath.axpy(a[k], x[k], expected[0]);
            RowMath.axpy(c[k], x[k], expected[1]);
        }
        RowMath.axpy3x2(a[0], a[1], a[2], c[0], c[1], c[2], x[0], x[1], x[2], yz[0], yz[1]);
        assertSameBits(expected, yz, "axpy3x2");

        double[][] two = TestMatrices.copy(expected);
        for (int k = 0; k < 2; k++) {
            RowMath.axpy(a[k], x[k], expected[0]);
            RowMath.axpy(c[k], x[k], expected[1]);
        }
        RowMath.axpy2x2(a[0], a[1], c[0], c[1], x[0], x[1], two[0], two[1]);
        assertSameBits(expected, two, "axpy2x2");
    }
}
