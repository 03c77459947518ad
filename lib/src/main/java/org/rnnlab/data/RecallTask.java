package org.rnnlab.data;

import java.util.Objects;
import java.util.Random;

/**
 * The recall task: at every step the network sees a random symbol and must name <em>each</em> of the last
 * {@code lags} symbols it saw, the one 1 step back, the one 2 steps back, and so on up to {@code lags} steps back.
 *
 * <p>It is the {@link DelayTask} for several delays at once, in one network, which makes it a window on how a
 * recurrent network learns over time. To name the symbol k steps back at step t, the state at step t−1 must already
 * hold the symbol k−1 steps back: each lag is built on the one before. Watching the accuracy of every lag during
 * training shows the order in which they are learned (the short lags first) and how much later the long ones
 * come, if at all.
 *
 * <p>Inputs are one-hot vectors of width {@code symbols}. The target at step t ≥ {@code lags} is a vector of
 * {@code lags × symbols} numbers: block k−1 (entries (k−1)·symbols … k·symbols−1) is the one-hot code of the symbol
 * seen k steps earlier. It is a regression target (train with {@code Loss.MSE}); the network's guess for lag k is
 * the largest output of block k−1 ({@link #accuracyPerLag}). Steps t &lt; {@code lags} have no target. Guessing
 * scores {@code 1 / symbols} for every lag.
 *
 * @param symbols number of distinct symbols, at least 2
 * @param lags    how many past symbols to name at each step, at least 1
 * @param length  number of steps per sequence, more than {@code lags}
 */
public record RecallTask(int symbols, int lags, int length) implements Task {

    /** Checks the parameters (see the record description for the allowed ranges). */
    public RecallTask {
        Check.atLeast("symbols", symbols, 2);
        Check.atLeast("lags", lags, 1);
        Check.atLeast("length", length, lags + 1);
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        return draw(batchSize, rng, false);
    }

    /**
     * A batch with a target at the last step only: the many-to-one view, in which ∂L/∂h_t at step t measures how
     * much the final answer depends on step t (what {@code GradientFlow} plots against the lag).
     */
    public Batch lastStepBatch(int batchSize, long seed) {
        return draw(batchSize, new Random(seed), true);
    }

    private Batch draw(int batchSize, Random rng, boolean lastOnly) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        int[][] seen = new int[length][batchSize];
        double[][][] inputs = new double[length][batchSize][];
        double[][][] values = new double[length][][];
        for (int t = 0; t < length; t++) {
            for (int b = 0; b < batchSize; b++) {
                int s = rng.nextInt(symbols);
                seen[t][b] = s;
                inputs[t][b] = OneHot.vector(s, symbols);
            }
            if (t < lags || (lastOnly && t < length - 1)) {
                continue;                                            // no target at this step
            }
            values[t] = new double[batchSize][symbols * lags];
            for (int b = 0; b < batchSize; b++) {
                for (int k = 1; k <= lags; k++) {
                    values[t][b][(k - 1) * symbols + seen[t - k][b]] = 1.0;
                }
            }
        }
        return Batch.regression(inputs, values);
    }

    /**
     * For every lag k = 1 … lags (entry k−1), the fraction of targets whose symbol k steps back the model named
     * right: the largest of the model's outputs in block k−1.
     *
     * @param predictions the model's outputs {@code [T][B][lags × symbols]}, e.g. {@code model.predict(batch)}
     * @param batch       a batch of this task
     */
    public double[] accuracyPerLag(double[][][] predictions, Batch batch) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(batch, "batch");
        if (batch.isClassification() || batch.targetSize() != symbols * lags) {
            throw new IllegalArgumentException("the batch is not from this task: expected real-valued targets of width "
                    + symbols * lags + " (" + lags + " lags × " + symbols + " symbols)");
        }
        if (predictions.length != batch.length()) {
            throw new IllegalArgumentException("predictions have " + predictions.length + " steps, the batch has "
                    + batch.length() + "; pass model.predict(batch)");
        }
        double[] right = new double[lags];
        int targets = 0;
        for (int t = 0; t < batch.length(); t++) {
            double[][] want = batch.valuesAt(t);
            if (want == null) {
                continue;
            }
            for (int b = 0; b < batch.size(); b++) {
                double[] out = predictions[t][b];
                if (out == null || out.length != symbols * lags) {
                    throw new IllegalArgumentException("prediction [" + t + "][" + b + "] must have "
                            + symbols * lags + " outputs, got " + (out == null ? "null" : out.length));
                }
                targets++;
                for (int k = 0; k < lags; k++) {
                    int from = k * symbols;
                    right[k] += argmax(out, from) == argmax(want[b], from) ? 1 : 0;
                }
            }
        }
        for (int k = 0; k < lags; k++) {
            right[k] /= targets;
        }
        return right;
    }

    private int argmax(double[] v, int from) {
        int best = from;
        for (int i = from + 1; i < from + symbols; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best - from;
    }

    @Override
    public int inputSize() {
        return symbols;
    }

    @Override
    public int outputSize() {
        return symbols * lags;
    }

    @Override
    public boolean isClassification() {
        return false;
    }

    @Override
    public String description() {
        return "Recall: at every step, name each of the last " + lags + " symbols (" + symbols + " symbols, "
                + length + " steps; no target for the first " + lags + "). Guessing scores 1/" + symbols
                + " for every lag.";
    }
}
