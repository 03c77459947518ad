package org.rnnlab.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What went on inside the cells while the model read one sequence: for each layer, each signal ("h"; for an
 * LSTM also "i", "f", "g", "o", "c"; for a GRU "z", "r", "n") as a [T][H] array (time step, unit).
 */
public final class Trace {
    private final List<Map<String, double[][]>> layers;

    Trace(List<Map<String, double[][]>> layers) {
        this.layers = layers;
    }

    /** Signal {@code name} of layer 1 (the one that reads the input) as [T][H]. */
    public double[][] get(String name) {
        return get(1, name);
    }

    /** Signal {@code name} of layer {@code layer}, counted from 1 like the model's layers, as [T][H]. */
    public double[][] get(int layer, String name) {
        if (layer < 1 || layer > layers.size()) {
            throw new IllegalArgumentException("there is no layer " + layer + ": layers are counted from 1, and this"
                    + " trace has " + (layers.size() == 1 ? "layer 1 only" : "layers 1.." + layers.size()));
        }
        double[][] s = layers.get(layer - 1).get(name);
        if (s == null) {
            throw new IllegalArgumentException("layer " + layer + " has no signal '" + name + "'; it has "
                    + layers.get(layer - 1).keySet());
        }
        return s;
    }

    /** The values of one unit over time (for a trace plot). */
    public double[] unit(String name, int unit) {
        double[][] s = get(name);
        double[] v = new double[s.length];
        for (int t = 0; t < s.length; t++) {
            v[t] = s[t][unit];
        }
        return v;
    }

    /** The signal as [H][T] (units as rows), the layout of a heatmap. */
    public double[][] unitsOverTime(String name) {
        double[][] s = get(name);
        double[][] m = new double[s[0].length][s.length];
        for (int t = 0; t < s.length; t++) {
            for (int u = 0; u < s[t].length; u++) {
                m[u][t] = s[t][u];
            }
        }
        return m;
    }

    /** The signal names of layer 0. */
    public Set<String> signals() {
        return layers.get(0).keySet();
    }

    /** Number of steps traced. */
    public int length() {
        return layers.get(0).get("h").length;
    }
}
