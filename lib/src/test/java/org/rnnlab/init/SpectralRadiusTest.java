package org.rnnlab.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class SpectralRadiusTest {

    @Test
    void diagonalMatrixHasLargestAbsoluteDiagonalEntry() {
        assertEquals(2.0, SpectralRadius.of(CommonOps_DDRM.diag(0.5, -2.0, 1.0)), 1e-12);
    }

    @Test
    void complexEigenvaluesCountByModulus() {
        double angle = 0.7;
        double r = 0.8;
        DMatrixRMaj rotation = new DMatrixRMaj(new double[][] {
                {r * Math.cos(angle), -r * Math.sin(angle)},
                {r * Math.sin(angle), r * Math.cos(angle)}});
        assertEquals(0.8, SpectralRadius.of(rotation), 1e-12);
    }

    @Test
    void nilpotentMatrixHasRadiusZeroButNonZeroSpectralNorm() {
        DMatrixRMaj nilpotent = new DMatrixRMaj(new double[][] {{0, 10, 3}, {0, 0, 4}, {0, 0, 0}});
        assertEquals(0.0, SpectralRadius.of(nilpotent), 1e-12);
        assertTrue(SpectralRadius.largestSingularValue(nilpotent) >= 10);
    }

    @Test
    void largestSingularValueWorksForNonSquareMatrices() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{3, 0, 0}, {0, -5, 0}});
        assertEquals(5.0, SpectralRadius.largestSingularValue(w), 1e-12);
    }

    @Test
    void ofLeavesItsArgumentUnchanged() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        SpectralRadius.of(w);
        SpectralRadius.largestSingularValue(w);
        assertArrayEquals(new double[] {1, 2, 3, 4}, w.data);
    }

    @Test
    void scaleToRescalesInPlaceKeepingDirection() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{0.5, 1}, {-2, 0.3}});
        DMatrixRMaj before = w.copy();
        SpectralRadius.scaleTo(w, 0.9);
        assertEquals(0.9, SpectralRadius.of(w), 1e-12);
        double factor = w.get(0, 0) / before.get(0, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(factor * before.data[i], w.data[i], 1e-15);
        }
    }

    @Test
    void nonSquareMatrixIsRejectedNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpectralRadius.of(new DMatrixRMaj(2, 3)));
        assertTrue(e.getMessage().contains("2x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.scaleTo(new DMatrixRMaj(4, 1), 1));
        assertTrue(e.getMessage().contains("4x1"), e.getMessage());
    }

    @Test
    void zeroOrNilpotentMatrixCannotBeScaled() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpectralRadius.scaleTo(new DMatrixRMaj(3, 3), 0.9));
        assertTrue(e.getMessage().contains("all zeros"), e.getMessage());
        DMatrixRMaj nilpotent = new DMatrixRMaj(new double[][] {{0, 1}, {0, 0}});
        e = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.scaleTo(nilpotent, 0.9));
        assertTrue(e.getMessage().contains("nilpotent"), e.getMessage());
    }

    @Test
    void nonFiniteEntriesAndBadRhoAreRejected() {
        DMatrixRMaj w = CommonOps_DDRM.identity(2);
        w.set(1, 0, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(w));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("(1, 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpectralRadius.scaleTo(CommonOps_DDRM.identity(2), -1));
        assertTrue(e.getMessage().contains("rho"), e.getMessage());
    }
}
