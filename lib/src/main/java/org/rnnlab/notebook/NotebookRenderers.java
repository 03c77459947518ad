package org.rnnlab.notebook;

import org.ejml.data.DMatrix;
import org.knowm.xchart.internal.chartpart.Chart;
import org.rnnlab.plot.Html;
import org.rnnlab.plot.TextHeat;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * How the library's values look in a notebook, on any Java kernel: XChart charts as {@code image/png} (drawn at
 * twice their size, shown at their size, so they stay sharp on high-density screens), Tablesaw tables, EJML
 * matrices and {@link TextHeat} as {@code text/html}, each with a {@code text/plain} form.
 *
 * <p>The renderers are plain functions from a value to a {@link MimeBundle}; {@link KernelHooks} and
 * {@link JJavaExtension} register them with the kernel that runs the notebook (the RNN Lab kernel's renderer
 * registry, JJava's and IJava's {@code Renderer}). They draw exactly what the RNN Lab kernel's own renderers
 * draw for the same values, so a notebook looks the same on every kernel.
 */
public final class NotebookRenderers {
    /** Scale of chart bitmaps relative to their logical size. */
    static final int CHART_SCALE = 2;
    /** Tables longer than this show their head and tail only. */
    static final int TABLE_MAX_ROWS = 20;
    static final int TABLE_HEAD_ROWS = 10;
    static final int TABLE_TAIL_ROWS = 5;
    /** Matrices larger than this in either direction are elided in the middle. */
    static final int MATRIX_MAX = 12;

    /** One kind of value the library renders: its class (subclasses included) and the MIME types it produces. */
    public record Kind(Class<?> type, List<String> mimeTypes) {
    }

    /** Every kind of value rendered here, in the order a kernel should register them. */
    public static final List<Kind> KINDS = List.of(
            new Kind(Chart.class, List.of("image/png", "text/plain")),
            new Kind(Table.class, List.of("text/html", "text/plain")),
            new Kind(DMatrix.class, List.of("text/html", "text/plain")),
            new Kind(TextHeat.class, List.of("text/html", "text/plain")));

    private NotebookRenderers() {
    }

    /** The bundle for {@code value}, or null when it is none of the {@link #KINDS}. */
    public static MimeBundle render(Object value) {
        if (value instanceof Chart<?, ?> chart) {
            return chart(chart);
        }
        if (value instanceof Table table) {
            return table(table);
        }
        if (value instanceof DMatrix matrix) {
            return matrix(matrix);
        }
        if (value instanceof TextHeat heat) {
            return new MimeBundle().put("text/html", heat.toHtml()).put("text/plain", heat.toString());
        }
        return null;
    }

    static MimeBundle chart(Chart<?, ?> chart) {
        int width = chart.getWidth();
        int height = chart.getHeight();
        BufferedImage image = new BufferedImage(width * CHART_SCALE, height * CHART_SCALE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(CHART_SCALE, CHART_SCALE);
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the chart as PNG", e);
        }
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("width", width);
        size.put("height", height);
        String title = chart.getTitle() == null ? "" : chart.getTitle();
        return new MimeBundle()
                .put("image/png", Base64.getEncoder().encodeToString(png.toByteArray()))
                .putMetadata("image/png", size)
                .put("text/plain", "<" + chart.getClass().getSimpleName()
                        + (title.isEmpty() ? "" : " '" + title + "'") + " " + width + "x" + height + ">");
    }

    static MimeBundle table(Table table) {
        int rows = table.rowCount();
        int cols = table.columnCount();
        StringBuilder html = new StringBuilder("<div><table class=\"rnnlab-table\" border=\"1\">");
        if (table.name() != null && !table.name().isEmpty()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (String n : table.columnNames()) {
            html.append("<th>").append(escape(n)).append("</th>");
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
                Column<?> column = table.column(c);
                html.append("<td>").append(escape(column.getString(r))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table><p>").append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(cols).append(cols == 1 ? " column" : " columns").append("</p></div>");
        return new MimeBundle().put("text/html", html.toString()).put("text/plain", table.toString());
    }

    static MimeBundle matrix(DMatrix matrix) {
        int rows = matrix.getNumRows();
        int cols = matrix.getNumCols();
        int[] rowIdx = shownIndices(rows);
        int[] colIdx = shownIndices(cols);
        String[][] cells = new String[rowIdx.length][colIdx.length];
        int[] width = new int[colIdx.length];
        for (int i = 0; i < rowIdx.length; i++) {
            for (int j = 0; j < colIdx.length; j++) {
                if (rowIdx[i] < 0 || colIdx[j] < 0) {
                    cells[i][j] = rowIdx[i] < 0 ? (colIdx[j] < 0 ? "⋱" : "⋮") : "…";
                } else {
                    cells[i][j] = formatNumber(matrix.get(rowIdx[i], colIdx[j]));
                }
                width[j] = Math.max(width[j], cells[i][j].length());
            }
        }
        String title = matrix.getClass().getSimpleName() + " " + rows + "×" + cols;
        StringBuilder plain = new StringBuilder(title);
        StringBuilder html = new StringBuilder("<div><table class=\"rnnlab-matrix\" border=\"1\"><caption>")
                .append(escape(title)).append("</caption><tbody>");
        for (String[] row : cells) {
            plain.append('\n');
            html.append("<tr>");
            for (int j = 0; j < row.length; j++) {
                if (j > 0) {
                    plain.append("  ");
                }
                plain.append(" ".repeat(width[j] - row[j].length())).append(row[j]);
                html.append("<td style=\"text-align:right;font-family:monospace\">").append(escape(row[j])).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div>");
        return new MimeBundle().put("text/html", html.toString()).put("text/plain", plain.toString());
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

    /** Whole numbers below a million as integers, anything else to four significant figures. */
    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e6) {
            return String.valueOf((long) d);
        }
        return String.format(Locale.ROOT, "%.4g", d);
    }

    /** HTML-escaped text, as the kernel escapes it ({@link Html#escape}). */
    static String escape(String text) {
        return Html.escape(text);
    }
}
