package org.rnnlab.data;

import java.util.Objects;
import java.util.Random;

/**
 * The Mackey-Glass time series, the standard benchmark for chaotic time-series prediction.
 *
 * <p>It comes from a model of blood-cell production with a delayed feedback:
 * <pre>  dx/dt = beta x(t - tau) / (1 + x(t - tau)^n) - gamma x(t)</pre>
 * With the classical parameters tau = 17, beta = 0.2, gamma = 0.1, n = 10 the solution never settles and
 * never repeats: it is chaotic. It looks like a wobbly oscillation with a quasi-period of about 50 time
 * units and stays between about 0.4 and 1.3. Close to a step it is very predictable; far ahead, tiny
 * errors grow until prediction is impossible, which makes it a good test of how well a model captures
 * the dynamics rather than a pattern.
 *
 * <p>{@link #series} integrates the equation with fourth-order Runge-Kutta at step 0.1, reads the delayed
 * value from the stored past (interpolated linearly at half steps), throws away the first 1000 time units
 * so that only the attractor remains, and returns one value per time unit. The seed sets the random
 * starting history, so different seeds give different stretches of the same attractor.
 *
 * <p>As a {@link Task}, it cuts random windows of {@code length} steps out of a 10&nbsp;000-step series
 * made from the seed: the input at step t is {@code x(t)}, the target is {@code x(t + 1)} (many-to-many
 * regression, width 1). Use one seed for training and another for testing.
 */
public final class MackeyGlass implements Task {

    /** The delay tau of the classical chaotic setting. */
    public static final int TAU = 17;
    /** Production rate beta. */
    public static final double BETA = 0.2;
    /** Decay rate gamma. */
    public static final double GAMMA = 0.1;
    /** The exponent n (the code computes the 10th power by multiplication). */
    public static final int EXPONENT = 10;
    /** Length of the series the task cuts its windows from. */
    public static final int SERIES_LENGTH = 10_000;

    private static final int STEPS_PER_UNIT = 10;
    private static final double DT = 1.0 / STEPS_PER_UNIT;
    private static final int DELAY_STEPS = TAU * STEPS_PER_UNIT;
    private static final int TRANSIENT_UNITS = 1000;

    private final int length;
    private final long seed;
    private final double[] series;

    /**
     * Windows of {@code length} steps (at least 1, at most {@code SERIES_LENGTH - 1}) from the series made
     * from {@code seed}.
     */
    public MackeyGlass(int length, long seed) {
        Check.inRange("length", length, 1, SERIES_LENGTH - 1, "a window must fit in the " + SERIES_LENGTH
                + "-step series");
        this.length = length;
        this.seed = seed;
        this.series = series(SERIES_LENGTH, seed);
    }

    /** {@code n} consecutive values (one per time unit) of the Mackey-Glass attractor, starting from a history set by {@code seed}. */
    public static double[] series(int n, long seed) {
        Check.atLeast("n", n, 1);
        Random rng = new Random(seed);
        double[] history = new double[DELAY_STEPS + 1];
        for (int i = 0; i < history.length; i++) {
            history[i] = 1.1 + 0.2 * rng.nextDouble();
        }
        return integrate(history, TRANSIENT_UNITS, n);
    }

    /** One-step-ahead pairs of {@code n} steps for a model that reads the whole series at once: input x(t), target x(t + 1). */
    public static Pairs pairs(int n, long seed) {
        Check.atLeast("n", n, 1);
        return Pairs.nextStep(series(n + 1, seed));
    }

    /**
     * Integrates from a given history ({@code DELAY_STEPS + 1} values at step DT, the last one being "now"),
     * skips {@code skipUnits} time units and returns the next {@code n}, one per time unit.
     */
    static double[] integrate(double[] history, int skipUnits, int n) {
        int total = history.length - 1 + (skipUnits + n) * STEPS_PER_UNIT;
        double[] x = new double[total + 1];
        System.arraycopy(history, 0, x, 0, history.length);
        for (int k = history.length - 1; k < total; k++) {
            double delayedNow = x[k - DELAY_STEPS];
            double delayedNext = x[k + 1 - DELAY_STEPS];
            double delayedHalf = 0.5 * (delayedNow + delayedNext);
            double k1 = slope(x[k], delayedNow);
            double k2 = slope(x[k] + 0.5 * DT * k1, delayedHalf);
            double k3 = slope(x[k] + 0.5 * DT * k2, delayedHalf);
            double k4 = slope(x[k] + DT * k3, delayedNext);
            x[k + 1] = x[k] + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        double[] out = new double[n];
        int first = history.length - 1 + skipUnits * STEPS_PER_UNIT;
        for (int i = 0; i < n; i++) {
            out[i] = x[first + i * STEPS_PER_UNIT];
        }
        return out;
    }

    private static double slope(double x, double delayed) {
        double d2 = delayed * delayed;
        double d4 = d2 * d2;
        double power = d4 * d4 * d2;
        return BETA * delayed / (1 + power) - GAMMA * x;
    }

    /** Steps per window. */
    public int length() {
        return length;
    }

    /** The seed the underlying series was made from. */
    public long seed() {
        return seed;
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        double[][][] inputs = new double[length][batchSize][1];
        double[][][] values = new double[length][batchSize][1];
        for (int b = 0; b < batchSize; b++) {
            int start = rng.nextInt(series.length - length);
            for (int t = 0; t < length; t++) {
                inputs[t][b][0] = series[start + t];
                values[t][b][0] = series[start + t + 1];
            }
        }
        return Batch.regression(inputs, values);
    }

    @Override
    public int inputSize() {
        return 1;
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
        return "Mackey-Glass (tau = 17): predict the next value of a chaotic series from windows of " + length
                + " steps (series seed " + seed + ", values about 0.4..1.3).";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MackeyGlass other && other.length == length && other.seed == seed;
    }

    @Override
    public int hashCode() {
        return 31 * length + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "MackeyGlass[length=" + length + ", seed=" + seed + "]";
    }
}
