package org.rnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.Map;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;

import org.dflib.jjava.jupyter.Extension;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.rnnlab.plot.Curve;
import org.rnnlab.plot.Plots;
import org.rnnlab.plot.Tables;
import org.rnnlab.plot.TextHeat;
import tech.tablesaw.api.Table;

class NotebookRenderersTest {

    private static XYChart chart() {
        return Plots.sized(420, 260, () -> Plots.lines("tanh", "x", "tanh x", Curve.of("tanh", -3, 3, Math::tanh)));
    }

    private static Table table() {
        return Tables.of(new String[] {"k", "ρ^k"}, new double[][] {{1, 0.5}, {2, 0.25}});
    }

    @Test
    void aChartIsAPngDrawnAtTwiceItsSizeAndShownAtItsSize() throws Exception {
        MimeBundle bundle = NotebookRenderers.render(chart());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.data().get("image/png"))));
        assertEquals(840, png.getWidth());
        assertEquals(520, png.getHeight());
        assertEquals(Map.of("width", 420, "height", 260), bundle.metadata().get("image/png"));
        assertEquals("<XYChart 'tanh' 420x260>", bundle.data().get("text/plain"));
    }

    @Test
    void tablesMatricesAndTextHeatAreHtmlWithEscapedText() {
        String table = NotebookRenderers.render(table()).data().get("text/html");
        assertTrue(table.contains("<th>&rho;^k</th>"), table);
        assertTrue(table.contains("2 rows &times; 2 columns"), table);

        MimeBundle matrix = NotebookRenderers.render(new DMatrixRMaj(new double[][] {{0.5, -2}, {1e-7, 3}}));
        assertTrue(matrix.data().get("text/html").contains("<caption>DMatrixRMaj 2&times;2</caption>"));
        assertEquals("DMatrixRMaj 2×2\n   0.5000  -2\n1.000e-07   3", matrix.data().get("text/plain"));

        TextHeat heat = TextHeat.of("a<b", new double[] {0, 1, -1});
        assertEquals(heat.toHtml(), NotebookRenderers.render(heat).data().get("text/html"));
        assertNull(NotebookRenderers.render("a string"));
    }

    @Test
    void aLongMatrixShowsItsCornersAndTheElidedMiddle() {
        MimeBundle bundle = NotebookRenderers.render(new DMatrixRMaj(30, 2));
        String[] lines = bundle.data().get("text/plain").split("\n");
        assertEquals(1 + 12, lines.length);
        assertEquals("⋮  ⋮", lines[7].strip());
    }

    @Test
    void jjavaRendersTheLibrarysValuesOnceTheExtensionIsInstalled() throws Exception {
        org.dflib.jjava.jupyter.kernel.display.Renderer renderer = new org.dflib.jjava.jupyter.kernel.display.Renderer();
        BaseKernelRenderers.registerInto(renderer);
        XYChart chart = chart();
        org.dflib.jjava.jupyter.kernel.display.DisplayData data = renderer.render(chart);
        MimeBundle expected = NotebookRenderers.render(chart);
        assertEquals(expected.data().get("image/png"),
                data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG));
        assertEquals(expected.data().get("text/plain"),
                data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        assertEquals(NotebookRenderers.render(table()).data().get("text/html"),
                renderer.render(table()).getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML));
        TextHeat heat = TextHeat.of("x", new double[] {0});
        assertEquals(heat.toHtml(), renderer.renderAs(heat, "text/html")
                .getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML));
    }

    @Test
    void theJJavaExtensionIsListedForJJavasServiceLoader() {
        assertTrue(ServiceLoader.load(Extension.class).stream()
                .anyMatch(p -> p.type() == JJavaExtension.class));
    }

    @Test
    void ijavaRendersTheLibrarysValuesThroughItsRenderer() throws Exception {
        io.github.spencerpark.jupyter.kernel.display.Renderer renderer = new io.github.spencerpark.jupyter.kernel.display.Renderer();
        BaseKernelRenderers.registerInto(renderer);
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{1, 2}});
        io.github.spencerpark.jupyter.kernel.display.DisplayData data = renderer.render(m);
        assertEquals(NotebookRenderers.render(m).data().get("text/html"),
                data.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_HTML));
        assertTrue(renderer.render(chart()).hasDataForType(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG));
    }

    @Test
    void outsideAKernelTheHookDoesNothing() {
        assertEquals("none", KernelHooks.install());
    }
}
