package org.rnnlab.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A time series as plain arrays, ready for models that take a whole sequence at once (such as an echo
 * state network): {@code inputs[t]} is the input vector at step t and {@code targets[t]} the vector the
 * model should output at that step. Both have T rows.
 *
 * <p>The arrays are shared, not copied, like those of {@link Batch}.
 *
 * @param inputs  T &times; X input rows
 * @param targets T &times; Y target rows
 */
public record Pairs(double[][] inputs, double[][] targets) {

    /** Checks that inputs and targets have the same, non-zero number of rows. */
    public Pairs {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        Check.atLeast("inputs.length", inputs.length, 1);
        Check.inRange("targets.length", targets.length, inputs.length, inputs.length,
                "there must be one target row per input row");
    }

    /**
     * One-step-ahead prediction pairs from a series: input {@code series[t]}, target {@code series[t + 1]},
     * so {@code series.length - 1} rows of width 1.
     */
    public static Pairs nextStep(double[] series) {
        Objects.requireNonNull(series, "series");
        Check.atLeast("series.length", series.length, 2);
        int n = series.length - 1;
        double[][] inputs = new double[n][];
        double[][] targets = new double[n][];
        for (int t = 0; t < n; t++) {
            inputs[t] = new double[] {series[t]};
            targets[t] = new double[] {series[t + 1]};
        }
        return new Pairs(inputs, targets);
    }

    /** Number of steps T. */
    public int length() {
        return inputs.length;
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive), e.g. to split into training and test parts. */
    public Pairs slice(int from, int to) {
        Check.inRange("from", from, 0, length() - 1, "a slice starts inside the " + length() + " steps");
        Check.inRange("to", to, from + 1, length(), "a slice ends after from = " + from + " and at most at the end");
        return new Pairs(Arrays.copyOfRange(inputs, from, to), Arrays.copyOfRange(targets, from, to));
    }
}
