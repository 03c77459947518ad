package org.rnnlab.kernel.display;

import org.rnnlab.kernel.api.DisplayBundle;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns notebook values into Jupyter MIME bundles: XChart charts and {@code BufferedImage}s into
 * {@code image/png}, Tablesaw tables into {@code text/html} (long tables elided, with the row count), EJML
 * matrices into {@code text/html} and {@code text/plain}, anything else into {@code text/plain}.
 *
 * <p>The kernel is never linked against XChart, Tablesaw or EJML: a value is recognised by the names of its
 * classes and rendered through reflection on the value's own class. So rendering works with whichever
 * version the notebook loaded with {@code %maven}, in the notebook's class loader. A library can render its
 * own objects without depending on the kernel by giving them a public method
 * {@code Map<String, Object> toMimeBundle()} (MIME type to text, or to PNG bytes for {@code image/png}), or
 * simply {@code String toHtml()} ({@link #ownBundle}).
 *
 * <p>The renderers here are registered in a {@link RendererRegistry} by class name ({@link #registerBuiltIns}),
 * the same way a notebook library registers its own.
 */
public final class Renderers {
    static final String XCHART = "org.knowm.xchart.internal.chartpart.Chart";
    static final String TABLESAW_TABLE = "tech.tablesaw.api.Table";
    static final String EJML_MATRIX = "org.ejml.data.Matrix";
    static final String EJML_SIMPLE = "org.ejml.simple.SimpleBase";

    /** Scale of chart bitmaps relative to their logical size: 2 keeps them sharp on high-density screens. */
    static final int CHART_SCALE = 2;
    /** Tables longer than this show their head and tail only. */
    static final int TABLE_MAX_ROWS = 20;
    static final int TABLE_HEAD_ROWS = 10;
    static final int TABLE_TAIL_ROWS = 5;
    /** Matrices larger than this in either direction are elided in the middle. */
    static final int MATRIX_MAX = 12;

    /** The kernel's own renderers, for {@link #render(Object)}. */
    private static final RendererRegistry STANDARD = RendererRegistry.withBuiltIns();

    private Renderers() {
    }

    /**
     * Registers the kernel's own renderers: images ({@code java.awt.image.RenderedImage}), XChart charts, Tablesaw
     * tables, EJML matrices.
     */
    public static void registerBuiltIns(RendererRegistry registry) {
        registry.register("java.awt.image.RenderedImage", value -> image((RenderedImage) value, 1))
                .register(XCHART, Renderers::chart)
                .register(TABLESAW_TABLE, Renderers::table)
                .register(EJML_SIMPLE, value -> matrix(value.getClass().getMethod("getMatrix").invoke(value)))
                .register(EJML_MATRIX, Renderers::matrix);
    }

    /** Renders a value into every MIME type known for it, with the kernel's own renderers only. */
    public static DisplayBundle render(Object value) {
        return STANDARD.render(value);
    }

    /** The {@code text/plain} form: {@code toString()}, with arrays shown element by element. */
    public static String plainText(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            if (value instanceof Object[]) {
                return Arrays.deepToString((Object[]) value);
            }
            int n = Array.getLength(value);
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(Array.get(value, i));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** Whether {@code type} is, extends or implements the class or interface named {@code name}. */
    static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (isA(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Class<?> ancestor(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a " + name);
    }

    static DisplayBundle image(RenderedImage image, int scale) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("width", image.getWidth() / scale);
        size.put("height", image.getHeight() / scale);
        return new DisplayBundle()
                .put("image/png", Base64.getEncoder().encodeToString(png.toByteArray()))
                .putMetadata("image/png", size)
                .put("text/plain", "<image " + image.getWidth() / scale + "x" + image.getHeight() / scale + ">");
    }

    static DisplayBundle chart(Object chart) throws ReflectiveOperationException, IOException {
        Class<?> chartClass = ancestor(chart.getClass(), XCHART);
        int width = (Integer) chartClass.getMethod("getWidth").invoke(chart);
        int height = (Integer) chartClass.getMethod("getHeight").invoke(chart);
        BufferedImage image = new BufferedImage(width * CHART_SCALE, height * CHART_SCALE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(CHART_SCALE, CHART_SCALE);
            Method paint = chartClass.getMethod("paint", Graphics2D.class, int.class, int.class);
            paint.invoke(chart, g, width, height);
        } finally {
            g.dispose();
        }
        DisplayBundle bundle = image(image, CHART_SCALE);
        String title = "";
        try {
            Object t = chartClass.getMethod("getTitle").invoke(chart);
            title = t == null ? "" : t.toString();
        } catch (NoSuchMethodException ignored) {
            title = "";
        }
        return bundle.put("text/plain", "<" + chart.getClass().getSimpleName()
                + (title.isEmpty() ? "" : " '" + title + "'") + " " + width + "x" + height + ">");
    }

    static DisplayBundle table(Object table) throws ReflectiveOperationException {
        Class<?> type = table.getClass();
        int rows = (Integer) type.getMethod("rowCount").invoke(table);
        int cols = (Integer) type.getMethod("columnCount").invoke(table);
        List<?> names = (List<?>) type.getMethod("columnNames").invoke(table);
        Object name = type.getMethod("name").invoke(table);
        Method column = type.getMethod("column", int.class);
        Object[] columns = new Object[cols];
        Method[] getString = new Method[cols];
        for (int c = 0; c < cols; c++) {
            columns[c] = column.invoke(table, c);
            getString[c] = columns[c].getClass().getMethod("getString", int.class);
        }
        StringBuilder html = new StringBuilder("<div><table class=\"rnnlab-table\" border=\"1\">");
        if (name != null && !name.toString().isEmpty()) {
            html.append("<caption>").append(Html.escape(name.toString())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Object n : names) {
            html.append("<th>").append(Html.escape(String.valueOf(n))).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        boolean elide = rows > TABLE_MAX_ROWS;
        for (int r = 0; r < rows; r++) {
            if (elide && r == TABLE_HEAD_ROWS) {
                html.append("<tr><td colspan=\"").append(Math.max(1, cols)).append("\" style=\"text-align:center\">&#8942; ")
                        .append(rows - TABLE_HEAD_ROWS - TABLE_TAIL_ROWS).append(" more rows &#8942;</td></tr>");
                r = rows - TABLE_TAIL_ROWS;
            }
            html.append("<tr>");
            for (int c = 0; c < cols; c++) {
                html.append("<td>").append(Html.escape(String.valueOf(getString[c].invoke(columns[c], r)))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table><p>").append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(cols).append(cols == 1 ? " column" : " columns").append("</p></div>");
        return new DisplayBundle().put("text/html", html.toString()).put("text/plain", table.toString());
    }

    static DisplayBundle matrix(Object matrix) throws ReflectiveOperationException {
        Class<?> type = matrix.getClass();
        int rows = (Integer) type.getMethod("getNumRows").invoke(matrix);
        int cols = (Integer) type.getMethod("getNumCols").invoke(matrix);
        Method get = type.getMethod("get", int.class, int.class);
        int[] rowIdx = shownIndices(rows);
        int[] colIdx = shownIndices(cols);
        String[][] cells = new String[rowIdx.length][colIdx.length];
        int[] width = new int[colIdx.length];
        for (int i = 0; i < rowIdx.length; i++) {
            for (int j = 0; j < colIdx.length; j++) {
                if (rowIdx[i] < 0 || colIdx[j] < 0) {
                    cells[i][j] = rowIdx[i] < 0 ? (colIdx[j] < 0 ? "⋱" : "⋮") : "…";
                } else {
                    cells[i][j] = formatNumber(get.invoke(matrix, rowIdx[i], colIdx[j]));
                }
                width[j] = Math.max(width[j], cells[i][j].length());
            }
        }
        String title = type.getSimpleName() + " " + rows + "×" + cols;
        StringBuilder plain = new StringBuilder(title);
        StringBuilder html = new StringBuilder("<div><table class=\"rnnlab-matrix\" border=\"1\"><caption>")
                .append(Html.escape(title)).append("</caption><tbody>");
        for (String[] row : cells) {
            plain.append('\n');
            html.append("<tr>");
            for (int j = 0; j < row.length; j++) {
                if (j > 0) {
                    plain.append("  ");
                }
                plain.append(" ".repeat(width[j] - row[j].length())).append(row[j]);
                html.append("<td style=\"text-align:right;font-family:monospace\">").append(Html.escape(row[j])).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div>");
        return new DisplayBundle().put("text/html", html.toString()).put("text/plain", plain.toString());
    }

    /** Indices to show along one dimension; -1 marks the elided middle. */
    static int[] shownIndices(int n) {
        if (n <= MATRIX_MAX) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int head = MATRIX_MAX / 2;
        int tail = MATRIX_MAX - head - 1;
        int[] idx = new int[head + 1 + tail];
        for (int i = 0; i < head; i++) {
            idx[i] = i;
        }
        idx[head] = -1;
        for (int i = 0; i < tail; i++) {
            idx[head + 1 + i] = n - tail + i;
        }
        return idx;
    }

    static String formatNumber(Object number) {
        if (number instanceof Double || number instanceof Float) {
            double d = ((Number) number).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e6) {
                return String.valueOf((long) d);
            }
            return String.format(java.util.Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(number);
    }

    /**
     * A value's own rendering: {@code Map<String, Object> toMimeBundle()} (MIME type to text, or PNG bytes),
     * else {@code String toHtml()} (as {@code text/html}, with {@code toString()} as {@code text/plain}).
     */
    @SuppressWarnings("unchecked")
    static DisplayBundle ownBundle(Object value) throws ReflectiveOperationException {
        Method method;
        try {
            method = value.getClass().getMethod("toMimeBundle");
        } catch (NoSuchMethodException e) {
            return htmlBundle(value);
        }
        if (!Map.class.isAssignableFrom(method.getReturnType())) {
            return null;
        }
        method.setAccessible(true);
        Map<String, Object> own = (Map<String, Object>) method.invoke(value);
        if (own == null || own.isEmpty()) {
            return null;
        }
        DisplayBundle bundle = new DisplayBundle();
        for (Map.Entry<String, Object> e : own.entrySet()) {
            Object v = e.getValue();
            bundle.put(e.getKey(), v instanceof byte[] ? Base64.getEncoder().encodeToString((byte[]) v) : String.valueOf(v));
        }
        if (!bundle.has("text/plain")) {
            bundle.put("text/plain", String.valueOf(value));
        }
        return bundle;
    }

    private static DisplayBundle htmlBundle(Object value) throws ReflectiveOperationException {
        Method toHtml;
        try {
            toHtml = value.getClass().getMethod("toHtml");
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (toHtml.getReturnType() != String.class) {
            return null;
        }
        toHtml.setAccessible(true);
        Object html = toHtml.invoke(value);
        if (html == null) {
            return null;
        }
        return new DisplayBundle().put("text/html", html.toString()).put("text/plain", String.valueOf(value));
    }

}
