package org.rnnlab.kernel.display;

import org.ejml.data.DMatrixRMaj;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;
import org.rnnlab.kernel.api.DisplayBundle;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderersTest {

    private static BufferedImage decodePng(DisplayBundle bundle) throws IOException {
        byte[] png = Base64.getDecoder().decode((String) bundle.get("image/png"));
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void chartFromAnotherClassLoaderRendersAsSharpPngWithLogicalSize() throws Exception {
        URL xchartJar = Class.forName("org.knowm.xchart.XYChart").getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader notebook = new URLClassLoader(new URL[] {xchartJar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> quick = notebook.loadClass("org.knowm.xchart.QuickChart");
            Method getChart = quick.getMethod("getChart", String.class, String.class, String.class, String.class,
                    double[].class, double[].class);
            Object chart = getChart.invoke(null, "loss", "epoch", "loss", "train",
                    new double[] {1, 2, 3}, new double[] {3, 2, 1});
            assertFalse(chart.getClass().getClassLoader() == RenderersTest.class.getClassLoader());

            DisplayBundle bundle = Renderers.render(chart);

            BufferedImage image = decodePng(bundle);
            assertEquals(1200, image.getWidth());
            assertEquals(800, image.getHeight());
            assertEquals(Map.of("width", 600, "height", 400), bundle.metadata().get("image/png"));
            assertTrue(bundle.get("text/plain").toString().contains("'loss'"));
        }
    }

    @Test
    void shortTableRendersEveryRowAsHtml() {
        Table t = Table.create("people", StringColumn.create("name", new String[] {"Ada", "<Bob>"}),
                IntColumn.create("age", new int[] {36, 41}));

        DisplayBundle bundle = Renderers.render(t);

        String html = (String) bundle.get("text/html");
        assertTrue(html.contains("<caption>people</caption>"));
        assertTrue(html.contains("<td>Ada</td>"));
        assertTrue(html.contains("&lt;Bob&gt;"), "cell text is escaped");
        assertTrue(html.contains("2 rows &times; 2 columns"));
        assertNotNull(bundle.get("text/plain"));
    }

    @Test
    void longTableIsElidedToHeadAndTailWithRowCount() {
        Table t = Table.create("long", IntColumn.indexColumn("i", 500, 0));

        String html = (String) Renderers.render(t).get("text/html");

        assertTrue(html.contains("<td>0</td>"));
        assertTrue(html.contains("<td>9</td>"));
        assertFalse(html.contains("<td>10</td>"));
        assertTrue(html.contains("<td>499</td>"));
        assertTrue(html.contains("485 more rows"));
        assertTrue(html.contains("500 rows"));
    }

    @Test
    void ejmlMatrixRendersAsHtmlAndAlignedPlainText() {
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{1, 2.5}, {-3, 4}});

        DisplayBundle bundle = Renderers.render(m);

        assertEquals("DMatrixRMaj 2×2\n 1  2.500\n-3      4", bundle.get("text/plain"));
        assertTrue(((String) bundle.get("text/html")).contains("<td style=\"text-align:right;font-family:monospace\">2.500</td>"));
    }

    @Test
    void simpleMatrixRendersThroughItsBackingMatrix() {
        DisplayBundle bundle = Renderers.render(SimpleMatrix.identity(2));

        assertTrue(bundle.get("text/plain").toString().startsWith("DMatrixRMaj 2×2"));
    }

    @Test
    void largeMatrixIsElidedInTheMiddle() {
        DMatrixRMaj m = new DMatrixRMaj(100, 100);

        String plain = (String) Renderers.render(m).get("text/plain");

        assertTrue(plain.contains("⋮"));
        assertTrue(plain.contains("…"));
        assertEquals(1 + Renderers.MATRIX_MAX, plain.split("\n").length);
    }

    @Test
    void bufferedImageRendersAsPngOfTheSameSize() throws IOException {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);

        BufferedImage back = decodePng(Renderers.render(img));

        assertEquals(7, back.getWidth());
        assertEquals(5, back.getHeight());
    }

    /** A library result type that renders itself, without depending on the kernel. */
    public static final class Report {
        public Map<String, Object> toMimeBundle() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text/html", "<p>report</p>");
            return m;
        }

        @Override
        public String toString() {
            return "Report";
        }
    }

    @Test
    void objectsWithToMimeBundleRenderThemselves() {
        DisplayBundle bundle = Renderers.render(new Report());

        assertEquals("<p>report</p>", bundle.get("text/html"));
        assertEquals("Report", bundle.get("text/plain"));
    }

    /** A library result type with an HTML form only. */
    public static final class Heat {
        public String toHtml() {
            return "<span style=\"color:red\">hot</span>";
        }

        @Override
        public String toString() {
            return "hot";
        }
    }

    @Test
    void objectsWithToHtmlRenderAsHtmlWithTextFallback() {
        DisplayBundle bundle = Renderers.render(new Heat());

        assertEquals("<span style=\"color:red\">hot</span>", bundle.get("text/html"));
        assertEquals("hot", bundle.get("text/plain"));
    }

    @Test
    void plainValuesAndArraysBecomeText() {
        assertEquals("42", Renderers.render(42).get("text/plain"));
        assertEquals("[1, 2, 3]", Renderers.render(new int[] {1, 2, 3}).get("text/plain"));
        assertEquals("[[a], [b, c]]", Renderers.render(new String[][] {{"a"}, {"b", "c"}}).get("text/plain"));
        assertEquals("null", Renderers.render(null).get("text/plain"));
    }

    @Test
    void retainKeepsOnlyRequestedMimeTypes() {
        DisplayBundle bundle = Renderers.render(Table.create("t", IntColumn.create("a", new int[] {1})))
                .retain("text/html");

        assertEquals(1, bundle.data().size());
        assertTrue(bundle.has("text/html"));
    }
}
