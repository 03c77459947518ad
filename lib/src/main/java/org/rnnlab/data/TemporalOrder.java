package org.rnnlab.data;

import java.util.Objects;
import java.util.Random;

/**
 * Hochreiter and Schmidhuber's temporal order task (1997): remember which of two symbols came first.
 *
 * <p>A sequence starts with {@code B}, ends with {@code E}, and is otherwise filled with random distractor
 * symbols {@code a b c d}, except at two positions: one inside the first window, one inside the second.
 * Each of these holds an {@code X} or a {@code Y}. At the last step the network must name the pattern:
 * class 0 = XX, 1 = XY, 2 = YX, 3 = YY. It has to store two symbols, in order, across the distractors,
 * and ignore everything else. Guessing scores 25%.
 *
 * <p>The inputs are one-hot over the alphabet {@value #ALPHABET} (index 4 is X, 5 is Y); the only label is
 * at the last step (many-to-one). With {@code new TemporalOrder(100)} the windows are steps 10..20 and
 * 50..60, as in the original paper.
 *
 * @param length     number of steps per sequence, at least 4
 * @param firstFrom  first step (inclusive) where the first X/Y may appear, at least 1 (step 0 is B)
 * @param firstTo    last step (inclusive) of the first window
 * @param secondFrom first step of the second window, after {@code firstTo}
 * @param secondTo   last step of the second window, at most {@code length - 2} (the last step is E)
 */
public record TemporalOrder(int length, int firstFrom, int firstTo, int secondFrom, int secondTo)
        implements Task {

    /** Input symbols by index: distractors a, b, c, d, the relevant X and Y, begin B and end E. */
    public static final String ALPHABET = "abcdXYBE";

    private static final int DISTRACTORS = 4;
    private static final int X = 4;
    private static final int BEGIN = 6;
    private static final int END = 7;

    /** Checks that the windows are ordered, do not overlap, and lie strictly between B and E. */
    public TemporalOrder {
        Check.atLeast("length", length, 4);
        Check.inRange("firstFrom", firstFrom, 1, length - 3, "step 0 holds B and the second window must follow");
        Check.inRange("firstTo", firstTo, firstFrom, length - 3, "the first window is firstFrom..firstTo and "
                + "must end before the second");
        Check.inRange("secondFrom", secondFrom, firstTo + 1, length - 2, "the second window starts after "
                + "firstTo = " + firstTo + " and before the final E");
        Check.inRange("secondTo", secondTo, secondFrom, length - 2, "the second window is secondFrom..secondTo "
                + "and the last step holds E");
    }

    /** The original layout scaled to {@code length}: windows at 10%..20% and 50%..60% of the sequence. */
    public TemporalOrder(int length) {
        this(length, scaled(length, 0.1), Math.max(scaled(length, 0.1), scaled(length, 0.2)),
                scaled(length, 0.5), Math.max(scaled(length, 0.5), scaled(length, 0.6)));
    }

    private static int scaled(int length, double fraction) {
        if (length < 4) {
            return 1;
        }
        return (int) Math.min(length - 2, Math.max(1, Math.round(fraction * length)));
    }

    @Override
    public Batch batch(int batchSize, Random rng) {
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        int size = ALPHABET.length();
        double[][][] inputs = new double[length][batchSize][];
        int[][] labels = new int[length][batchSize];
        for (int b = 0; b < batchSize; b++) {
            int first = firstFrom + rng.nextInt(firstTo - firstFrom + 1);
            int second = secondFrom + rng.nextInt(secondTo - secondFrom + 1);
            int firstIsY = rng.nextInt(2);
            int secondIsY = rng.nextInt(2);
            for (int t = 0; t < length; t++) {
                int symbol;
                if (t == 0) {
                    symbol = BEGIN;
                } else if (t == length - 1) {
                    symbol = END;
                } else if (t == first) {
                    symbol = X + firstIsY;
                } else if (t == second) {
                    symbol = X + secondIsY;
                } else {
                    symbol = rng.nextInt(DISTRACTORS);
                }
                inputs[t][b] = OneHot.vector(symbol, size);
                labels[t][b] = Batch.NO_TARGET;
            }
            labels[length - 1][b] = 2 * firstIsY + secondIsY;
        }
        return Batch.classification(inputs, labels);
    }

    @Override
    public int inputSize() {
        return ALPHABET.length();
    }

    @Override
    public int outputSize() {
        return 4;
    }

    @Override
    public boolean isClassification() {
        return true;
    }

    @Override
    public String description() {
        return "Temporal order: " + length + " steps of distractors with an X or Y somewhere in steps " + firstFrom
                + ".." + firstTo + " and another in " + secondFrom + ".." + secondTo
                + "; at the end classify XX, XY, YX or YY. Guessing scores 25%.";
    }
}
