package org.rnnlab.init;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The spectral radius &rho;(W) of a square matrix: the largest modulus |&lambda;| of its eigenvalues
 * (complex eigenvalues count by their modulus &radic;(re² + im²)).
 *
 * <p>Applying W over and over to a vector makes it grow or shrink roughly like &rho;(W)ᵗ, which is why
 * &rho; governs exploding and vanishing signals in a recurrent net, and why echo state networks scale
 * their reservoir to a chosen &rho; (usually just below 1). The spectral norm ‖W‖₂
 * ({@link #largestSingularValue}) bounds how much a single step can stretch a vector; always
 * &rho;(W) &le; ‖W‖₂, and the two can differ a lot: a nilpotent matrix has &rho; = 0 but any ‖W‖₂.
 */
public final class SpectralRadius {

    /** Matrices whose spectral radius is below this fraction of their largest entry count as having none. */
    private static final double NUMERICALLY_ZERO = 1e-12;

    private SpectralRadius() {
    }

    /** The largest |eigenvalue| of a square matrix, computed with EJML's eigen decomposition. */
    public static double of(DMatrixRMaj square) {
        return radius(square, "SpectralRadius.of");
    }

    private static double radius(DMatrixRMaj square, String what) {
        requireSquare(square, what);
        int n = square.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(square.copy())) {
            throw new IllegalStateException("the eigen decomposition of the " + n + "x" + n + " matrix did not converge");
        }
        double radius = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            radius = Math.max(radius, eig.getEigenvalue(i).getMagnitude());
        }
        return radius;
    }

    /**
     * Multiplies the matrix in place by &rho; / &rho;(W), so that its spectral radius becomes {@code rho}
     * (eigenvalues scale with the matrix, so their directions and ratios are kept).
     *
     * @throws IllegalArgumentException when the matrix is not square, {@code rho} is negative or not finite,
     *                                  or the matrix has spectral radius 0 (all zeros, or nilpotent), which
     *                                  no scaling can change
     */
    public static void scaleTo(DMatrixRMaj square, double rho) {
        if (!Double.isFinite(rho) || rho < 0) {
            throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
        }
        double current = radius(square, "SpectralRadius.scaleTo");
        double largest = CommonOps_DDRM.elementMaxAbs(square);
        if (current == 0 || current < NUMERICALLY_ZERO * largest) {
            throw new IllegalArgumentException("cannot scale to spectral radius " + rho + ": the " + square.numRows
                    + "x" + square.numCols + " matrix has spectral radius " + current
                    + (largest == 0 ? " (it is all zeros)" : " (it is nilpotent, e.g. strictly triangular)")
                    + "; fill it with random values first");
        }
        CommonOps_DDRM.scale(rho / current, square);
    }

    /**
     * The spectral norm ‖W‖₂: the largest singular value, i.e. the most W can stretch a unit vector in one
     * step. Works for any shape.
     */
    public static double largestSingularValue(DMatrixRMaj w) {
        if (w == null || w.getNumElements() == 0) {
            throw new IllegalArgumentException("largestSingularValue needs a non-empty matrix, got "
                    + (w == null ? "null" : w.numRows + "x" + w.numCols));
        }
        requireFinite(w);
        return NormOps_DDRM.normP2(w.copy());
    }

    private static void requireSquare(DMatrixRMaj m, String what) {
        if (m == null) {
            throw new IllegalArgumentException(what + " needs a square matrix, got null");
        }
        if (m.numRows != m.numCols || m.numRows == 0) {
            throw new IllegalArgumentException(what + " needs a non-empty square matrix (eigenvalues exist only for "
                    + "square matrices), got " + m.numRows + "x" + m.numCols);
        }
        requireFinite(m);
    }

    private static void requireFinite(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                if (!Double.isFinite(m.get(i, j))) {
                    throw new IllegalArgumentException("the matrix holds " + m.get(i, j) + " at (" + i + ", " + j
                            + "): entries must be finite numbers");
                }
            }
        }
    }
}
