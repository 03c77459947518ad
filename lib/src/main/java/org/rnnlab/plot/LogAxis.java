package org.rnnlab.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Keeps a logarithmic y axis legible however many decades it spans.
 *
 * <p>XChart's log axis labels every decade and draws a grid line at 2, 3 … 9 of each: over twenty decades (the
 * vanishing gradient of a plain RNN over 100 steps) the labels overlap and the grid turns into a grey band. Past
 * {@link #MAX_DECADES} decades the chart is therefore redrawn as what a log axis shows anyway, the exponent
 * log10 y on an ordinary axis, whose ticks XChart spaces as on any linear axis (every 5 or 10 decades), labelled
 * as powers of ten ({@code 1e-20}). A straight line is still an exponential, and the chart reads the same way.
 */
final class LogAxis {
    /** The most decades a true log axis is kept for. */
    static final double MAX_DECADES = 12;
    /**
     * Added to the last exponent of the first series of more than two points (not a reference line), 1/4,000 of a
     * decade, invisible. When all values of a chart are
     * equally spaced (an exact exponential), XChart puts the ticks on data values instead of round numbers: some
     * twenty labels such as 3.4e-13, 1.1e-12 … instead of 1e-12, 1e-10 …; this keeps the spacing from being exact.
     */
    private static final double NUDGE = 2.5e-4;

    private LogAxis() {
    }

    /**
     * Returns {@code chart}, redrawn as described in the class comment when its y axis is logarithmic and its data
     * (all positive: see {@link LogFloor}) span more than {@link #MAX_DECADES} decades; unchanged otherwise.
     */
    static XYChart fit(XYChart chart) {
        if (!chart.getStyler().isYAxisLogarithmic() || decades(chart) <= MAX_DECADES) {
            return chart;
        }
        boolean nudged = false;
        for (XYSeries s : chart.getSeriesCollection()) {
            double[] y = s.getYData().clone();
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.log10(y[i]);
            }
            if (!nudged && y.length > 2) {
                y[y.length - 1] += NUDGE;
                nudged = true;
            }
            chart.updateXYSeries(s.getName(), s.getXData(), y, null);
        }
        chart.getStyler().setYAxisLogarithmic(false);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(LogAxis::powerOfTen);
        return chart;
    }

    /** log10(max / min) over every y value of the chart. */
    static double decades(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (XYSeries s : chart.getSeriesCollection()) {
            for (double y : s.getYData()) {
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
        }
        return min > 0 ? Math.log10(max / min) : 0;
    }

    /**
     * The label of exponent e: 10^e written as {@code 1e-20} ({@code 1} for 0). Between decades (XChart may step by
     * 2.5) the value to two digits, {@code 3.2e-3}: labels must stay distinct, or XChart drops all but the ends.
     */
    static String powerOfTen(double exponent) {
        long e = Math.round(exponent);
        if (Math.abs(exponent - e) < 1e-9) {
            return e == 0 ? "1" : "1e" + e;
        }
        String mantissaAndExponent = String.format(java.util.Locale.ROOT, "%.1e", Math.pow(10, exponent));
        int at = mantissaAndExponent.indexOf('e');
        return mantissaAndExponent.substring(0, at) + "e" + Integer.parseInt(mantissaAndExponent.substring(at + 1));
    }
}
