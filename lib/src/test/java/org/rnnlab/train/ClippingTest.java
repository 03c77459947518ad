package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.param.Parameter;

/** Clipping against values worked out by hand. */
class ClippingTest {

    /** Two parameters whose gradients are (3, 0) and (0, 4): global norm 5. */
    private static List<Parameter> threeFour() {
        Parameter a = new Parameter("a", 1, 2, true);
        Parameter b = new Parameter("b", 1, 2, false);
        a.grad()[0][0] = 3;
        b.grad()[0][1] = 4;
        return List.of(a, b);
    }

    @Test
    void globalNormTakesAllParametersTogether() {
        assertEquals(5.0, Clipping.globalNorm(threeFour()), 0);
    }

    @Test
    void clippingByNormScalesToTheThresholdAndKeepsTheDirection() {
        List<Parameter> ps = threeFour();
        assertEquals(5.0, Clipping.byNorm(ps, 2.5), 0, "returns the norm before clipping");
        assertArrayEquals(new double[] {1.5, 0}, ps.get(0).grad()[0], 1e-15);
        assertArrayEquals(new double[] {0, 2.0}, ps.get(1).grad()[0], 1e-15);
    }

    @Test
    void clippingByNormLeavesSmallGradientsAlone() {
        List<Parameter> ps = threeFour();
        Clipping.byNorm(ps, 10);
        assertArrayEquals(new double[] {3, 0}, ps.get(0).grad()[0], 0);
    }

    @Test
    void clippingByValueClampsEachComponentAndChangesTheDirection() {
        List<Parameter> ps = threeFour();
        ps.get(0).grad()[0][1] = -0.5;
        Clipping.byValue(ps, 1.0);
        assertArrayEquals(new double[] {1.0, -0.5}, ps.get(0).grad()[0], 0);
        assertArrayEquals(new double[] {0, 1.0}, ps.get(1).grad()[0], 0);
    }
}
