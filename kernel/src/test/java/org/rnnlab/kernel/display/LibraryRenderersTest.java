package org.rnnlab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rnnlab.kernel.api.DisplayBundle;
import org.rnnlab.notebook.MimeBundle;
import org.rnnlab.notebook.NotebookRenderers;
import org.rnnlab.plot.Curve;
import org.rnnlab.plot.Plots;
import org.rnnlab.plot.Tables;

/**
 * The library registers its own renderers ({@code org.rnnlab.notebook.NotebookRenderers}) in this kernel's
 * registry, replacing the kernel's for charts, tables and matrices, so that one set of renderers serves every Java
 * kernel. The notebooks stored with this kernel's outputs stay as they are only if both draw the same bytes.
 */
class LibraryRenderersTest {

    private static void assertSame(Object value) {
        DisplayBundle kernel = Renderers.render(value);
        MimeBundle library = NotebookRenderers.render(value);
        assertEquals(kernel.data(), library.data(), "data of " + value.getClass().getName());
        assertEquals(kernel.metadata(), library.metadata(), "metadata of " + value.getClass().getName());
    }

    @Test
    void theLibraryDrawsChartsAsThisKernelDoes() {
        assertSame(Plots.sized(500, 300, () -> Plots.lines("σ and tanh", "x", "y",
                Curve.of("tanh", -4, 4, Math::tanh), Curve.of("σ", -4, 4, x -> 1 / (1 + Math.exp(-x))))));
    }

    @Test
    void theLibraryDrawsTablesAsThisKernelDoes() {
        double[][] rows = new double[25][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i, Math.pow(0.5, i), Math.pow(1.5, i)};
        }
        assertSame(Tables.of(new String[] {"k", "0.5^k", "‖∂L/∂h‖ × ρ <&> \"é\" ∞ → ≤ 😀"}, rows));
    }

    @Test
    void theLibraryDrawsMatricesAsThisKernelDoes() {
        DMatrixRMaj big = new DMatrixRMaj(20, 15);
        for (int i = 0; i < big.getNumElements(); i++) {
            big.data[i] = Math.sin(i) * Math.pow(10, i % 9 - 4);
        }
        assertSame(big);
        assertSame(new DMatrixRMaj(new double[][] {{0.5, -0.2}, {1, 2e6}}));
    }
}
