package org.rnnlab.reservoir;

import org.ejml.data.DMatrixRMaj;

/**
 * The non-zero entries of a matrix, row by row (compressed sparse rows), for a fast matrix-vector product
 * when most weights are zero, as in a sparse reservoir.
 */
final class SparseRows {
    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;

    SparseRows(DMatrixRMaj m) {
        int nonZeros = 0;
        for (int i = 0, n = m.getNumElements(); i < n; i++) {
            if (m.data[i] != 0) {
                nonZeros++;
            }
        }
        rowStart = new int[m.numRows + 1];
        columns = new int[nonZeros];
        values = new double[nonZeros];
        int k = 0;
        for (int i = 0; i < m.numRows; i++) {
            rowStart[i] = k;
            for (int j = 0; j < m.numCols; j++) {
                double v = m.get(i, j);
                if (v != 0) {
                    columns[k] = j;
                    values[k] = v;
                    k++;
                }
            }
        }
        rowStart[m.numRows] = k;
    }

    /** out += M·x. */
    void multiplyAdd(double[] x, double[] out) {
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                sum += values[k] * x[columns[k]];
            }
            out[i] += sum;
        }
    }
}
