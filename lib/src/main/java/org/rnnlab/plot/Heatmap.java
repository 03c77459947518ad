package org.rnnlab.plot;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Draws a matrix as a heatmap straight into a {@link BufferedImage}: one pixel per cell in a small image, scaled
 * up with nearest-neighbour interpolation, plus title, axis ticks, labels and a colour bar. This stays fast and
 * crisp for a few hundred rows and columns, where XChart's HeatMapChart draws every cell as a shape with a
 * border and becomes slow and muddy.
 */
final class Heatmap {

    private static final int PAD = 10;
    private static final int BAR_WIDTH = 14;

    private Heatmap() {
    }

    /** Renders {@code values} (rows top to bottom, columns left to right) on the diverging scale [−limit, limit]. */
    static BufferedImage render(String title, double[][] values, String xLabel, String yLabel, double limit,
                                int width, int height) {
        int rows = values.length;
        int cols = values[0].length;
        BufferedImage cells = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                cells.setRGB(c, r, Palette.diverging(values[r][c] / limit).getRGB());
            }
        }

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Style.INK);

            g.setFont(Style.TITLE);
            FontMetrics tm = g.getFontMetrics();
            int top = PAD + tm.getHeight() + 8;
            g.drawString(title, (width - tm.stringWidth(title)) / 2, PAD + tm.getAscent());

            g.setFont(Style.TICKS);
            FontMetrics km = g.getFontMetrics();
            g.setFont(Style.AXIS_TITLE);
            FontMetrics am = g.getFontMetrics();
            String widestRow = Integer.toString(rows - 1);
            int left = PAD + am.getHeight() + 4 + km.stringWidth(widestRow) + 8;
            int barLabels = Math.max(km.stringWidth(format(-limit)), km.stringWidth(format(-limit / 2))) + 6;
            int right = PAD + barLabels + BAR_WIDTH + 14;
            int bottom = PAD + am.getHeight() + km.getHeight() + 8;
            int pw = Math.max(1, width - left - right);
            int ph = Math.max(1, height - top - bottom);

            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(cells, left, top, pw, ph, null);
            g.setColor(new Color(0x888888));
            g.drawRect(left, top, pw, ph);

            g.setFont(Style.TICKS);
            g.setColor(Style.INK);
            int step = tickStep(cols, pw / 45);
            for (int c = 0; c < cols; c += step) {
                int x = left + (int) Math.round((c + 0.5) * pw / cols);
                g.drawLine(x, top + ph, x, top + ph + 4);
                String s = Integer.toString(c);
                g.drawString(s, x - km.stringWidth(s) / 2, top + ph + 5 + km.getAscent());
            }
            step = tickStep(rows, ph / 25);
            for (int r = 0; r < rows; r += step) {
                int y = top + (int) Math.round((r + 0.5) * ph / rows);
                g.drawLine(left - 4, y, left, y);
                String s = Integer.toString(r);
                g.drawString(s, left - 6 - km.stringWidth(s), y + km.getAscent() / 2 - 1);
            }

            g.setFont(Style.AXIS_TITLE);
            g.drawString(xLabel, left + (pw - am.stringWidth(xLabel)) / 2, height - PAD - am.getDescent());
            AffineTransform saved = g.getTransform();
            g.translate(PAD + am.getAscent(), top + (ph + am.stringWidth(yLabel)) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(saved);

            drawColourBar(g, left + pw + 14, top, ph, limit, km);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawColourBar(Graphics2D g, int x, int top, int ph, double limit, FontMetrics km) {
        for (int y = 0; y < ph; y++) {
            g.setColor(Palette.diverging(1 - 2.0 * y / Math.max(1, ph - 1)));
            g.drawLine(x, top + y, x + BAR_WIDTH, top + y);
        }
        g.setColor(new Color(0x888888));
        g.drawRect(x, top, BAR_WIDTH, ph);
        g.setFont(Style.TICKS);
        g.setColor(Style.INK);
        double[] ticks = {limit, limit / 2, 0, -limit / 2, -limit};
        for (int i = 0; i < ticks.length; i++) {
            int y = top + (int) Math.round(i * ph / 4.0);
            g.drawLine(x + BAR_WIDTH, y, x + BAR_WIDTH + 3, y);
            g.drawString(format(ticks[i]), x + BAR_WIDTH + 6, y + km.getAscent() / 2 - 1);
        }
    }

    /** A step of 1, 2 or 5 times a power of ten giving at most {@code maxTicks} ticks over {@code n} cells. */
    static int tickStep(int n, int maxTicks) {
        int target = Math.max(1, maxTicks);
        for (int base = 1; ; base *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                if ((n + base * m - 1) / (base * m) <= target) {
                    return base * m;
                }
            }
        }
    }

    private static String format(double v) {
        String s = Math.abs(v) >= 100 || (v != 0 && Math.abs(v) < 0.01) ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.3g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.replace('-', '−');
    }
}
