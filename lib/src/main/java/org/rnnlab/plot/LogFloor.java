package org.rnnlab.plot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes series drawable on a logarithmic axis, which cannot show zero or negative values: every non-positive value
 * is replaced by a floor one decade below the smallest positive value of all series of the chart (or 1e-12 when
 * there is none), so it shows as a drop to the bottom of the plot instead of an exception from XChart.
 */
final class LogFloor {

    private static final double NO_POSITIVE_VALUE = 1e-12;

    private LogFloor() {
    }

    /** Copies of the series with non-positive values raised to the floor, in the same order. */
    static Map<String, double[]> apply(Map<String, double[]> series) {
        double floor = floorOf(series);
        Map<String, double[]> out = new LinkedHashMap<>();
        series.forEach((name, v) -> {
            double[] c = v.clone();
            for (int i = 0; i < c.length; i++) {
                if (!(c[i] > 0)) {
                    c[i] = floor;
                }
            }
            out.put(name, c);
        });
        return out;
    }

    /** One decade below the smallest positive value of all series. */
    static double floorOf(Map<String, double[]> series) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] v : series.values()) {
            for (double x : v) {
                if (x > 0 && x < min) {
                    min = x;
                }
            }
        }
        return min == Double.POSITIVE_INFINITY ? NO_POSITIVE_VALUE : Math.max(min / 10, Double.MIN_NORMAL);
    }

    /** True when all values are positive and span a factor of at least 30, so a log axis shows them better. */
    static boolean spansDecades(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double x : v) {
            if (!(x > 0)) {
                return false;
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max / min >= 30;
    }
}
