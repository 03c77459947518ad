package org.rnnlab.init;

import java.util.Objects;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * How a weight matrix gets its starting values.
 *
 * <p>Matrices are in math orientation: a weight {@code W} that maps an n-vector to an m-vector is an
 * m&times;n matrix, so its <em>fan-in</em> is the number of columns and its <em>fan-out</em> the number
 * of rows. Randomness always comes from the {@link Random} passed to {@link #fill}: the same seed gives
 * bit-identical weights.
 *
 * <p>The factories are the usual choices of the literature; {@link #name()} says which one was used
 * (handy in a notebook table). Any lambda {@code (w, rng) -> ...} is an {@code Init} too.
 */
@FunctionalInterface
public interface Init {

    /** Overwrites every entry of {@code w} with a starting value, drawing any randomness from {@code rng}. */
    void fill(DMatrixRMaj w, Random rng);

    /** A short description for display, such as {@code "orthogonal(1.0)"}; {@code "custom"} for a plain lambda. */
    default String name() {
        return "custom";
    }

    /** A new {@code rows}&times;{@code cols} matrix filled by this initialiser. */
    default DMatrixRMaj matrix(int rows, int cols, Random rng) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("a matrix needs rows >= 0 and cols >= 0, got " + rows + "x" + cols);
        }
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        fill(w, rng);
        return w;
    }

    /** Independent draws from the uniform distribution on [&minus;scale, scale]. */
    static Init uniform(double scale) {
        requireNonNegative("scale", scale);
        return new NamedInit("uniform(" + scale + ")", (w, rng) -> fillUniform(w, requireRng(rng), scale));
    }

    /** Independent draws from a normal distribution with mean 0 and standard deviation {@code std}. */
    static Init normal(double std) {
        requireNonNegative("std", std);
        return new NamedInit("normal(" + std + ")", (w, rng) -> {
            requireRng(rng);
            double[] d = w.data;
            for (int i = 0, n = w.getNumElements(); i < n; i++) {
                d[i] = std * rng.nextGaussian();
            }
        });
    }

    /**
     * "Weights start small and random": {@code normal(0.01)}, mean 0 and standard deviation 0.01.
     * Small so that tanh and sigmoid units start in their near-linear range, random so that no two units
     * compute the same thing (with equal weights they would get equal gradients and never differ).
     * In a deep or long recurrent net such tiny weights make signals and gradients shrink step by step,
     * which is why {@link #xavier()} and {@link #orthogonal(double)} exist.
     */
    static Init smallRandom() {
        Init normal = normal(0.01);
        return new NamedInit("smallRandom() = normal(0.01)", normal::fill);
    }

    /**
     * Glorot/Xavier uniform (Glorot &amp; Bengio 2010): U[&minus;L, L] with L = &radic;(6 / (fanIn + fanOut)),
     * fanIn = columns, fanOut = rows. The variance 2 / (fanIn + fanOut) keeps the size of signals going
     * forward and of gradients going backward roughly constant through a tanh layer.
     */
    static Init xavier() {
        return new NamedInit("xavier()", (w, rng) -> {
            requireRng(rng);
            fillUniform(w, rng, Math.sqrt(6.0 / (w.numRows + w.numCols)));
        });
    }

    /**
     * A random orthogonal matrix times {@code gain} (Saxe et al. 2014): the Q of the QR decomposition of a
     * Gaussian matrix, with each column's sign flipped to make R's diagonal positive (without that fix Q
     * would not be uniformly distributed). All singular values equal {@code gain}, so multiplying by W
     * neither grows nor shrinks a vector when gain = 1 &mdash; the point for recurrent weights.
     *
     * <p>For a non-square matrix the shorter side is orthonormal: a tall matrix (rows &ge; cols) has
     * orthonormal columns (WᵀW = gain²·I), a wide one orthonormal rows (WWᵀ = gain²·I).
     */
    static Init orthogonal(double gain) {
        requireNonNegative("gain", gain);
        return new NamedInit("orthogonal(" + gain + ")", (w, rng) -> fillOrthogonal(w, requireRng(rng), gain));
    }

    /**
     * {@code scale}·I: ones (times scale) on the leading diagonal, zeros elsewhere (for a non-square matrix,
     * the diagonal starting at the top left). With ReLU units this is the IRNN of Le, Jaitly &amp; Hinton
     * (2015): at the start the recurrent layer just carries its state forward.
     */
    static Init identity(double scale) {
        requireFinite("scale", scale);
        return new NamedInit("identity(" + scale + ")", (w, rng) -> {
            w.zero();
            for (int i = 0, n = Math.min(w.numRows, w.numCols); i < n; i++) {
                w.set(i, i, scale);
            }
        });
    }

    /** All zeros: the usual start for biases (for weights it makes all units identical). */
    static Init zeros() {
        return new NamedInit("zeros()", (w, rng) -> w.zero());
    }

    /** Every entry equal to {@code value}, e.g. a forget-gate bias of 1. */
    static Init constant(double value) {
        requireFinite("value", value);
        return new NamedInit("constant(" + value + ")", (w, rng) -> CommonOps_DDRM.fill(w, value));
    }

    /**
     * Fills with {@code base}, then rescales the matrix so that its spectral radius (largest |eigenvalue|) is
     * {@code rho}. Only for square matrices: recurrent weights W, as in echo state networks.
     *
     * @throws IllegalArgumentException from {@link #fill} when the matrix is not square, or when base gives a
     *                                  matrix whose spectral radius is 0 (such as all zeros)
     */
    static Init scaledToSpectralRadius(Init base, double rho) {
        Objects.requireNonNull(base, "base initialiser is null: pass one, e.g. Init.normal(1.0)");
        requireNonNegative("rho", rho);
        return new NamedInit("scaledToSpectralRadius(" + base.name() + ", " + rho + ")", (w, rng) -> {
            if (w.numRows != w.numCols) {
                throw new IllegalArgumentException("scaledToSpectralRadius needs a square matrix (eigenvalues exist "
                        + "only for square matrices), got " + w.numRows + "x" + w.numCols
                        + "; use it for recurrent weights (N x N)");
            }
            base.fill(w, rng);
            SpectralRadius.scaleTo(w, rho);
        });
    }

    private static void fillUniform(DMatrixRMaj w, Random rng, double scale) {
        double[] d = w.data;
        for (int i = 0, n = w.getNumElements(); i < n; i++) {
            d[i] = scale * (2 * rng.nextDouble() - 1);
        }
    }

    private static void fillOrthogonal(DMatrixRMaj w, Random rng, double gain) {
        int m = Math.max(w.numRows, w.numCols);
        int n = Math.min(w.numRows, w.numCols);
        if (n == 0) {
            return;
        }
        DMatrixRMaj gaussian = new DMatrixRMaj(m, n);
        for (int i = 0; i < m * n; i++) {
            gaussian.data[i] = rng.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m, n);
        if (!qr.decompose(gaussian)) {
            throw new IllegalStateException("QR decomposition failed for a " + m + "x" + n + " Gaussian matrix");
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        for (int j = 0; j < n; j++) {
            double s = r.get(j, j) < 0 ? -gain : gain;
            for (int i = 0; i < m; i++) {
                q.set(i, j, s * q.get(i, j));
            }
        }
        if (w.numRows >= w.numCols) {
            w.setTo(q);
        } else {
            CommonOps_DDRM.transpose(q, w);
        }
    }

    private static Random requireRng(Random rng) {
        return Objects.requireNonNull(rng, "rng is null: pass a java.util.Random, e.g. new Random(42)");
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
