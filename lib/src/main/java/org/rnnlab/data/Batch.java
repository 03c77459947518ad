package org.rnnlab.data;

import java.util.Arrays;

/**
 * A minibatch of equal-length sequences, laid out time-major the way the recurrent loop reads it:
 * {@code inputs[t][b]} is the input vector of sequence {@code b} at time step {@code t}.
 *
 * <p>Targets come in one of two kinds. A classification batch has {@code labels[t][b]}, a class index,
 * or {@link #NO_TARGET} where that step has nothing to predict. A regression batch has
 * {@code values[t][b]}, a target vector, or a {@code null} row {@code values[t]} where step {@code t}
 * has no target. Many-to-one tasks put a target only at the last step; many-to-many put one everywhere.
 *
 * <p>The arrays are shared, not copied: a batch is a view of data the caller keeps (the library never
 * writes into them).
 */
public final class Batch {
    /** Marks a time step (of one sequence) that has no class target. */
    public static final int NO_TARGET = -1;

    private final double[][][] inputs;
    private final int[][] labels;
    private final double[][][] values;

    private Batch(double[][][] inputs, int[][] labels, double[][][] values) {
        this.inputs = inputs;
        this.labels = labels;
        this.values = values;
    }

    /** A classification batch: {@code inputs[T][B][X]}, {@code labels[T][B]} (class index or {@link #NO_TARGET}). */
    public static Batch classification(double[][][] inputs, int[][] labels) {
        checkInputs(inputs);
        if (labels == null || labels.length != inputs.length) {
            throw new IllegalArgumentException("labels must have one row per time step: expected "
                    + inputs.length + " rows, got " + (labels == null ? "null" : labels.length));
        }
        int batch = inputs[0].length;
        boolean any = false;
        for (int t = 0; t < labels.length; t++) {
            if (labels[t] == null || labels[t].length != batch) {
                throw new IllegalArgumentException("labels[" + t + "] must hold one label per sequence: expected "
                        + batch + ", got " + (labels[t] == null ? "null" : labels[t].length));
            }
            for (int b = 0; b < batch; b++) {
                if (labels[t][b] < NO_TARGET) {
                    throw new IllegalArgumentException("labels[" + t + "][" + b + "] = " + labels[t][b]
                            + ": a label is a class index >= 0, or Batch.NO_TARGET (-1) for no target");
                }
                any |= labels[t][b] >= 0;
            }
        }
        if (!any) {
            throw new IllegalArgumentException("the batch has no target at any step: nothing to learn from");
        }
        return new Batch(inputs, labels, null);
    }

    /** A regression batch: {@code inputs[T][B][X]}, {@code values[T][B][Y]} with {@code values[t] == null} for no target at step t. */
    public static Batch regression(double[][][] inputs, double[][][] values) {
        checkInputs(inputs);
        if (values == null || values.length != inputs.length) {
            throw new IllegalArgumentException("values must have one row per time step: expected "
                    + inputs.length + ", got " + (values == null ? "null" : values.length));
        }
        int batch = inputs[0].length;
        int width = -1;
        for (int t = 0; t < values.length; t++) {
            if (values[t] == null) {
                continue;
            }
            if (values[t].length != batch) {
                throw new IllegalArgumentException("values[" + t + "] must hold one target per sequence: expected "
                        + batch + ", got " + values[t].length);
            }
            for (int b = 0; b < batch; b++) {
                double[] v = values[t][b];
                if (v == null || v.length == 0 || (width >= 0 && v.length != width)) {
                    throw new IllegalArgumentException("values[" + t + "][" + b + "] must be a target vector of length "
                            + (width < 0 ? "> 0" : width) + ", got " + (v == null ? "null" : v.length));
                }
                width = v.length;
                for (double x : v) {
                    if (!Double.isFinite(x)) {
                        throw new IllegalArgumentException("values[" + t + "][" + b + "] holds " + x
                                + ": targets must be finite numbers");
                    }
                }
            }
        }
        if (width < 0) {
            throw new IllegalArgumentException("the batch has no target at any step: nothing to learn from");
        }
        return new Batch(inputs, null, values);
    }

    /**
     * A batch of inputs with no target, {@code inputs[t][b][k]}: for running a model over sequences and supplying
     * the loss's gradient yourself ({@code SequenceModel.unroll}). Training needs targets and refuses it.
     */
    public static Batch inputsOnly(double[][][] inputs) {
        checkInputs(inputs);
        return new Batch(inputs, null, null);
    }

    private static void checkInputs(double[][][] inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one time step; got an empty sequence");
        }
        if (inputs[0] == null || inputs[0].length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence; got none at step 0");
        }
        int batch = inputs[0].length;
        int width = inputs[0][0] == null ? 0 : inputs[0][0].length;
        if (width == 0) {
            throw new IllegalArgumentException("input vectors must have at least one component");
        }
        for (int t = 0; t < inputs.length; t++) {
            if (inputs[t] == null || inputs[t].length != batch) {
                throw new IllegalArgumentException("inputs[" + t + "] must hold " + batch
                        + " sequences (as step 0 does), got " + (inputs[t] == null ? "null" : inputs[t].length)
                        + "; all sequences of a batch have the same length");
            }
            for (int b = 0; b < batch; b++) {
                double[] x = inputs[t][b];
                if (x == null || x.length != width) {
                    throw new IllegalArgumentException("inputs[" + t + "][" + b + "] must have " + width
                            + " components, got " + (x == null ? "null" : x.length));
                }
                for (int k = 0; k < width; k++) {
                    if (!Double.isFinite(x[k])) {
                        throw new IllegalArgumentException("inputs[" + t + "][" + b + "][" + k + "] is " + x[k]
                                + ": inputs must be finite numbers (check the data for NaN or Inf)");
                    }
                }
            }
        }
    }

    /** Number of time steps T. */
    public int length() {
        return inputs.length;
    }

    /** Number of sequences B. */
    public int size() {
        return inputs[0].length;
    }

    /** Width X of an input vector. */
    public int inputSize() {
        return inputs[0][0].length;
    }

    /** True for class labels (softmax cross-entropy), false for real-valued targets (mean squared error). */
    public boolean isClassification() {
        return labels != null;
    }

    /** Width Y of a regression target vector; for classification, the largest label + 1. */
    public int targetSize() {
        if (labels != null) {
            int max = -1;
            for (int[] row : labels) {
                for (int l : row) {
                    max = Math.max(max, l);
                }
            }
            return max + 1;
        }
        if (values != null) {
            for (double[][] row : values) {
                if (row != null) {
                    return row[0].length;
                }
            }
        }
        throw new IllegalStateException("this batch has inputs only, no targets");
    }

    /** Inputs at step t: {@code [B][X]}. */
    public double[][] inputsAt(int t) {
        return inputs[t];
    }

    /** Class labels at step t ({@code [B]}), or null for a regression batch. */
    public int[] labelsAt(int t) {
        return labels == null ? null : labels[t];
    }

    /** Regression targets at step t ({@code [B][Y]}), or null where step t has none (or for classification). */
    public double[][] valuesAt(int t) {
        return values == null ? null : values[t];
    }

    /** True where step t has a target for at least one sequence. */
    public boolean hasTargetAt(int t) {
        if (labels != null) {
            for (int l : labels[t]) {
                if (l >= 0) {
                    return true;
                }
            }
            return false;
        }
        return values != null && values[t] != null;
    }

    /** False for a batch of {@link #inputsOnly inputs only}, which a model can run over but not learn from. */
    public boolean hasTargets() {
        return labels != null || values != null;
    }

    /** The steps from {@code from} (inclusive) to {@code to} (exclusive) as a batch of their own (arrays shared). */
    public Batch slice(int from, int to) {
        if (from < 0 || to > length() || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is not inside the batch's "
                    + length() + " steps");
        }
        return new Batch(Arrays.copyOfRange(inputs, from, to),
                labels == null ? null : Arrays.copyOfRange(labels, from, to),
                values == null ? null : Arrays.copyOfRange(values, from, to));
    }

    @Override
    public String toString() {
        return "Batch[" + size() + " sequences x " + length() + " steps, input " + inputSize() + ", "
                + (isClassification() ? "classes" : hasTargets() ? "regression targets of width " + targetSize() : "no targets") + "]";
    }
}
