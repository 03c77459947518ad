package org.rnnlab.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.junit.jupiter.api.Test;

class InitTest {

    private static DMatrixRMaj gram(DMatrixRMaj a, boolean ofColumns) {
        return ofColumns ? CommonOps_DDRM.multTransA(a, a, null) : CommonOps_DDRM.multTransB(a, a, null);
    }

    @Test
    void orthogonalSquareMatrixHasOrthonormalColumnsAndRows() {
        DMatrixRMaj w = Init.orthogonal(1.0).matrix(6, 6, new Random(1));
        assertTrue(MatrixFeatures_DDRM.isIdentity(gram(w, true), 1e-12));
        assertTrue(MatrixFeatures_DDRM.isIdentity(gram(w, false), 1e-12));
    }

    @Test
    void orthogonalTallMatrixHasOrthonormalColumns() {
        DMatrixRMaj w = Init.orthogonal(1.0).matrix(7, 3, new Random(2));
        assertEquals(7, w.numRows);
        assertEquals(3, w.numCols);
        assertTrue(MatrixFeatures_DDRM.isIdentity(gram(w, true), 1e-12));
    }

    @Test
    void orthogonalWideMatrixHasOrthonormalRows() {
        DMatrixRMaj w = Init.orthogonal(1.0).matrix(3, 7, new Random(3));
        assertEquals(3, w.numRows);
        assertEquals(7, w.numCols);
        assertTrue(MatrixFeatures_DDRM.isIdentity(gram(w, false), 1e-12));
    }

    @Test
    void orthogonalGainScalesEverySingularValue() {
        DMatrixRMaj w = Init.orthogonal(2.0).matrix(5, 5, new Random(4));
        DMatrixRMaj expected = CommonOps_DDRM.identity(5);
        CommonOps_DDRM.scale(4.0, expected);
        assertTrue(MatrixFeatures_DDRM.isEquals(expected, gram(w, true), 1e-12));
        assertEquals(2.0, SpectralRadius.largestSingularValue(w), 1e-12);
    }

    @Test
    void identityPutsScaleOnTheLeadingDiagonal() {
        DMatrixRMaj square = Init.identity(0.5).matrix(3, 3, null);
        DMatrixRMaj expected = CommonOps_DDRM.identity(3);
        CommonOps_DDRM.scale(0.5, expected);
        assertTrue(MatrixFeatures_DDRM.isIdentical(expected, square, 0));

        DMatrixRMaj wide = Init.identity(2).matrix(2, 3, null);
        assertArrayEquals(new double[] {2, 0, 0, 0, 2, 0}, wide.data);
        DMatrixRMaj tall = Init.identity(1).matrix(3, 2, null);
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0}, tall.data);
    }

    @Test
    void xavierStaysWithinGlorotBoundFromFanInAndFanOut() {
        DMatrixRMaj w = Init.xavier().matrix(20, 30, new Random(5));
        double limit = Math.sqrt(6.0 / (20 + 30));
        double largest = CommonOps_DDRM.elementMaxAbs(w);
        assertTrue(largest <= limit, "largest |w| " + largest + " exceeds " + limit);
        assertTrue(largest > 0.95 * limit, "600 uniform draws should come close to the bound");
    }

    @Test
    void uniformStaysWithinScaleAndNormalHasTheRequestedStd() {
        DMatrixRMaj u = Init.uniform(0.3).matrix(50, 50, new Random(6));
        assertTrue(CommonOps_DDRM.elementMaxAbs(u) <= 0.3);
        assertEquals(0.3 / Math.sqrt(3), std(Init.uniform(0.3).matrix(100, 100, new Random(7))), 0.01);
        assertEquals(0.2, std(Init.normal(0.2).matrix(100, 100, new Random(8))), 0.01);
    }

    @Test
    void smallRandomIsNormalWithStdOneHundredth() {
        DMatrixRMaj w = Init.smallRandom().matrix(100, 100, new Random(9));
        assertEquals(0.01, std(w), 0.0005);
        assertEquals(0.0, CommonOps_DDRM.elementSum(w) / w.getNumElements(), 0.001);
    }

    @Test
    void zerosAndConstantFillEveryEntry() {
        DMatrixRMaj w = Init.constant(1.5).matrix(2, 3, null);
        assertArrayEquals(new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5}, w.data);
        Init.zeros().fill(w, null);
        assertArrayEquals(new double[6], w.data);
    }

    @Test
    void scaledToSpectralRadiusHitsRho() {
        Init init = Init.scaledToSpectralRadius(Init.normal(1.0), 0.95);
        DMatrixRMaj w = init.matrix(40, 40, new Random(10));
        assertEquals(0.95, SpectralRadius.of(w), 1e-9);
    }

    @Test
    void scaledToSpectralRadiusRejectsNonSquareMatrixNamingTheShape() {
        Init init = Init.scaledToSpectralRadius(Init.normal(1.0), 0.9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> init.matrix(3, 4, new Random(1)));
        assertTrue(e.getMessage().contains("3x4"), e.getMessage());
    }

    @Test
    void sameSeedGivesTheSameMatrixForEveryRandomInit() {
        List<Init> inits = List.of(Init.uniform(1), Init.normal(1), Init.smallRandom(), Init.xavier(),
                Init.orthogonal(1), Init.scaledToSpectralRadius(Init.uniform(1), 0.9));
        for (Init init : inits) {
            DMatrixRMaj a = init.matrix(8, 8, new Random(42));
            DMatrixRMaj b = init.matrix(8, 8, new Random(42));
            DMatrixRMaj c = init.matrix(8, 8, new Random(43));
            assertArrayEquals(a.data, b.data, 0.0, init.name());
            assertTrue(!MatrixFeatures_DDRM.isIdentical(a, c, 0), init.name() + " ignores the seed");
        }
    }

    @Test
    void namesDescribeTheFactoryCall() {
        assertEquals("xavier()", Init.xavier().name());
        assertEquals("orthogonal(1.0)", Init.orthogonal(1).toString());
        assertEquals("scaledToSpectralRadius(uniform(0.5), 0.9)",
                Init.scaledToSpectralRadius(Init.uniform(0.5), 0.9).name());
        Init custom = (w, rng) -> w.zero();
        assertEquals("custom", custom.name());
    }

    @Test
    void badArgumentsAreRejectedNamingTheArgument() {
        assertMessage(() -> Init.uniform(-1), "scale", "-1.0");
        assertMessage(() -> Init.normal(Double.NaN), "std", "NaN");
        assertMessage(() -> Init.orthogonal(Double.POSITIVE_INFINITY), "gain", "Infinity");
        assertMessage(() -> Init.identity(Double.NaN), "scale", "NaN");
        assertMessage(() -> Init.constant(Double.NaN), "value", "NaN");
        assertMessage(() -> Init.scaledToSpectralRadius(Init.xavier(), -0.5), "rho", "-0.5");
        assertThrows(NullPointerException.class, () -> Init.xavier().fill(new DMatrixRMaj(2, 2), null));
    }

    private static void assertMessage(Runnable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention " + part);
        }
    }

    private static double std(DMatrixRMaj w) {
        int n = w.getNumElements();
        double mean = CommonOps_DDRM.elementSum(w) / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (w.data[i] - mean) * (w.data[i] - mean);
        }
        return Math.sqrt(sum / n);
    }
}
