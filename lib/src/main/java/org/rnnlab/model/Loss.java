package org.rnnlab.model;

/**
 * How far the readout is from the target. Both are averaged over the targets of a batch (every sequence and
 * every step that has a target), so a loss reads the same whatever the batch size or sequence length.
 */
public enum Loss {
    /**
     * Softmax cross-entropy for classes: the readout gives scores, softmax turns them into probabilities p, and
     * the loss is −log p[target] (0 when the right class is certain; log(classes) for a uniform guess).
     */
    CROSS_ENTROPY,
    /** Mean squared error for real-valued targets: mean over targets and components of (y − target)². */
    MSE
}
