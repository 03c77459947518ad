package org.rnnlab.plot;

import java.util.function.DoubleUnaryOperator;

/**
 * One named line for {@link Plots#lines(String, String, String, Curve...)}: data values, a function, or a dashed
 * reference line. A notebook cell names each curve where it makes it, instead of filling a map:
 *
 * <pre>{@code
 * Plots.lines("The two squashing functions of an LSTM", "pre-activation z", "output",
 *         Curve.of("σ(z): a valve, 0 … 1", -6, 6, z -> 1 / (1 + Math.exp(-z))),
 *         Curve.of("tanh(z): a value, −1 … 1", -6, 6, Math::tanh),
 *         Curve.hline("1", 1))
 * }</pre>
 *
 * <p>Data curves ({@link #of(String, double...) of}) take the Okabe–Ito colours in the order they are given.
 * Reference lines ({@link #hline}, {@link #vline}) are dashed black, then grey, take no colour from the data, and
 * span the data: a horizontal line runs across the x range of the chart's data curves, a vertical line across
 * their y range. All of them are labelled in the legend.
 *
 * <p>Every value is checked when the curve is made, so a mistake shows in the line that made it: an empty
 * curve, a NaN or infinite value (named by curve and index), x and y of different lengths, or a sampling
 * interval with {@code from >= to} is an {@link IllegalArgumentException} saying what to do. A curve is
 * immutable: its factories copy the arrays they are given.
 */
public final class Curve {

    /**
     * Points a function is sampled at unless told otherwise: 201, so that over a chart 700 px wide the segments
     * are a few pixels long and a sigmoid or a sine looks smooth, and over [−6, 6] the samples fall on round
     * numbers (steps of 0.06) that include 0.
     */
    public static final int SMOOTH_POINTS = 201;

    /** What a curve draws. */
    enum Kind {
        /** Values, drawn as a solid line in the next palette colour. */
        DATA,
        /** A dashed line at one y across the data's x range. */
        HLINE,
        /** A dashed line at one x across the data's y range. */
        VLINE
    }

    private final String name;
    private final Kind kind;
    private final double[] x;
    private final double[] y;
    private final double at;

    private Curve(String name, Kind kind, double[] x, double[] y, double at) {
        this.name = name;
        this.kind = kind;
        this.x = x;
        this.y = y;
        this.at = at;
    }

    /**
     * Values drawn against their index 0, 1, 2 …, e.g. {@code Curve.of("train loss", losses)}.
     *
     * @throws IllegalArgumentException when the name is null, there are no values, or a value is NaN or infinite
     */
    public static Curve of(String name, double... y) {
        checkName(name);
        checkValues(name, "y", y);
        return new Curve(name, Kind.DATA, Plots.indices(y.length), y.clone(), Double.NaN);
    }

    /**
     * Values drawn against the given x values, one y per x, e.g. {@code Curve.of("accuracy", delays, accuracy)}.
     *
     * @throws IllegalArgumentException when x and y differ in length, either is empty, or holds a NaN or infinity
     */
    public static Curve of(String name, double[] x, double[] y) {
        checkName(name);
        checkValues(name, "x", x);
        checkValues(name, "y", y);
        if (x.length != y.length) {
            throw new IllegalArgumentException("curve '" + name + "' has " + x.length + " x values but " + y.length
                    + " y values: give one y value per x value");
        }
        return new Curve(name, Kind.DATA, x.clone(), y.clone(), Double.NaN);
    }

    /**
     * The function {@code f} sampled at {@link #SMOOTH_POINTS} equally spaced points from {@code from} to
     * {@code to}, both included, e.g. {@code Curve.of("tanh", -6, 6, Math::tanh)}.
     *
     * @throws IllegalArgumentException when {@code from >= to}, either is not finite, or f gives a NaN or infinity
     */
    public static Curve of(String name, double from, double to, DoubleUnaryOperator f) {
        return of(name, from, to, SMOOTH_POINTS, f);
    }

    /**
     * The function {@code f} sampled at {@code points} equally spaced points from {@code from} to {@code to},
     * both included: few points (at most 30 are drawn with markers) show where a function is evaluated, e.g.
     * {@code Curve.of("ρ^k", 0, 20, 21, k -> Math.pow(0.9, k))} for whole k.
     *
     * @throws IllegalArgumentException when {@code points < 2}, {@code from >= to}, either is not finite, or f
     *                                  gives a NaN or infinity (the message names the x where it did)
     */
    public static Curve of(String name, double from, double to, int points, DoubleUnaryOperator f) {
        checkName(name);
        if (!Double.isFinite(from) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("curve '" + name + "' is sampled on [" + from + ", " + to
                    + "]: give finite ends");
        }
        if (from >= to) {
            throw new IllegalArgumentException("curve '" + name + "' is sampled on [" + from + ", " + to
                    + "]: from must be less than to" + (from > to ? "; swap them" : "; widen the interval"));
        }
        if (points < 2) {
            throw new IllegalArgumentException("curve '" + name + "' asks for " + points
                    + " points: sample at least 2 (the ends), or leave the count out for " + SMOOTH_POINTS);
        }
        if (f == null) {
            throw new IllegalArgumentException("curve '" + name + "' has no function: pass one, e.g. Math::tanh");
        }
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            x[i] = i == points - 1 ? to : from + (to - from) * i / (points - 1);
            y[i] = f.applyAsDouble(x[i]);
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("curve '" + name + "' has " + y[i] + " at index " + i + " (x = "
                        + x[i] + "): plots need finite values; sample an interval where the function is finite");
            }
        }
        return new Curve(name, Kind.DATA, x, y, Double.NaN);
    }

    /**
     * A horizontal reference line at {@code y}, dashed, across the x range of the chart's data curves and
     * labelled in the legend, e.g. {@code Curve.hline("chance level", 0.5)}.
     *
     * @throws IllegalArgumentException when the name is null or y is NaN or infinite
     */
    public static Curve hline(String name, double y) {
        checkName(name);
        checkPosition(name, "y", y);
        return new Curve(name, Kind.HLINE, null, null, y);
    }

    /**
     * A vertical reference line at {@code x}, dashed, across the y range of the chart's data curves and
     * labelled in the legend, e.g. {@code Curve.vline("learning rate decay", 500)}.
     *
     * @throws IllegalArgumentException when the name is null or x is NaN or infinite
     */
    public static Curve vline(String name, double x) {
        checkName(name);
        checkPosition(name, "x", x);
        return new Curve(name, Kind.VLINE, null, null, x);
    }

    /** The legend label. */
    public String name() {
        return name;
    }

    Kind kind() {
        return kind;
    }

    /** The x values of a data curve (not copied: callers must not change them). */
    double[] x() {
        return x;
    }

    /** The y values of a data curve (not copied: callers must not change them). */
    double[] y() {
        return y;
    }

    /** Where a reference line sits: y for {@link Kind#HLINE}, x for {@link Kind#VLINE}. */
    double at() {
        return at;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DATA -> "Curve '" + name + "' (" + y.length + " points, x " + x[0] + " … " + x[x.length - 1] + ")";
            case HLINE -> "Curve '" + name + "' (horizontal line at y = " + at + ")";
            case VLINE -> "Curve '" + name + "' (vertical line at x = " + at + ")";
        };
    }

    private static void checkName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("a curve has a null name: give every curve a name for the legend");
        }
    }

    private static void checkValues(String name, String axis, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("curve '" + name + "' has " + (values == null ? "null" : "no") + " "
                    + axis + " values: every curve needs at least one value");
        }
        int bad = Check.firstNonFinite(values);
        if (bad >= 0) {
            boolean isY = axis.equals("y");
            throw new IllegalArgumentException("curve '" + name + "' has " + (isY ? "" : axis + " = ") + values[bad]
                    + " at index " + bad + " (of " + values.length + "); plots need finite values: drop or replace them"
                    + (isY ? " (for a diverged run, plot the part before index " + bad + ")" : ""));
        }
    }

    private static void checkPosition(String name, String axis, double position) {
        if (!Double.isFinite(position)) {
            throw new IllegalArgumentException("reference line '" + name + "' is at " + axis + " = " + position
                    + ": give a finite position");
        }
    }
}
