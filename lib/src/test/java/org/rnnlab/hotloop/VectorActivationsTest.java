package org.rnnlab.hotloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 precision's activations ({@link Kernels#sigmoid}, {@link Kernels#tanh}: a vector of units at a time on
 * VectorMath's own exp) agree with the float64 ones ({@link RowMath#sigmoid}, {@link StrictMath#tanh}) far below
 * float32 rounding: σ within 1e-15 relative, tanh within 1e-15 absolute (it is 1 − 2 / (e^{2x} + 1), so its relative
 * error near 0 is that absolute one over |x|), over the range gates meet and past the clamp at ±700, with the
 * units past the last whole vector included (measured: 3.2e-16 and 3.3e-16). Needs the Vector API module (the {@code vector} test execution).
 */
class VectorActivationsTest {
    private static double[] arguments() {
        Random rng = new Random(11);
        double[] x = new double[4099];
        for (int i = 0; i < x.length; i++) {
            double scale = i % 3 == 0 ? 30 : (i % 3 == 1 ? 4 : 1e-6);
            x[i] = scale * rng.nextGaussian();
        }
        double[] special = {0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 0.625, 20, -20, 36.7, -36.7, 699, -699, 700, -700,
            745, -745, 1e6, -1e6};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    @Test
    void sigmoidAgreesWithTheScalarOneToFarBelowFloatRounding() {
        assumeTrue(Kernels.AVAILABLE);
        double[] x = arguments();
        double[] z = new double[x.length + 3];
        System.arraycopy(x, 0, z, 3, x.length);
        Kernels.sigmoid(z, 3, x.length);
        double worst = 0;
        boolean differs = false;
        for (int i = 0; i < x.length; i++) {
            double expected = RowMath.sigmoid(x[i]);
            double got = z[i + 3];
            differs |= got != expected;
            if (expected > 1e-300) {
                worst = Math.max(worst, Math.abs(got - expected) / expected);
            } else {
                assertTrue(got < 1e-300, "σ(" + x[i] + ") = " + got);
            }
        }
        assertTrue(worst < 1e-15, "worst relative error " + worst);
        assertTrue(differs, "the vector σ gave RowMath.sigmoid's bits everywhere: did it run?");
    }

    @Test
    void tanhAgreesWithStrictMathToFarBelowFloatRounding() {
        assumeTrue(Kernels.AVAILABLE);
        double[] x = arguments();
        double[] out = new double[x.length + 5];
        Kernels.tanh(x, 0, out, 5, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(out[i + 5] - StrictMath.tanh(x[i])));
        }
        assertTrue(worst <= 1e-15, "worst absolute error " + worst);
        assertEquals(1.0, out[5 + 7], "tanh(20)");
        assertFalse(Double.isNaN(out[5 + 17]), "tanh(1e6)");
    }

    @Test
    void withoutTheModuleTheySayWhichOptionIsMissing() {
        assumeTrue(!Kernels.AVAILABLE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kernels.sigmoid(new double[4], 0, 4));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void onlyFloat32TakesThem() {
        assertFalse(Kernels.vectorActivations(Precision.DOUBLE));
        assertEquals(Kernels.AVAILABLE, Kernels.vectorActivations(Precision.FLOAT));
    }
}
