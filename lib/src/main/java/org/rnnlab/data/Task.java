package org.rnnlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A supervised sequence problem that can produce as many training examples as you like.
 *
 * <p>Each task is a small experiment about memory: what must the network remember, for how long, and
 * what is the best it could do by guessing? The task draws fresh random sequences for every batch, so a
 * network cannot memorise the training set; it has to learn the rule. All randomness comes from the
 * {@link Random} you pass in, so the same seed always gives the same data.
 *
 * <p>A task is an immutable value: its constructor checks its parameters once and it keeps no state
 * between calls.
 */
public interface Task {

    /** Draws {@code batchSize} new sequences, using only {@code rng} for randomness. */
    Batch batch(int batchSize, Random rng);

    /** Width of the input vector at each step. */
    int inputSize();

    /** Number of classes (classification) or width of the target vector (regression). */
    int outputSize();

    /** True when the targets are class labels (train with cross-entropy), false for real values (MSE). */
    boolean isClassification();

    /** One or two sentences for a student: what is to be learned and what guessing would score. */
    String description();

    /**
     * A fixed list of batches drawn from one seed: use it as a test set (or a small training set) that is
     * identical on every run.
     */
    default List<Batch> batches(int count, int batchSize, long seed) {
        Check.atLeast("count", count, 1);
        Check.batchSize(batchSize);
        Random rng = new Random(seed);
        List<Batch> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(batch(batchSize, rng));
        }
        return List.copyOf(list);
    }
}
