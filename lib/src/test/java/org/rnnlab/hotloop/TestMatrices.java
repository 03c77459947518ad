package org.rnnlab.hotloop;

import java.util.Random;

/** Seeded matrices for the hot-loop tests, shared by the row-loop and the Vector API tests. */
final class TestMatrices {
    private TestMatrices() {
    }

    /** Random values, with about {@code zeros} of them exactly zero (zero inputs are skipped by the kernels). */
    static double[][] random(Random rng, int rows, int cols, double zeros) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = rng.nextDouble() < zeros ? 0.0 : rng.nextGaussian();
            }
        }
        return m;
    }

    /** A deep copy. */
    static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
