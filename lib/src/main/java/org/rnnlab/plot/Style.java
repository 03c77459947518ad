package org.rnnlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** The one look all charts share: white background, light grid, Okabe–Ito colours, fonts readable at 700 px. */
final class Style {

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Color GRID = new Color(0xE3E3E3);
    static final Color INK = new Color(0x222222);
    static final BasicStroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);

    /** Colours of the dashed theory and reference lines: black, then grey, so they read as "not data". */
    static final Color[] THEORY = {new Color(0x000000), new Color(0x808080)};

    private static final SigFigs TICK = new SigFigs(4);

    /** Lines with more points than this are drawn without markers. */
    static final int MARKER_LIMIT = 30;

    private Style() {
    }

    /** Applies the shared look; the legend shows only when there is more than one series to tell apart. */
    static void apply(AxesChartStyler s, boolean legend, Styler.LegendPosition legendAt) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xBBBBBB));
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(TITLE);
        s.setChartTitlePadding(8);
        s.setChartPadding(10);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTickLabelsFont(TICKS);
        s.setAxisTickLabelsColor(INK);
        s.setAxisTickMarksColor(new Color(0x888888));
        s.setLegendFont(LEGEND);
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 225));
        s.setLegendPosition(legendAt);
        s.setLegendLayout(legendAt == Styler.LegendPosition.OutsideS ? Styler.LegendLayout.Horizontal
                : Styler.LegendLayout.Vertical);
        s.setLegendVisible(legend);
        s.setSeriesColors(Palette.series());
        s.setMarkerSize(6);
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
        s.setYAxisTickLabelsFormattingFunction(Style::tick);
    }

    /** A tick label: whole numbers without grouping ({@code 1400}), others to 4 significant digits ({@code 1e-4}). */
    static String tick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        return TICK.of(v);
    }
}
