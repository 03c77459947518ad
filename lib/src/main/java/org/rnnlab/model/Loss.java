package org.rnnlab.model;

import org.rnnlab.hotloop.RowMath;

/**
 * How far the readout is from the target. Both are averaged over the targets of a batch (every sequence and
 * every step that has a target), so a loss reads the same whatever the batch size or sequence length.
 *
 * <p>The formulas, for one target out of n, from the readout's output y:
 * <pre>
 *   cross-entropy:  p = softmax(y),  loss = −log p[label],        ∂(loss/n)/∂y = (p − onehot(label)) / n
 *   squared error:  loss = mean_k (y_k − target_k)²,               ∂(loss/n)/∂y = 2 (y − target) / (n · K)
 * </pre>
 */
public enum Loss {
    /**
     * Softmax cross-entropy for classes: the readout gives scores, softmax turns them into probabilities p, and
     * the loss is −log p[target] (0 when the right class is certain; log(classes) for a uniform guess).
     */
    CROSS_ENTROPY,
    /** Mean squared error for real-valued targets: mean over targets and components of (y − target)². */
    MSE;

    /**
     * Cross-entropy of one target out of {@code n}: returns −log softmax(y)[label] and overwrites the scores
     * {@code y} with ∂(loss / n)/∂y. A loss that is not finite comes back as +∞.
     */
    static double crossEntropy(double[] y, int label, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            max = Math.max(max, v);
        }
        double target = y[label];
        double z = 0;
        for (int k = 0; k < y.length; k++) {
            y[k] = RowMath.exp(y[k] - max);
            z += y[k];
        }
        double item = -(target - max - Math.log(z));                 // −log p[label]
        double perZ = 1.0 / (z * n);
        for (int k = 0; k < y.length; k++) {
            y[k] *= perZ;                                            // p / n, p = softmax(y)
        }
        y[label] -= 1.0 / n;                                         // ∂/∂y = (p − onehot) / n
        return Double.isFinite(item) ? item : Double.POSITIVE_INFINITY;
    }

    /**
     * Mean squared error of one target out of {@code n}: returns mean_k (y_k − target_k)² and overwrites {@code y}
     * with ∂(loss / n)/∂y. A loss that is not finite comes back as +∞.
     */
    static double squaredError(double[] y, double[] target, int n) {
        double item = 0;
        double scale = 2.0 / (n * (double) y.length);
        for (int k = 0; k < y.length; k++) {
            double e = y[k] - target[k];
            item += e * e;
            y[k] = scale * e;                                        // ∂/∂y of mean (y − target)²
        }
        item /= y.length;
        return Double.isFinite(item) ? item : Double.POSITIVE_INFINITY;
    }

    /** Turns scores into probabilities in place: softmax(v / temperature), computed without overflow. */
    static void softmax(double[] v, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double z = 0;
        for (int k = 0; k < v.length; k++) {
            v[k] = RowMath.exp((v[k] - max) / temperature);
            z += v[k];
        }
        for (int k = 0; k < v.length; k++) {
            v[k] /= z;
        }
    }
}
