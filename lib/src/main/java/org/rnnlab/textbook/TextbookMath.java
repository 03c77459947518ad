package org.rnnlab.textbook;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The few operations the textbook cells are written in, on column vectors, each returning a new matrix so that
 * a line of code reads like its equation. Not tuned: clarity first.
 */
final class TextbookMath {
    private TextbookMath() {
    }

    /** The array {@code a} (length n) seen as an n×1 column vector, sharing its storage. */
    static DMatrixRMaj column(int n, double[] a) {
        return DMatrixRMaj.wrap(n, 1, a);
    }

    /** An n×1 vector of zeros. */
    static DMatrixRMaj zeros(int n) {
        return new DMatrixRMaj(n, 1);
    }

    /** An n×1 vector of ones. */
    static DMatrixRMaj ones(int n) {
        DMatrixRMaj m = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.fill(m, 1.0);
        return m;
    }

    /** W v. */
    static DMatrixRMaj times(Weight w, DMatrixRMaj v) {
        DMatrixRMaj wv = new DMatrixRMaj(w.value().numRows, 1);
        CommonOps_DDRM.mult(w.value(), v, wv);
        return wv;
    }

    /** Wᵀ v: how a gradient at W's outputs flows back to its inputs. */
    static DMatrixRMaj timesTransposed(Weight w, DMatrixRMaj v) {
        DMatrixRMaj wtv = new DMatrixRMaj(w.value().numCols, 1);
        CommonOps_DDRM.multTransA(w.value(), v, wtv);
        return wtv;
    }

    /** W_x x + W_h h + b: the affine map every gate starts from. */
    static DMatrixRMaj affine(Weight wx, DMatrixRMaj x, Weight wh, DMatrixRMaj h, Weight b) {
        return sum(times(wx, x), times(wh, h), b.value());
    }

    /** The sum of vectors of equal size. */
    static DMatrixRMaj sum(DMatrixRMaj... terms) {
        DMatrixRMaj s = terms[0].copy();
        for (int k = 1; k < terms.length; k++) {
            CommonOps_DDRM.addEquals(s, terms[k]);
        }
        return s;
    }

    /** a − b. */
    static DMatrixRMaj minus(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj d = new DMatrixRMaj(a.numRows, a.numCols);
        CommonOps_DDRM.subtract(a, b, d);
        return d;
    }

    /** 1 − a, elementwise. */
    static DMatrixRMaj oneMinus(DMatrixRMaj a) {
        return minus(ones(a.numRows), a);
    }

    /** a ⊙ b, the elementwise (Hadamard) product. */
    static DMatrixRMaj hadamard(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj p = new DMatrixRMaj(a.numRows, a.numCols);
        CommonOps_DDRM.elementMult(a, b, p);
        return p;
    }

    /** a ⊙ b ⊙ c. */
    static DMatrixRMaj hadamard(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        return hadamard(hadamard(a, b), c);
    }

    /** σ(z) = 1 / (1 + e^(−z)), elementwise: a valve between 0 (closed) and 1 (open). */
    static DMatrixRMaj sigmoid(DMatrixRMaj z) {
        DMatrixRMaj s = new DMatrixRMaj(z.numRows, z.numCols);
        for (int k = 0; k < z.getNumElements(); k++) {
            s.data[k] = 1.0 / (1.0 + Math.exp(-z.data[k]));
        }
        return s;
    }

    /** tanh(z), elementwise: squashes into (−1, 1). */
    static DMatrixRMaj tanh(DMatrixRMaj z) {
        DMatrixRMaj s = new DMatrixRMaj(z.numRows, z.numCols);
        for (int k = 0; k < z.getNumElements(); k++) {
            s.data[k] = Math.tanh(z.data[k]);
        }
        return s;
    }

    /** σ′ written through its output s = σ(z): s ⊙ (1 − s). */
    static DMatrixRMaj sigmoidDerivative(DMatrixRMaj s) {
        return hadamard(s, oneMinus(s));
    }

    /** tanh′ written through its output y = tanh(z): 1 − y ⊙ y. */
    static DMatrixRMaj tanhDerivative(DMatrixRMaj y) {
        return oneMinus(hadamard(y, y));
    }

    /** acc += v, in place (acc is usually a gradient that sums over steps and sequences). */
    static void addTo(DMatrixRMaj acc, DMatrixRMaj v) {
        CommonOps_DDRM.addEquals(acc, v);
    }

    /** dW += dz vᵀ, in place: the weight gradient of W v (an outer product). */
    static void addOuter(DMatrixRMaj dw, DMatrixRMaj dz, DMatrixRMaj v) {
        CommonOps_DDRM.multAddTransB(dz, v, dw);
    }

    /** Writes {@code v} into {@code into} (a buffer of the base class seen as a column). */
    static void copyInto(DMatrixRMaj v, double[] into) {
        System.arraycopy(v.data, 0, into, 0, into.length);
    }
}
