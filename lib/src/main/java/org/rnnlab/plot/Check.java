package org.rnnlab.plot;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Argument checks shared by the chart and table factories; each failure says what was wrong and what to do. */
final class Check {

    private Check() {
    }

    /** Checks that {@code series} has at least one entry and that every entry is non-empty and finite. */
    static void series(Map<String, double[]> series, String what) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given: pass a map with at least one entry, name -> values");
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            values(e.getKey(), e.getValue());
        }
    }

    /**
     * Checks the curves of a line chart: at least one, none null, no two with the same name (the legend tells them
     * apart by name), and at least one data curve for the reference lines to span.
     */
    static void curves(List<Curve> curves) {
        if (curves == null || curves.isEmpty()) {
            throw new IllegalArgumentException("no curves given: pass at least one, e.g. Curve.of(\"loss\", values)");
        }
        Set<String> names = new HashSet<>();
        boolean data = false;
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            if (c == null) {
                throw new IllegalArgumentException("curve " + i + " of " + curves.size() + " is null: make it with Curve.of");
            }
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two curves are named '" + c.name()
                        + "': give each curve its own name, the legend tells them apart by it");
            }
            data |= c.kind() == Curve.Kind.DATA;
        }
        if (!data) {
            throw new IllegalArgumentException("only reference lines given: add at least one data curve"
                    + " (Curve.of) for them to span");
        }
    }

    /** Checks that one named series is non-empty and finite. */
    static void values(String name, double[] values) {
        if (name == null) {
            throw new IllegalArgumentException("a series has a null name: give every series a name");
        }
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' is " + (values == null ? "null" : "empty")
                    + ": every series needs at least one value");
        }
        int bad = firstNonFinite(values);
        if (bad >= 0) {
            throw new IllegalArgumentException("series '" + name + "' has " + values[bad] + " at index " + bad
                    + " (of " + values.length + "); plots need finite values: drop or replace them"
                    + " (for a diverged run, plot the part before index " + bad + ")");
        }
    }

    /** Checks that every series has the same length and returns it; the error names the series that differ. */
    static int sameLength(Map<String, double[]> series) {
        String firstName = null;
        int n = -1;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (firstName == null) {
                firstName = e.getKey();
                n = e.getValue().length;
            } else if (e.getValue().length != n) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values but series '" + firstName + "' has " + n + ": all series must have the same length");
            }
        }
        return n;
    }

    /** Checks that every series has one value per x value. */
    static void matchesX(Map<String, double[]> series, double[] x) {
        values("x", x);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != x.length) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values but x has " + x.length + ": give one y value per x value");
            }
        }
    }

    /** The index of the first NaN or infinite value, or −1 when all are finite. */
    static int firstNonFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }
}
