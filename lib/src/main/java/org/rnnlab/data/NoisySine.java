package org.rnnlab.data;

import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Next-value prediction on a noisy sine wave: the gentlest time-series task.
 *
 * <p>Each sequence is {@code x(t) = sin(2 pi t / period + phase) + noise * g(t)}, with a period drawn
 * uniformly from [minPeriod, maxPeriod], a phase drawn uniformly from [0, 2 pi) and independent standard
 * normal {@code g(t)}. The input at step t is {@code x(t)}; the target is {@code x(t + 1)}. To predict well
 * the network must infer the period and phase from the values seen so far, while not chasing the noise.
 *
 * <p>The noise of the next value is unpredictable, so even a perfect model keeps a mean squared error of
 * {@code noise * noise}; the early steps of a sequence, where the period is still unknown, cost more.
 * Input and target width are 1 (many-to-many regression).
 *
 * @param length    number of steps per sequence, at least 1
 * @param noise     standard deviation of the added Gaussian noise, in [0, 10]
 * @param minPeriod shortest period in steps, at least 2 (a shorter one cannot be seen at one sample per step)
 * @param maxPeriod longest period in steps, in [minPeriod, 10000]
 */
public record NoisySine(int length, double noise, double minPeriod, double maxPeriod) implements Task {

    /** Checks the parameters (see the record description for the allowed ranges). */
    public NoisySine {
        Check.atLeast("length", length, 1);
        Check.inRange("noise", noise, 0, 10, "it is the standard deviation of the noise, relative to amplitude 1");
        Check.inRange("minPeriod", minPeriod, 2, 10_000, "a period is measured in steps, and one below 2 steps "
                + "cannot be represented at one sample per step");
        Check.inRange("maxPeriod", maxPeriod, minPeriod, 10_000, "maxPeriod must not be below minPeriod = "
                + minPeriod);
    }

    /** Periods between 10 and 40 steps. */
    public NoisySine(int length, double noise) {
        this(length, noise, 10, 40);
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        double[][][] inputs = new double[length][batchSize][1];
        double[][][] values = new double[length][batchSize][1];
        for (int b = 0; b < batchSize; b++) {
            double period = minPeriod + (maxPeriod - minPeriod) * rng.nextDouble();
            double phase = 2 * Math.PI * rng.nextDouble();
            for (int t = 0; t <= length; t++) {
                double x = Math.sin(2 * Math.PI * t / period + phase) + noise * rng.nextGaussian();
                if (t < length) {
                    inputs[t][b][0] = x;
                }
                if (t > 0) {
                    values[t - 1][b][0] = x;
                }
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
        return String.format(Locale.ROOT, "Noisy sine: predict the next value of sin(2 pi t / period + phase)"
                + " + noise, period %.0f..%.0f steps, noise sd %.3g, %d steps. The noise alone costs MSE %.3g.",
                minPeriod, maxPeriod, noise, length, noise * noise);
    }
}
