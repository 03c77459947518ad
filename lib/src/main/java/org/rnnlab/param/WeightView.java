package org.rnnlab.param;

import org.ejml.data.DMatrixRMaj;

/**
 * A named weight matrix or bias vector (W_xi, W_hf, b_o …) seen in textbook orientation, backed by a block of
 * a fused {@link Parameter}.
 *
 * <p>The textbook matrix {@code M} ({@code rows} × {@code cols}, mapping a {@code cols}-vector to a
 * {@code rows}-vector) is stored transposed: {@code M[i][j] = storage[rowOffset + j][colOffset + i]}.
 * A bias or peephole vector is an {@code n}×1 column. {@link #get()} returns a copy as an EJML matrix;
 * {@link #set(DMatrixRMaj)} writes through into the storage the cells compute with, so there is only ever one
 * copy of each parameter.
 *
 * <p>A parameter may also hold one textbook matrix whole, row-major in a single storage row (see
 * {@link #whole(Parameter, int, int, Kind)}): {@code M[i][j] = storage[0][i · cols + j]}. That is how the readable
 * cells of {@code org.rnnlab.textbook} keep each named weight in a parameter of its own.
 */
public final class WeightView {
    private final String name;
    private final Parameter parameter;
    private final int rowOffset;
    private final int colOffset;
    private final int rows;
    private final int cols;
    private final Kind kind;
    /** True for a whole textbook matrix stored row-major in one row; false for a transposed block of fused storage. */
    private final boolean rowMajor;

    /** What role the block plays; initialisers and penalties pick blocks by kind. */
    public enum Kind {
        /** Input-to-unit weights (W_x…). */
        INPUT,
        /** Hidden-to-unit weights, multiplied in at every time step (W_h…). */
        RECURRENT,
        /** Biases (b_…). */
        BIAS,
        /** Peephole weights (diagonal: one per unit). */
        PEEPHOLE,
        /** Readout weights (W_y). */
        OUTPUT
    }

    /**
     * @param name      the textbook name
     * @param parameter the fused storage
     * @param rowOffset first storage row (the first input this block reads)
     * @param colOffset first storage column (the first unit this block feeds)
     * @param rows      textbook rows (units fed)
     * @param cols      textbook columns (inputs read; 1 for a vector)
     * @param kind      the role of the block
     */
    public WeightView(String name, Parameter parameter, int rowOffset, int colOffset, int rows, int cols, Kind kind) {
        if (rowOffset + cols > parameter.rows() || colOffset + rows > parameter.cols()) {
            throw new IllegalArgumentException("view " + name + " (" + rows + "x" + cols + ") does not fit in "
                    + parameter.name() + " (" + parameter.rows() + "x" + parameter.cols() + ")");
        }
        this.name = name;
        this.parameter = parameter;
        this.rowOffset = rowOffset;
        this.colOffset = colOffset;
        this.rows = rows;
        this.cols = cols;
        this.kind = kind;
        this.rowMajor = false;
    }

    private WeightView(Parameter parameter, int rows, int cols, Kind kind) {
        if (parameter.rows() != 1 || parameter.cols() != rows * cols) {
            throw new IllegalArgumentException("view " + parameter.name() + " (" + rows + "x" + cols
                    + ") needs a parameter of 1x" + rows * cols + ", got " + parameter.rows() + "x" + parameter.cols());
        }
        this.name = parameter.name();
        this.parameter = parameter;
        this.rowOffset = 0;
        this.colOffset = 0;
        this.rows = rows;
        this.cols = cols;
        this.kind = kind;
        this.rowMajor = true;
    }

    /**
     * A view of a parameter that holds one whole textbook matrix ({@code rows} × {@code cols}, a vector when cols is
     * 1) row-major in a single storage row of {@code rows · cols} entries; the view takes the parameter's name. The
     * same numbers can then be computed on directly as {@code DMatrixRMaj.wrap(rows, cols, parameter.value()[0])}.
     */
    public static WeightView whole(Parameter parameter, int rows, int cols, Kind kind) {
        return new WeightView(parameter, rows, cols, kind);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Textbook rows (number of units this block feeds). */
    public int rows() {
        return rows;
    }

    /** Textbook columns (number of inputs it reads; 1 for a bias or peephole vector). */
    public int cols() {
        return cols;
    }

    /** The fused storage behind this view. */
    public Parameter parameter() {
        return parameter;
    }

    /** A copy of the current values in textbook orientation. */
    public DMatrixRMaj get() {
        return read(parameter.value());
    }

    /** A copy of the current gradient in textbook orientation. */
    public DMatrixRMaj grad() {
        return read(parameter.grad());
    }

    private DMatrixRMaj read(double[][] storage) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        if (rowMajor) {
            System.arraycopy(storage[0], 0, m.data, 0, rows * cols);
            return m;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.unsafe_set(i, j, storage[rowOffset + j][colOffset + i]);
            }
        }
        return m;
    }

    /** Writes {@code m} (textbook orientation) into the model's storage; the model uses it from the next step on. */
    public void set(DMatrixRMaj m) {
        if (m.numRows != rows || m.numCols != cols) {
            throw new IllegalArgumentException(name + " is " + rows + "x" + cols + ", got a " + m.numRows + "x"
                    + m.numCols + " matrix");
        }
        double[][] storage = parameter.value();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = m.unsafe_get(i, j);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + "(" + i + "," + j + ") = " + v + ": weights must be finite");
                }
                if (rowMajor) {
                    storage[0][i * cols + j] = v;
                } else {
                    storage[rowOffset + j][colOffset + i] = v;
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + rows + "x" + cols + ", " + kind.name().toLowerCase() + ")";
    }
}
