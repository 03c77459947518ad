package org.rnnlab.plot;

import java.awt.Color;

/**
 * The colours every chart, heatmap and {@link TextHeat} uses, chosen to stay distinguishable for readers with
 * colour-vision deficiencies.
 *
 * <p>Series colours are the Okabe–Ito palette (Okabe &amp; Ito 2008), reordered so the first colours are the
 * most distinct on white and yellow, the weakest on white, comes last. Values on a signed scale use a
 * blue–white–red diverging map interpolated through ColorBrewer's RdBu anchors (blue for negative, red for
 * positive), which stays readable for the common forms of colour blindness.
 */
public final class Palette {

    /** Okabe–Ito series colours: blue, vermillion, bluish green, orange, reddish purple, sky blue, black, yellow. */
    private static final Color[] SERIES = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
    };

    /** ColorBrewer RdBu anchors from −1 (dark blue) through 0 (near white) to +1 (dark red). */
    private static final int[] DIVERGING = {
            0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
            0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    };

    private Palette() {
    }

    /** The series colours in the order charts use them (a fresh copy). */
    public static Color[] series() {
        return SERIES.clone();
    }

    /** The colour of the {@code i}-th series (cycling when there are more series than colours). */
    public static Color series(int i) {
        return SERIES[Math.floorMod(i, SERIES.length)];
    }

    /**
     * The diverging colour of {@code v} on the scale [−1, 1]: −1 dark blue, 0 near white, +1 dark red.
     * Values outside the scale get the colour of the nearest end.
     *
     * @throws IllegalArgumentException when {@code v} is NaN (a NaN has no place on the scale)
     */
    public static Color diverging(double v) {
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("cannot colour NaN on the diverging scale; replace NaNs before plotting");
        }
        double pos = (Math.max(-1, Math.min(1, v)) + 1) / 2 * (DIVERGING.length - 1);
        int lo = Math.min((int) Math.floor(pos), DIVERGING.length - 2);
        double f = pos - lo;
        Color a = new Color(DIVERGING[lo]);
        Color b = new Color(DIVERGING[lo + 1]);
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    /** True when black text would be hard to read on {@code background} (so white text should be used). */
    static boolean isDark(Color background) {
        double luminance = 0.2126 * background.getRed() + 0.7152 * background.getGreen() + 0.0722 * background.getBlue();
        return luminance < 128;
    }

    /** {@code c} with the given opacity in [0, 1]. */
    static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
