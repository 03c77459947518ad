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
    /** The float32 copy ({@link #packFloats}), in panels of {@code VectorMath.floatPanel()} columns; or null. */
    private float[] floats;
    private double[][] source;
    private int rowOffset;
    private boolean floatsCurrent;

    /** Room for {@code rows} rows of {@code cols} columns. */
    public PackedMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.data = new double[rows * (cols / PANEL) * PANEL];
    }

    /** Copies rows [rowOffset, rowOffset + rows) of {@code w} (at least {@code cols} columns wide) in. */
    public PackedMatrix pack(double[][] w, int rowOffset) {
        this.floatsCurrent = false;
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

    /**
     * Copies rows [rowOffset, rowOffset + rows) of {@code w} in rounded to float32, for the float32 kernels
     * ({@link Precision#FLOAT}); needs the Vector API module ({@link Kernels#AVAILABLE}).
     */
    public PackedMatrix packFloats(double[][] w, int rowOffset) {
        if (!Kernels.AVAILABLE) {
            throw new IllegalStateException("float32 panels need the Vector API: start the JVM with --add-modules "
                    + Kernels.MODULE);
        }
        this.source = w;
        this.rowOffset = rowOffset;
        final int width = Kernels.floatPanel();
        final int panels = cols / width;
        if (floats == null) {
            floats = new float[rows * panels * width];
        }
        for (int k = 0; k < rows; k++) {
            final double[] row = w[rowOffset + k];
            for (int p = 0; p < panels; p++) {
                final int at = (p * rows + k) * width;
                for (int c = 0; c < width; c++) {
                    floats[at + c] = (float) row[p * width + c];
                }
            }
        }
        floatsCurrent = true;
        return this;
    }

    /** Whether the last pack was {@link #packFloats} (the products over this copy then run in float32). */
    public boolean isFloat() {
        return floats != null && floatsCurrent;
    }

    float[] floats() {
        return floats;
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
