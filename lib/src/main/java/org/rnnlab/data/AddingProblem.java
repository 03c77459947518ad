package org.rnnlab.data;

import java.util.Objects;
import java.util.Random;

/**
 * The adding problem, a classic test of long-range memory, in its modern form. Hochreiter and Schmidhuber (1997)
 * posed it with values in [−1, 1] and a scaled target; the form here, values in [0, 1] and the plain sum as the
 * target, is the one later papers on recurrent networks use (for example Le, Jaitly &amp; Hinton 2015).
 *
 * <p>Each step brings two numbers: a value drawn uniformly from [0, 1] and a marker that is 1 at exactly
 * two steps and 0 elsewhere. One marker falls in the first half of the sequence, the other in the second
 * half. At the last step the network must output the sum of the two marked values. Everything between
 * the markers is noise to be ignored, and the first marked value has to be held for up to
 * {@code length} steps.
 *
 * <p>A network that has learned nothing predicts the average sum, 1.0, and scores the variance of a sum
 * of two uniform numbers: 2 &times; 1/12 = 1/6 &asymp; 0.167 mean squared error ({@link #BASELINE_MSE}).
 * Only a loss clearly below that means the network found the markers.
 *
 * <p>Inputs have width 2 ({@code [value, marker]}); the regression target has width 1 and exists only
 * at the last step (many-to-one).
 *
 * @param length number of steps per sequence, at least 2
 */
public record AddingProblem(int length) implements Task {

    /** Mean squared error of always answering 1.0: the variance of the sum of two uniform [0, 1] values, 1/6. */
    public static final double BASELINE_MSE = 1.0 / 6.0;

    /** Checks the parameter (see the record description for the allowed range). */
    public AddingProblem {
        Check.atLeast("length", length, 2);
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        double[][][] inputs = new double[length][batchSize][2];
        double[][][] values = new double[length][][];
        double[][] sums = new double[batchSize][1];
        int half = length / 2;
        for (int b = 0; b < batchSize; b++) {
            for (int t = 0; t < length; t++) {
                inputs[t][b][0] = rng.nextDouble();
            }
            int first = rng.nextInt(half);
            int second = half + rng.nextInt(length - half);
            inputs[first][b][1] = 1.0;
            inputs[second][b][1] = 1.0;
            sums[b][0] = inputs[first][b][0] + inputs[second][b][0];
        }
        values[length - 1] = sums;
        return Batch.regression(inputs, values);
    }

    @Override
    public int inputSize() {
        return 2;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public boolean isClassification() {
        return false;
    }

    @Override
    public String description() {
        return "Adding problem: " + length + " steps of [value, marker]; at the last step output the sum of the "
                + "two marked values. Always answering 1.0 gives MSE 1/6 = 0.167.";
    }
}
