package org.rnnlab.data;

import java.util.Objects;
import java.util.Random;

/**
 * The delay (or "copy after a lag") task: at every step the network sees a random symbol and must
 * answer with the symbol it saw {@code delay} steps earlier.
 *
 * <p>To do this the hidden state has to hold the last {@code delay} symbols at once, like a shift
 * register. Plotting accuracy against the delay shows how fast a network's memory fades: a plain RNN
 * loses the thread after a few steps, an LSTM holds on much longer. Steps {@code t < delay} have no
 * target (there is nothing to recall yet). Guessing scores {@code 1 / symbols}.
 *
 * <p>Inputs are one-hot vectors of width {@code symbols}; labels are symbol indices (many-to-many).
 *
 * @param symbols number of distinct symbols, at least 2
 * @param delay   how many steps back the target lies, from 0 (echo the current symbol) to {@code length - 1}
 * @param length  number of steps per sequence, at least 1
 */
public record DelayTask(int symbols, int delay, int length) implements Task {

    /** Checks the parameters (see the record description for the allowed ranges). */
    public DelayTask {
        Check.atLeast("symbols", symbols, 2);
        Check.atLeast("length", length, 1);
        Check.inRange("delay", delay, 0, length - 1,
                "the delay must be shorter than the sequence length " + length);
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        int[][] seen = new int[length][batchSize];
        double[][][] inputs = new double[length][batchSize][];
        int[][] labels = new int[length][batchSize];
        for (int t = 0; t < length; t++) {
            for (int b = 0; b < batchSize; b++) {
                int s = rng.nextInt(symbols);
                seen[t][b] = s;
                inputs[t][b] = OneHot.vector(s, symbols);
                labels[t][b] = t < delay ? Batch.NO_TARGET : seen[t - delay][b];
            }
        }
        return Batch.classification(inputs, labels);
    }

    @Override
    public int inputSize() {
        return symbols;
    }

    @Override
    public int outputSize() {
        return symbols;
    }

    @Override
    public boolean isClassification() {
        return true;
    }

    @Override
    public String description() {
        return "Delay: at every step, name the symbol seen " + delay + " steps earlier (" + symbols + " symbols, "
                + length + " steps; no target for the first " + delay + "). Guessing scores 1/" + symbols
                + " accuracy.";
    }
}
