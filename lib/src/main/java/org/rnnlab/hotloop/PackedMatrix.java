package org.rnnlab.hotloop;

/**
 * A copy of a block of rows of a weight matrix, laid out for the Vector API kernels: cut into column panels of
 * {@link #PANEL} columns, each panel stored row after row in one flat array, so that the kernel reads the weights
 * it needs as one forward stream (no row pointers, no bounds check per row). Columns past the last whole panel are
 * read from the source rows.
 *
 * <p>A training step reads the same weights at every time step, so a cell packs them once per pass
 * ({@code beginForward}, {@code beginBackward}) and the T steps of the pass read the packed copy. The copy is only
 * as fresh as its last {@link #pack}: whoever holds one must pack again after the weights change.
 */
public final class PackedMatrix {
    /** Columns per panel: two vectors of the kernels ({@code VectorMath}); 8 on JVMs without the module. */
    public static final int PANEL = Kernels.AVAILABLE ? 2 * Kernels.lanes() : 8;

    private final int rows;
    private final int cols;
    /** data[p · rows · PANEL + k · PANEL + c] = W[rowOffset + k][p · PANEL + c]. */
    private final double[] data;
    private double[][] source;
    private int rowOffset;

    /** Room for {@code rows} rows of {@code cols} columns. */
    public PackedMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.data = new double[rows * (cols / PANEL) * PANEL];
    }

    /** Copies rows [rowOffset, rowOffset + rows) of {@code w} (at least {@code cols} columns wide) in. */
    public PackedMatrix pack(double[][] w, int rowOffset) {
        this.source = w;
        this.rowOffset = rowOffset;
        final int panels = cols / PANEL;
        for (int k = 0; k < rows; k++) {
            final double[] row = w[rowOffset + k];
            for (int p = 0; p < panels; p++) {
                System.arraycopy(row, p * PANEL, data, (p * rows + k) * PANEL, PANEL);
            }
        }
        return this;
    }

    /** Rows of the block. */
    public int rows() {
        return rows;
    }

    /** Columns of the block. */
    public int cols() {
        return cols;
    }

    double[] data() {
        return data;
    }

    /** The matrix last packed (its rows past the last whole panel are read from it). */
    double[][] source() {
        return source;
    }

    /** Where the block starts in {@link #source()}. */
    int rowOffset() {
        return rowOffset;
    }
}
