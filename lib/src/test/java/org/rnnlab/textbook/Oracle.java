package org.rnnlab.textbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;

/**
 * Runs a cell forward and backward on a random problem and records everything that must agree between a fast cell
 * and its textbook twin: every h_t and c_t, every weight gradient (by view name), every ∂L/∂x_t and the gradients of
 * the carried-in states. Differences are norm-relative per quantity, ‖a − b‖ / max(‖a‖, ‖b‖, tiny).
 */
final class Oracle {
    /** Agreement required between the two implementations: rounding only. */
    static final double TOLERANCE = 1e-12;

    private Oracle() {
    }

    /**
     * A forward and backward problem: inputs x[t][b][k], initial states (every state the cell has), and the
     * upstream gradient ∂L/∂h_t from above at every step, dhAbove[t][b][u].
     */
    record Problem(int inputs, int hidden, int sequences, int steps, double[][][] x, Map<String, double[][]> initial,
                   double[][][] dhAbove) {
    }

    /** Random sizes (batch &gt; 1), inputs in ±1, nonzero initial states in ±1, Gaussian upstream gradients. */
    static Problem problem(Random rng, List<String> stateNames) {
        int inputs = 1 + rng.nextInt(4);
        int hidden = 1 + rng.nextInt(5);
        return problem(rng, stateNames, inputs, hidden, 2 + rng.nextInt(3), 3 + rng.nextInt(5));
    }

    static Problem problem(Random rng, List<String> stateNames, int inputs, int hidden, int sequences, int steps) {
        double[][][] x = uniform(rng, steps, sequences, inputs);
        Map<String, double[][]> initial = new LinkedHashMap<>();
        for (String s : stateNames) {
            initial.put(s, uniform(rng, 1, sequences, hidden)[0]);
        }
        double[][][] dh = new double[steps][sequences][hidden];
        for (double[][] step : dh) {
            for (double[] row : step) {
                for (int u = 0; u < hidden; u++) {
                    row[u] = rng.nextGaussian();
                }
            }
        }
        return new Problem(inputs, hidden, sequences, steps, x, initial, dh);
    }

    private static double[][][] uniform(Random rng, int a, int b, int c) {
        double[][][] m = new double[a][b][c];
        for (double[][] plane : m) {
            for (double[] row : plane) {
                for (int k = 0; k < c; k++) {
                    row[k] = 2 * rng.nextDouble() - 1;
                }
            }
        }
        return m;
    }

    /**
     * Sets every weight of the cell uniform in ±scale: weights, biases and peepholes alike, so that gates saturate
     * partly and every term of the backward pass counts.
     */
    static void randomiseWeights(RecurrentCell cell, Random rng, double scale) {
        for (WeightView v : cell.weights()) {
            DMatrixRMaj m = new DMatrixRMaj(v.rows(), v.cols());
            for (int k = 0; k < m.data.length; k++) {
                m.data[k] = scale * (2 * rng.nextDouble() - 1);
            }
            v.set(m);
        }
    }

    /** Copies every weight from one cell to the other by view name. */
    static void copyWeights(RecurrentCell from, RecurrentCell to) {
        for (WeightView v : from.weights()) {
            to.weight(v.name()).set(v.get());
        }
    }

    /** What a run leaves: h_t (and c_t) for t = −1 … T − 1, gradients by weight name, ∂L/∂x_t, ∂L/∂(state carried in). */
    record Outcome(Map<String, double[]> quantities) {
    }

    /**
     * Runs the problem forward over all steps, then backward from the last step down to step {@code stopAt}
     * (0: full BPTT), with the batch split into {@code lanes} ranges of sequences (1: the whole-batch calls).
     */
    static Outcome run(RecurrentCell cell, Problem p, int lanes, int stopAt) {
        return run(cell, p, lanes, stopAt, false);
    }

    /**
     * {@link #run(RecurrentCell, Problem, int, int)}, or, when {@code carried}, starting from whatever state the
     * cell carries (after {@code carryState}) instead of the problem's initial states.
     */
    static Outcome run(RecurrentCell cell, Problem p, int lanes, int stopAt, boolean carried) {
        final int n = p.sequences();
        cell.prepare(p.steps(), n);
        if (!carried) {
            cell.resetState();
            p.initial().forEach(cell::setInitialState);
        }
        for (Parameter par : cell.parameters()) {
            par.zeroGrad();
        }
        for (int t = 0; t < p.steps(); t++) {
            if (lanes == 1) {
                cell.forwardStep(t, p.x()[t]);
            } else {
                for (int lane = 0; lane < lanes; lane++) {
                    cell.forwardStep(t, p.x()[t], start(lane, lanes, n), start(lane + 1, lanes, n));
                }
            }
        }
        Map<String, double[]> q = new LinkedHashMap<>();
        for (int t = -1; t < p.steps(); t++) {
            q.put("h_" + t, flatten(cell.hidden(t)));
            if (t >= 0 && cell.stateNames().contains("c")) {
                List<double[]> rows = new ArrayList<>();
                for (int b = 0; b < n; b++) {
                    rows.add(cell.signals(t, b).get("c"));
                }
                q.put("c_" + t, flatten(rows.toArray(new double[0][])));
            }
        }
        double[][][] dx = new double[p.steps()][n][p.inputs()];
        cell.beginBackward();
        if (lanes == 1) {
            for (int t = p.steps() - 1; t >= stopAt; t--) {
                cell.backwardStep(t, p.x()[t], p.dhAbove()[t], dx[t]);
            }
        } else {
            cell.prepareLanes(lanes);
            for (int lane = 0; lane < lanes; lane++) {
                for (int t = p.steps() - 1; t >= stopAt; t--) {
                    cell.backwardStep(t, p.x()[t], p.dhAbove()[t], dx[t], start(lane, lanes, n),
                            start(lane + 1, lanes, n), lane);
                }
                cell.finishBackward(lane);
            }
            cell.mergeLanes();
        }
        for (WeightView v : cell.weights()) {
            q.put("∂" + v.name(), v.grad().data);
        }
        for (int t = stopAt; t < p.steps(); t++) {
            q.put("∂x_" + t, flatten(dx[t]));
        }
        for (String s : cell.stateNames()) {
            q.put("∂" + s + "_" + (stopAt - 1), flatten(cell.initialStateGradient(s)));
        }
        return new Outcome(q);
    }

    private static int start(int lane, int lanes, int n) {
        return lane * n / lanes;
    }

    private static double[] flatten(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** Per quantity, the norm-relative difference of the two outcomes; both must hold the same quantities. */
    static Map<String, Double> differences(Outcome a, Outcome b) {
        if (!a.quantities().keySet().equals(b.quantities().keySet())) {
            throw new AssertionError("the runs recorded different quantities: " + a.quantities().keySet() + " and "
                    + b.quantities().keySet());
        }
        Map<String, Double> d = new LinkedHashMap<>();
        a.quantities().forEach((name, va) -> d.put(name, relativeDifference(va, b.quantities().get(name))));
        return d;
    }

    /** ‖a − b‖ / max(‖a‖, ‖b‖, tiny): 0 for equal vectors, about 1e-16 for rounding, 1 or more for different ones. */
    static double relativeDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < a.length; k++) {
            diff += (a[k] - b[k]) * (a[k] - b[k]);
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        double r = Math.sqrt(diff) / Math.max(Double.MIN_NORMAL, Math.sqrt(Math.max(na, nb)));
        return Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
    }

    /** The largest difference and where it is, for messages. */
    static Map.Entry<String, Double> worst(Map<String, Double> differences) {
        return differences.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    }
}
