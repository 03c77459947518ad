package org.rnnlab;

import java.util.Random;
import org.rnnlab.data.Batch;

/** Small random batches for tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Inputs uniform in [−1, 1]; a class label at every step (or only at the last when manyToOne). */
    public static Batch classification(int steps, int sequences, int inputs, int classes, boolean manyToOne, long seed) {
        Random rng = new Random(seed);
        double[][][] x = inputs(steps, sequences, inputs, rng);
        int[][] labels = new int[steps][sequences];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < sequences; b++) {
                labels[t][b] = manyToOne && t < steps - 1 ? Batch.NO_TARGET : rng.nextInt(classes);
            }
        }
        labels[0][0] = manyToOne && steps > 1 ? Batch.NO_TARGET : classes - 1;
        labels[steps - 1][0] = classes - 1;
        return Batch.classification(x, labels);
    }

    /** Inputs uniform in [−1, 1]; real targets at every step (or only at the last when manyToOne). */
    public static Batch regression(int steps, int sequences, int inputs, int outputs, boolean manyToOne, long seed) {
        Random rng = new Random(seed);
        double[][][] x = inputs(steps, sequences, inputs, rng);
        double[][][] y = new double[steps][][];
        for (int t = 0; t < steps; t++) {
            if (manyToOne && t < steps - 1) {
                continue;
            }
            y[t] = new double[sequences][outputs];
            for (int b = 0; b < sequences; b++) {
                for (int k = 0; k < outputs; k++) {
                    y[t][b][k] = rng.nextGaussian();
                }
            }
        }
        return Batch.regression(x, y);
    }

    private static double[][][] inputs(int steps, int sequences, int inputs, Random rng) {
        double[][][] x = new double[steps][sequences][inputs];
        for (double[][] step : x) {
            for (double[] v : step) {
                for (int k = 0; k < inputs; k++) {
                    v[k] = 2 * rng.nextDouble() - 1;
                }
            }
        }
        return x;
    }
}
