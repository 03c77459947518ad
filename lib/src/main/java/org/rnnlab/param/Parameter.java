package org.rnnlab.param;

/**
 * One block of trainable numbers in the layout the hot loop reads, with its gradient beside it.
 *
 * <p>Storage is row-major {@code double[rows][cols]}: one Java array per row, so the inner loops of the
 * cells are whole-row multiply-adds that the JIT vectorises. A fused weight matrix is stored
 * <em>input-major</em>: row {@code k} holds the weights leaving input {@code k} towards every gate unit. That is
 * the transpose of the textbook {@code W} (which maps inputs to units); {@link WeightView} hides this and
 * shows every named weight (W_xi, W_hf, b_o …) in textbook orientation as an EJML matrix.
 *
 * <p>Optimisers, clipping and gradient checks walk over {@link #value()} and {@link #grad()} directly.
 */
public final class Parameter {
    private final String name;
    private final double[][] value;
    private final double[][] grad;
    private final boolean decays;

    /**
     * @param name   a name for messages and files (e.g. "W" for a cell's fused weights)
     * @param rows   storage rows
     * @param cols   storage columns
     * @param decays true when weight decay (L2) applies; false for biases
     */
    public Parameter(String name, int rows, int cols, boolean decays) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("parameter " + name + " needs a positive shape, got " + rows + "x" + cols);
        }
        this.name = name;
        this.value = new double[rows][cols];
        this.grad = new double[rows][cols];
        this.decays = decays;
    }

    public String name() {
        return name;
    }

    /** The live storage (not a copy): writes change the model. */
    public double[][] value() {
        return value;
    }

    /** The gradient accumulated by the last backward pass (live storage). */
    public double[][] grad() {
        return grad;
    }

    public int rows() {
        return value.length;
    }

    public int cols() {
        return value[0].length;
    }

    /** Number of scalars. */
    public int size() {
        return rows() * cols();
    }

    /** True when L2 weight decay applies to this block (weights), false for biases. */
    public boolean decays() {
        return decays;
    }

    /** Sets the gradient to zero, ready for the next backward pass. */
    public void zeroGrad() {
        for (double[] row : grad) {
            java.util.Arrays.fill(row, 0.0);
        }
    }
}
