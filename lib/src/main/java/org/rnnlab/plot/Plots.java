package org.rnnlab.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.BoxSeries;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnnlab.train.History;

/**
 * One-line charts for lesson notebooks. Every factory <em>returns</em> a chart (an XChart chart, or a
 * {@link BufferedImage} for {@link #heatmap}); the notebook kernel renders a cell's last expression as PNG, and
 * {@link #png} / {@link #save} turn it into bytes or a file.
 *
 * <p>All charts share one look: a title, axis labels, a legend only when there is more than one series, the
 * Okabe–Ito colour-blind-safe palette in a fixed order (the first series is always blue, the second vermillion,
 * ...), markers only on short lines (at most 30 points), and a default size of
 * 700×400 px that fits a notebook cell. To make one chart another size, wrap it in {@link #sized}:
 * {@code Plots.sized(1000, 300, () -> Plots.lines(...))}.
 *
 * <p>Line charts take {@link Curve}s, each named where it is made: values, a function sampled over an interval,
 * or a dashed reference line, so a cell needs no map and no loop:
 *
 * <pre>{@code
 * Plots.lines("Squashing functions", "z", "output", Curve.of("tanh(z)", -6, 6, Math::tanh), Curve.hline("1", 1))
 * }</pre>
 *
 * <p>The other charts take series as maps from name to values and draw them in the map's iteration order, so
 * pass a {@link LinkedHashMap} when the order matters (the map forms of {@code lines} remain, and draw the same
 * charts as their curve forms). Values must be finite: a NaN or infinity is an
 * {@link IllegalArgumentException} naming the series and index, except in the training-history charts, which
 * draw a diverged run up to its first non-finite value and say so in the legend.
 *
 * <p><b>Log axes.</b> A logarithmic axis cannot show zero or negative values. Rather than fail, the log-axis
 * charts draw every non-positive value at a floor one decade below the smallest positive value in the chart, so
 * a gradient that underflowed to 0 shows as a drop to the bottom of the plot. Past twelve decades a log axis's
 * labels would overlap, so such a chart plots the exponent log10 y instead, on an ordinary axis labelled as powers
 * of ten (1e-20): the same picture, with a tick every five or ten decades.
 */
public final class Plots {

    static {
        // show this library's values richly on whichever Java kernel runs the notebook
        org.rnnlab.notebook.KernelHooks.install();
    }

    /** The y range of {@link #traces}: fixed for gate and tanh activations so charts compare at a glance. */
    public enum Range {
        /** Fit the data. */
        AUTO,
        /** [0, 1], for sigmoid gates (input, forget, output gates, GRU update and reset gates). */
        GATE,
        /** [−1, 1], for tanh activations (hidden state, candidate, squashed cell). */
        TANH
    }

    private static final int DEFAULT_WIDTH = 700;
    private static final int DEFAULT_HEIGHT = 400;
    private static volatile int width = DEFAULT_WIDTH;
    private static volatile int height = DEFAULT_HEIGHT;
    /** The size {@link #sized} sets for the charts made on this thread while its supplier runs; null outside. */
    private static final ThreadLocal<int[]> SIZED = new ThreadLocal<>();

    private Plots() {
    }

    /**
     * Sets the size in pixels of all charts made from now on (the default, 700×400, fits a notebook cell).
     * To make one chart another size, prefer {@link #sized}, which leaves the charts after it at the default:
     * with this method every later cell's chart changes size until {@link #resetSize} is called.
     *
     * @throws IllegalArgumentException when the size is too small to hold a title, axes and labels (below 200×150)
     */
    public static void size(int widthPx, int heightPx) {
        checkSize(widthPx, heightPx);
        width = widthPx;
        height = heightPx;
    }

    /** Restores the default chart size, 700×400 px. */
    public static void resetSize() {
        width = DEFAULT_WIDTH;
        height = DEFAULT_HEIGHT;
    }

    /**
     * Makes one chart at the given size in pixels and leaves the size of every other chart as it was: the
     * charts made by {@code Plots} inside {@code chart} are built at {@code widthPx × heightPx}, and the result is
     * returned unchanged, so a cell ending in this expression shows the picture. A wide, flat chart for a long
     * sequence:
     *
     * <pre>{@code
     * Plots.sized(1000, 300, () -> Plots.lines("Forget gate", "time step t", "f_t", Curve.of("f_t", forget)))
     * }</pre>
     *
     * <p>The chart is built at its size rather than resized afterwards because an XChart chart keeps the size it
     * was built with (its width and height have no public setter); building it at the size also lays out the
     * title, legend and ticks for that size. Works for every factory of this class, including {@link #heatmap}.
     * The size applies to the calling thread only, and only while {@code chart} runs, even when it throws.
     *
     * @throws IllegalArgumentException when the size is below 200×150 or {@code chart} is null or returns null
     */
    public static <T> T sized(int widthPx, int heightPx, Supplier<T> chart) {
        checkSize(widthPx, heightPx);
        if (chart == null) {
            throw new IllegalArgumentException("no chart given: pass one as a lambda, e.g. () -> Plots.lines(...)");
        }
        int[] outer = SIZED.get();
        SIZED.set(new int[] {widthPx, heightPx});
        T made;
        try {
            made = chart.get();
        } finally {
            if (outer == null) {
                SIZED.remove();
            } else {
                SIZED.set(outer);
            }
        }
        if (made == null) {
            throw new IllegalArgumentException("the chart given to sized returned null: end the lambda with a Plots call");
        }
        return made;
    }

    private static void checkSize(int widthPx, int heightPx) {
        if (widthPx < 200 || heightPx < 150) {
            throw new IllegalArgumentException("chart size " + widthPx + "x" + heightPx
                    + " is too small for title, axes and labels; use at least 200x150 (default 700x400)");
        }
    }

    /** The width of a chart made now: the size {@link #sized} set on this thread, else the global one. */
    private static int width() {
        int[] s = SIZED.get();
        return s != null ? s[0] : width;
    }

    private static int height() {
        int[] s = SIZED.get();
        return s != null ? s[1] : height;
    }

    // ---------------------------------------------------------------- line charts

    /**
     * Line chart of the given curves in the order given: data curves take the palette colours in turn, reference
     * lines ({@link Curve#hline}, {@link Curve#vline}) are dashed and take none. The legend shows when there is
     * more than one curve.
     *
     * <pre>{@code
     * Plots.lines("Sigmoid", "z", "σ(z)", Curve.of("σ(z)", -6, 6, z -> 1 / (1 + Math.exp(-z))), Curve.hline("½", 0.5))
     * }</pre>
     *
     * @throws IllegalArgumentException when no curve is given, two curves have the same name, or there are only
     *                                  reference lines (they need a data curve to span)
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Curve... curves) {
        return lines(title, xLabel, yLabel, curves == null ? null : Arrays.asList(curves), false);
    }

    /** {@link #lines(String, String, String, Curve...)} for curves collected in a list, e.g. one per learning rate. */
    public static XYChart lines(String title, String xLabel, String yLabel, List<Curve> curves) {
        return lines(title, xLabel, yLabel, curves, false);
    }

    /**
     * {@link #lines(String, String, String, Curve...)} with a logarithmic y axis, for quantities that grow or
     * shrink exponentially: {@code Plots.linesLogY("ρ^k", "k", "ρ^k", Curve.of("ρ = 0.9", 0, 50, k -> Math.pow(0.9, k)))}.
     * Non-positive values, of data and of horizontal lines, are drawn at the floor described in the class comment,
     * and past twelve decades the exponent is plotted instead.
     */
    public static XYChart linesLogY(String title, String xLabel, String yLabel, Curve... curves) {
        return lines(title, xLabel, yLabel, curves == null ? null : Arrays.asList(curves), true);
    }

    /** {@link #linesLogY(String, String, String, Curve...)} for curves collected in a list. */
    public static XYChart linesLogY(String title, String xLabel, String yLabel, List<Curve> curves) {
        return lines(title, xLabel, yLabel, curves, true);
    }

    /**
     * Line chart of one or more series against their index 0..n−1; all series must have the same length.
     * The same chart as {@link #lines(String, String, String, Curve...)} with one {@link Curve#of(String, double...)}
     * per entry, which needs no map.
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[]> series) {
        Check.series(series, "series");
        return lines(title, xLabel, yLabel, curves(indices(Check.sameLength(series)), series), false);
    }

    /**
     * Line chart of one or more series against the given x values (one y value per x value in every series).
     * The same chart as {@link #lines(String, String, String, Curve...)} with one
     * {@link Curve#of(String, double[], double[])} per entry.
     */
    public static XYChart lines(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {
        Check.series(series, "series");
        Check.matchesX(series, x);
        return lines(title, xLabel, yLabel, curves(x, series), false);
    }

    /**
     * Like {@link #lines(String, String, String, Map)} with a logarithmic y axis, for quantities that grow or
     * shrink exponentially (a straight line on this chart is an exponential). Non-positive values are drawn at
     * the floor described in the class comment.
     */
    public static XYChart linesLogY(String title, String xLabel, String yLabel, Map<String, double[]> series) {
        Check.series(series, "series");
        return lines(title, xLabel, yLabel, curves(indices(Check.sameLength(series)), series), true);
    }

    /** Like {@link #lines(String, String, String, double[], Map)} with a logarithmic y axis. */
    public static XYChart linesLogY(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {
        Check.series(series, "series");
        Check.matchesX(series, x);
        return lines(title, xLabel, yLabel, curves(x, series), true);
    }

    private static List<Curve> curves(double[] x, Map<String, double[]> series) {
        List<Curve> curves = new ArrayList<>();
        series.forEach((name, y) -> curves.add(Curve.of(name, x, y)));
        return curves;
    }

    private static XYChart lines(String title, String xLabel, String yLabel, List<Curve> curves, boolean logY) {
        Check.curves(curves);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        Map<String, double[]> ys = new LinkedHashMap<>();
        for (Curve c : curves) {
            switch (c.kind()) {
                case DATA -> {
                    for (double v : c.x()) {
                        xMin = Math.min(xMin, v);
                        xMax = Math.max(xMax, v);
                    }
                    ys.put(c.name(), c.y());
                }
                case HLINE -> ys.put(c.name(), new double[] {c.at(), c.at()});
                case VLINE -> { }
            }
        }
        if (logY) {
            ys = LogFloor.apply(ys);
        }
        double yMin = ys.values().stream().flatMapToDouble(Arrays::stream).min().orElseThrow();
        double yMax = ys.values().stream().flatMapToDouble(Arrays::stream).max().orElseThrow();
        XYChart chart = xy(title, xLabel, yLabel, logY, curves.size() > 1, LegendPosition.InsideNE);
        int colour = 0;
        int reference = 0;
        for (Curve c : curves) {
            switch (c.kind()) {
                case DATA -> line(chart, c.name(), c.x(), ys.get(c.name()), colour++);
                case HLINE -> referenceLine(chart, c.name(), new double[] {xMin, xMax}, ys.get(c.name()), reference++);
                case VLINE -> referenceLine(chart, c.name(), new double[] {c.at(), c.at()}, new double[] {yMin, yMax},
                        reference++);
            }
        }
        return LogAxis.fit(chart);
    }

    // ---------------------------------------------------------------- training

    /** The loss at every update of one training run (log y when the loss spans more than about 1.5 decades). */
    public static XYChart history(History h) {
        return history(h, 1);
    }

    /**
     * The loss at every update, with a trailing moving average over {@code smooth} updates drawn on top of the
     * faint raw curve (1 = no smoothing). The moving average at update i is the mean of updates
     * max(0, i−smooth+1)..i, so it lags the raw curve but never looks ahead.
     */
    public static XYChart history(History h, int smooth) {
        Map<String, History> one = new LinkedHashMap<>();
        one.put("loss", h);
        return losses(one, smooth, true);
    }

    /** The loss per update of several runs on one chart, one colour per run, in the map's order. */
    public static XYChart histories(Map<String, History> runs) {
        return histories(runs, 1);
    }

    /** Like {@link #histories(Map)}, drawing only the trailing moving average over {@code smooth} updates. */
    public static XYChart histories(Map<String, History> runs, int smooth) {
        return losses(runs, smooth, false);
    }

    private static XYChart losses(Map<String, History> runs, int smooth, boolean single) {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("no runs given: pass a map with at least one entry, name -> History");
        }
        if (smooth < 1) {
            throw new IllegalArgumentException("smoothing window is " + smooth + "; use 1 for none or a number of updates");
        }
        List<Run> curves = new ArrayList<>();
        for (Map.Entry<String, History> e : runs.entrySet()) {
            History h = e.getValue();
            if (h == null || h.size() == 0) {
                throw new IllegalArgumentException("history '" + e.getKey() + "' has no updates: train before plotting");
            }
            curves.add(Run.ofHistory(e.getKey(), h, new double[][] {h.losses()}));
        }
        boolean logY = LogFloor.spansDecades(curves.stream().flatMapToDouble(c -> Arrays.stream(c.ys[0])).toArray());
        boolean smoothed = smooth > 1;
        String title = "Training loss" + (smoothed && !single ? " (moving average over " + smooth + " updates)" : "");
        boolean legend = (single ? smoothed : runs.size() > 1) || curves.stream().anyMatch(c -> c.note != null);
        XYChart chart = xy(title, "update", "loss", logY, legend, LegendPosition.InsideNE);
        int colour = 0;
        for (Run c : curves) {
            double[] y = c.ys[0];
            Color col = Palette.series(colour++);
            if (single && smoothed) {
                XYSeries raw = line(chart, c.label("loss"), c.x, y, col);
                raw.setLineColor(Palette.withAlpha(col, 0.3));
                raw.setLineWidth(1f);
                line(chart, "moving average over " + smooth, c.x, movingAverage(y, smooth), col);
            } else {
                line(chart, single ? c.label("loss") : c.label(c.name), c.x, smoothed ? movingAverage(y, smooth) : y, col);
            }
        }
        return LogAxis.fit(chart);
    }

    /**
     * The global gradient norm at every update before and after clipping, on a log axis: where the two differ,
     * clipping cut the step; spikes in the "before" curve are the exploding gradients clipping tamed.
     */
    public static XYChart gradNorms(History h) {
        if (h == null || h.size() == 0) {
            throw new IllegalArgumentException("history has no updates: train before plotting gradient norms");
        }
        Run c = Run.ofHistory("gradient norm", h, new double[][] {h.gradNorms(), h.clippedNorms()});
        Map<String, double[]> ys = new LinkedHashMap<>();
        ys.put(c.label("before clipping"), c.ys[0]);
        ys.put("after clipping", c.ys[1]);
        ys = LogFloor.apply(ys);
        XYChart chart = xy("Gradient norm per update", "update", "‖g‖ (global L2 norm)", true, true,
                LegendPosition.OutsideS);
        int colour = 0;
        for (Map.Entry<String, double[]> e : ys.entrySet()) {
            line(chart, e.getKey(), c.x, e.getValue(), colour++).setLineWidth(1.3f);
        }
        return LogAxis.fit(chart);
    }

    // ---------------------------------------------------------------- gradients through time

    /**
     * ‖∂L/∂h_t‖ against the time step t, log y. Each curve holds one value per time step t = 0..T−1 in
     * forward order (as backpropagation through time produces them, the loss sitting at the last step);
     * all curves must have the same length. See {@link #gradientPerLag} for the view that lines up decay rates.
     */
    public static XYChart gradientPerStep(Map<String, double[]> curves) {
        return gradient(curves, Map.of(), false);
    }

    /**
     * {@link #gradientPerStep(Map)} with dashed theory lines c·ρ^(T−1−t), one per entry of {@code rhoLines}
     * (legend label → ρ), anchored at the last step of the first curve, where the gradient enters.
     */
    public static XYChart gradientPerStep(Map<String, double[]> curves, Map<String, Double> rhoLines) {
        return gradient(curves, rhoLines, false);
    }

    /**
     * ‖∂L/∂h_t‖ against the lag k = T−1−t, the number of steps the gradient has travelled back from the loss,
     * log y. Each curve is given in forward order t = 0..T−1, as for {@link #gradientPerStep(Map)}, and is
     * reversed for drawing (pass {@code GradientFlow.perStep}, not {@code GradientFlow.perLag}, which is already
     * reversed); curves may differ in length because they all start at lag 0. On this chart a
     * gradient that shrinks by a factor ρ per step is a straight line of slope log ρ.
     */
    public static XYChart gradientPerLag(Map<String, double[]> curves) {
        return gradient(curves, Map.of(), true);
    }

    /**
     * {@link #gradientPerLag(Map)} with dashed theory lines c·ρ^lag, one per entry of {@code rhoLines}
     * (legend label → ρ, e.g. {@code "ρ = 0.9"}), anchored at lag 0 of the first curve. A theory line stops
     * where it falls below the plotted data so it cannot stretch the axis.
     */
    public static XYChart gradientPerLag(Map<String, double[]> curves, Map<String, Double> rhoLines) {
        return gradient(curves, rhoLines, true);
    }

    private static XYChart gradient(Map<String, double[]> curves, Map<String, Double> rhoLines, boolean byLag) {
        Check.series(curves, "gradient curves");
        if (rhoLines == null) {
            throw new IllegalArgumentException("rhoLines is null: pass Map.of() for no theory lines");
        }
        rhoLines.forEach((name, rho) -> {
            if (rho == null || !(rho > 0) || Double.isInfinite(rho)) {
                throw new IllegalArgumentException("theory line '" + name + "' has rho = " + rho
                        + "; give a finite rho > 0 (it is drawn as c·rho^lag on a log axis)");
            }
        });
        int steps = byLag ? curves.values().stream().mapToInt(v -> v.length).max().orElseThrow()
                : Check.sameLength(curves);
        Map<String, double[]> byLagValues = new LinkedHashMap<>();
        curves.forEach((name, v) -> byLagValues.put(name, reversed(v)));
        Map<String, double[]> ys = LogFloor.apply(byLagValues);
        double floor = LogFloor.floorOf(byLagValues);

        String title = byLag ? "Gradient norm ‖∂L/∂h_t‖ by lag" : "Gradient norm ‖∂L/∂h_t‖ per time step";
        String xLabel = byLag ? "lag T−t (steps back from the loss)" : "time step t";
        XYChart chart = xy(title, xLabel, "‖∂L/∂h_t‖", true, curves.size() + rhoLines.size() > 1,
                byLag ? LegendPosition.InsideSW : LegendPosition.InsideSE);
        int colour = 0;
        for (Map.Entry<String, double[]> e : ys.entrySet()) {
            double[] lagValues = e.getValue();
            double[] y = byLag ? lagValues : reversed(lagValues);
            line(chart, e.getKey(), indices(y.length), y, colour++);
        }
        double anchor = ys.values().iterator().next()[0];
        int theoryColour = 0;
        for (Map.Entry<String, Double> e : rhoLines.entrySet()) {
            List<Double> theory = new ArrayList<>();
            for (int k = 0; k < steps; k++) {
                double v = anchor * Math.pow(e.getValue(), k);
                if (v < floor) {
                    break;
                }
                theory.add(v);
            }
            double[] lag = indices(theory.size());
            double[] x = byLag ? lag : Arrays.stream(lag).map(k -> steps - 1 - k).toArray();
            double[] y = theory.stream().mapToDouble(Double::doubleValue).toArray();
            referenceLine(chart, e.getKey(), x, y, theoryColour++);
        }
        return LogAxis.fit(chart);
    }

    // ---------------------------------------------------------------- activations

    /** Activations (gates, cell, hidden units) over time steps, y range fitted to the data. */
    public static XYChart traces(String title, Map<String, double[]> series) {
        return traces(title, series, Range.AUTO);
    }

    /**
     * Activations over time steps with a fixed y range: {@link Range#GATE} [0, 1] for sigmoid gates,
     * {@link Range#TANH} [−1, 1] for tanh outputs, so a saturated gate visibly hugs the edge. All series must have
     * the same length (one value per time step).
     */
    public static XYChart traces(String title, Map<String, double[]> series, Range range) {
        Check.series(series, "traces");
        if (range == null) {
            throw new IllegalArgumentException("range is null: use Range.AUTO, Range.GATE or Range.TANH");
        }
        double[] x = indices(Check.sameLength(series));
        String yLabel = switch (range) {
            case GATE -> "gate value";
            case TANH -> "activation";
            case AUTO -> "value";
        };
        XYChart chart = xy(title, "time step t", yLabel, false, series.size() > 1, LegendPosition.OutsideE);
        if (range != Range.AUTO) {
            chart.getStyler().setYAxisMin(range == Range.GATE ? 0.0 : -1.0);
            chart.getStyler().setYAxisMax(1.0);
        }
        int colour = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            line(chart, e.getKey(), x, e.getValue(), colour++);
        }
        return chart;
    }

    /**
     * A matrix as a heatmap, e.g. hidden units (rows, top to bottom) over time steps (columns, left to right), on
     * a blue–white–red diverging scale centred on 0. The scale is [−1, 1] when every value lies in it (tanh
     * states, so charts compare), otherwise [−m, m] with m the largest absolute value.
     *
     * <p>Returned as a {@link BufferedImage} (the kernel shows it as PNG): XChart's HeatMapChart draws every cell
     * as an outlined shape and is slow and blurry for grids like 128×200, while this draws one pixel per cell
     * scaled up without smoothing, in a few milliseconds.
     */
    public static BufferedImage heatmap(String title, double[][] values, String xLabel, String yLabel) {
        checkMatrix(values);
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return heatmap(title, values, xLabel, yLabel, max <= 1 ? 1 : max);
    }

    /** {@link #heatmap(String, double[][], String, String)} on the diverging scale [−limit, limit]; values beyond it get the end colours. */
    public static BufferedImage heatmap(String title, double[][] values, String xLabel, String yLabel, double limit) {
        checkMatrix(values);
        if (!(limit > 0) || Double.isInfinite(limit)) {
            throw new IllegalArgumentException("heatmap limit is " + limit + "; give a finite limit > 0 (the scale is [-limit, limit])");
        }
        return Heatmap.render(title, values, xLabel, yLabel, limit, width(), height());
    }

    private static void checkMatrix(double[][] values) {
        if (values == null || values.length == 0 || values[0] == null || values[0].length == 0) {
            throw new IllegalArgumentException("heatmap values are empty: give at least one row with one value");
        }
        for (int r = 0; r < values.length; r++) {
            if (values[r] == null || values[r].length != values[0].length) {
                throw new IllegalArgumentException("heatmap row " + r + " has " + (values[r] == null ? "no" : values[r].length)
                        + " values but row 0 has " + values[0].length + ": rows must all have the same length");
            }
            int c = Check.firstNonFinite(values[r]);
            if (c >= 0) {
                throw new IllegalArgumentException("heatmap value at row " + r + ", column " + c + " is " + values[r][c]
                        + ": replace non-finite values before plotting");
            }
        }
    }

    // ---------------------------------------------------------------- comparisons

    /**
     * One box per group (e.g. final loss of each LSTM variant over seeds): the box spans the quartiles, the line
     * inside is the median, the whiskers reach the furthest points within 1.5 box lengths, points beyond are
     * drawn singly.
     */
    public static BoxChart boxes(String title, String yLabel, Map<String, double[]> groups) {
        Check.series(groups, "groups");
        BoxChart chart = new BoxChartBuilder().width(width()).height(height()).title(title).xAxisTitle("")
                .yAxisTitle(yLabel).build();
        Style.apply(chart.getStyler(), false, LegendPosition.InsideNE);
        chart.getStyler().setXAxisTitleVisible(false);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setShowWithinAreaPoint(true);
        chart.getStyler().setXAxisTickMarkSpacingHint(40);          // label every box, even ten at 700 px
        int colour = 0;
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            BoxSeries s = chart.addSeries(e.getKey(), e.getValue());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Palette.withAlpha(Palette.series(colour++), 0.7));
        }
        return chart;
    }

    /**
     * Grouped bar chart (e.g. accuracy per delay, one series per model): one bar per category in each series,
     * every series holding one value per category.
     */
    public static CategoryChart bars(String title, String xLabel, String yLabel, String[] categories,
                                     Map<String, double[]> series) {
        Check.series(series, "series");
        if (categories == null || categories.length == 0) {
            throw new IllegalArgumentException("no categories given: name each bar position, e.g. {\"5\", \"10\", \"20\"}");
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != categories.length) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values but there are " + categories.length + " categories: give one value per category");
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(width()).height(height()).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        Style.apply(chart.getStyler(), series.size() > 1, LegendPosition.OutsideE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.7);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            chart.addSeries(e.getKey(), Arrays.asList(categories), Arrays.stream(e.getValue()).boxed().toList());
        }
        return chart;
    }

    // ---------------------------------------------------------------- output

    /** The chart (any XChart chart, or a {@link RenderedImage} such as a {@link #heatmap}) encoded as PNG. */
    public static byte[] png(Object chart) {
        try {
            RenderedImage img = chart instanceof IChart c ? image(c) : chart instanceof RenderedImage r ? r : null;
            if (img != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(img, "png", out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the chart as PNG", e);
        }
        throw new IllegalArgumentException("cannot encode " + (chart == null ? "null" : chart.getClass().getName())
                + " as PNG: pass a chart made by Plots (an XChart chart or a BufferedImage)");
    }

    /**
     * The chart drawn at its size, as XChart's {@code BitmapEncoder.getBufferedImage} does, but with exact
     * ("pure") strokes: by default Java2D moves every line end to the pixel grid, which turns a curve of many short
     * segments, such as a sampled function, into a staircase.
     */
    private static BufferedImage image(IChart chart) {
        BufferedImage img = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the chart as a PNG file (creating missing parent folders) and returns the path. */
    public static Path save(Object chart, Path file) {
        byte[] bytes = png(chart);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the chart to " + file, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static XYChart xy(String title, String xLabel, String yLabel, boolean logY, boolean legend,
                              LegendPosition legendAt) {
        XYChart chart = new XYChartBuilder().width(width()).height(height()).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        Style.apply(chart.getStyler(), legend, legendAt);
        chart.getStyler().setXAxisTickLabelsFormattingFunction(Style::tick);
        chart.getStyler().setYAxisLogarithmic(logY);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, int colour) {
        return line(chart, name, x, y, Palette.series(colour));
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color colour) {
        XYSeries s = chart.addSeries(name, niceTicks(x), y);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setLineWidth(2f);
        s.setMarker(y.length > Style.MARKER_LIMIT ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        return s;
    }

    /** A dashed theory or reference line in the neutral colours of {@link Style#THEORY}, without markers. */
    private static XYSeries referenceLine(XYChart chart, String name, double[] x, double[] y, int index) {
        XYSeries s = line(chart, name, x, y, Style.THEORY[index % Style.THEORY.length]);
        s.setLineStyle(Style.DASHED);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * XChart puts the x ticks of equally spaced x values (spacing equal to within 1e-4) on data points (0, 86,
     * 172, ... for 1500 points; −6, −5.4, −4.8, ... for a function sampled on [−6, 6]) instead of round numbers.
     * For long lines spanning at least 1 on the x axis this nudges the last x by 2e-4, at most 1/5,000 of the
     * axis and so invisible at any chart width, and XChart falls back to round tick values.
     */
    private static double[] niceTicks(double[] x) {
        if (x.length <= Style.MARKER_LIMIT || Math.abs(x[x.length - 1] - x[0]) < 1) {
            return x;
        }
        double[] nudged = x.clone();
        nudged[x.length - 1] += 2e-4 * Math.signum(x[1] - x[0]);
        return nudged;
    }

    static double[] indices(int n) {
        double[] x = new double[n];
        Arrays.setAll(x, i -> i);
        return x;
    }

    private static double[] reversed(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    /** Trailing moving average: entry i is the mean of entries max(0, i−window+1)..i. */
    static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) {
                sum -= v[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** Values of a training history cut at the first non-finite value, with x = update index and a legend note. */
    private record Run(String name, double[] x, double[][] ys, String note) {

        static Run ofHistory(String name, History h, double[][] columns) {
            int n = h.size();
            for (double[] col : columns) {
                int bad = Check.firstNonFinite(col);
                if (bad >= 0) {
                    n = Math.min(n, bad);
                }
            }
            List<History.Step> steps = h.steps();
            if (n == 0) {
                throw new IllegalArgumentException("history '" + name + "' is non-finite from its first update ("
                        + steps.get(0) + "): nothing to plot; lower the learning rate or clip gradients");
            }
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = steps.get(i).step();
            }
            double[][] ys = new double[columns.length][];
            for (int j = 0; j < columns.length; j++) {
                ys[j] = Arrays.copyOf(columns[j], n);
            }
            String note = n < h.size() ? "non-finite from update " + steps.get(n).step() : null;
            return new Run(name, x, ys, note);
        }

        String label(String base) {
            return note == null ? base : base + " (" + note + ")";
        }
    }
}
