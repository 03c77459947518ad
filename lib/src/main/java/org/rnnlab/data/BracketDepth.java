package org.rnnlab.data;

import java.util.Objects;
import java.util.Random;

/**
 * Bracket depth: read a string of brackets and filler letters and report, at every step, how deeply
 * nested you are.
 *
 * <p>The string is built left to right: each step is {@code (}, {@code )}, {@code a} or {@code b} with
 * equal chance, except that a {@code )} at depth 0 or a {@code (} at depth {@code maxDepth} is replaced by
 * a filler letter. So the brackets never close more than they opened (the string is a well-formed prefix)
 * and never nest deeper than {@code maxDepth}. The target at step t is the depth after reading symbol t.
 *
 * <p>The network has to count: increment on {@code (}, decrement on {@code )}, hold still on letters,
 * and remember the count over arbitrarily long stretches of filler. This is the same job as a "bracket
 * depth" cell found in language models trained on code.
 *
 * <p>Inputs are one-hot over {@value #ALPHABET}; labels are the depth 0..maxDepth at every step
 * (many-to-many classification with {@code maxDepth + 1} classes).
 *
 * @param length   number of steps per sequence, at least 1
 * @param maxDepth deepest nesting allowed, at least 1
 */
public record BracketDepth(int length, int maxDepth) implements Task {

    /** Input symbols by index: open, close, and two filler letters. */
    public static final String ALPHABET = "()ab";

    private static final int OPEN = 0;
    private static final int CLOSE = 1;
    private static final int FILLER = 2;

    /** Checks the parameters (see the record description for the allowed ranges). */
    public BracketDepth {
        Check.atLeast("length", length, 1);
        Check.atLeast("maxDepth", maxDepth, 1);
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        int size = ALPHABET.length();
        double[][][] inputs = new double[length][batchSize][];
        int[][] labels = new int[length][batchSize];
        for (int b = 0; b < batchSize; b++) {
            int depth = 0;
            for (int t = 0; t < length; t++) {
                int symbol = rng.nextInt(size);
                if ((symbol == OPEN && depth == maxDepth) || (symbol == CLOSE && depth == 0)) {
                    symbol = FILLER + rng.nextInt(size - FILLER);
                }
                if (symbol == OPEN) {
                    depth++;
                } else if (symbol == CLOSE) {
                    depth--;
                }
                inputs[t][b] = OneHot.vector(symbol, size);
                labels[t][b] = depth;
            }
        }
        return Batch.classification(inputs, labels);
    }

    @Override
    public int inputSize() {
        return ALPHABET.length();
    }

    @Override
    public int outputSize() {
        return maxDepth + 1;
    }

    @Override
    public boolean isClassification() {
        return true;
    }

    @Override
    public String description() {
        return "Bracket depth: read " + length + " symbols of " + ALPHABET + " and report the nesting depth (0.."
                + maxDepth + ") after each one.";
    }
}
