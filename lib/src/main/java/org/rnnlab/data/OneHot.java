package org.rnnlab.data;

/** One-hot vectors, the input encoding of every symbol task in this package. */
final class OneHot {
    private OneHot() {
    }

    /** A fresh vector of {@code size} zeros with a 1 at {@code index}. */
    static double[] vector(int index, int size) {
        double[] v = new double[size];
        v[index] = 1.0;
        return v;
    }
}
