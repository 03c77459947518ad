package org.rnnlab.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.Activation;
import org.rnnlab.cell.GruCell;
import org.rnnlab.cell.LstmCell;
import org.rnnlab.cell.LstmVariant;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.cell.RnnCell;
import org.rnnlab.data.Batch;
import org.rnnlab.init.Init;
import org.rnnlab.init.SpectralRadius;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;

/**
 * A recurrent network unrolled over time: one or more recurrent layers (the cells), then a dense readout
 * {@code y_t = W_y h_t + b_y} and a {@link Loss}. Whether it is many-to-many or many-to-one is decided by the
 * data: the loss is taken at every step of a {@link Batch} that has a target.
 *
 * <p>One line builds one with defaults for everything ({@link #lstm(int, int, int)}), the {@link Builder} the
 * rest. Every weight is reachable by its textbook name ({@link #get(String)}, {@link #set(String, DMatrixRMaj)}):
 * "W_xi", "W_hf", "b_o" … for a one-layer model, "L2.W_xi" for the second layer of a stack, "W_y" and "b_y"
 * for the readout. The parameters live in one place, the fused storage the cells compute with: {@code get}
 * returns a copy as an EJML matrix, {@code set} writes through.
 *
 * <p>Training drives it through {@link #forward}, {@link #lossAndReadoutGradient} and {@link #backward}
 * (see {@code org.rnnlab.train.Trainer}); buffers are sized once per batch shape and reused.
 *
 * <p>Threads ({@link #threads(int)}, default 1): the sequences of a batch are independent until their weight
 * gradients are added up, so with n threads the batch is cut into n fixed, contiguous ranges of sequences (lane 0
 * the first, lane 1 the next …). Each thread runs the forward pass, the loss and the backward pass of its range over
 * all steps and layers, adding its weight gradients into a buffer of its own; at the end the buffers are added in
 * lane order. The split and the order do not depend on timing, so a run is bit-identical to the next with the same
 * thread count. It is not bit-identical to a run with another thread count: the gradient sums are grouped
 * differently, which changes the last bits (relative differences around 1e−15).
 */
public final class SequenceModel {
    private final List<RecurrentCell> layers;
    private final Readout readout;
    private final Loss loss;
    private final long seed;
    /** Every fused storage block, in the fixed order of {@link #parameters()}; the layers never change. */
    private final List<Parameter> parameters;

    private int batch = -1;
    private int capacity = -1;
    /** ∂L/∂h_t of the top layer from the readout; zero at steps without a target. */
    private double[][][] dhTop;
    /** dx[l][t] = ∂L/∂(input of layer l at step t), for l ≥ 1. */
    private double[][][][] dx;
    /** Sum of gradients from above and an injection (penalty pass). */
    private double[][] sum;
    /** The rows each lane reads out together (see {@link ReadoutRows}). */
    private ReadoutRows[] rows = new ReadoutRows[0];
    /** The loss summed by each lane. */
    private double[] laneTotals = new double[1];
    private int threads = 1;

    SequenceModel(List<RecurrentCell> layers, Readout readout, Loss loss, long seed) {
        this.layers = List.copyOf(layers);
        this.readout = readout;
        this.loss = loss;
        this.seed = seed;
        List<Parameter> ps = new ArrayList<>();
        for (RecurrentCell c : this.layers) {
            ps.addAll(c.parameters());
        }
        ps.addAll(readout.parameters());
        this.parameters = List.copyOf(ps);
    }

    /** The worker threads shared by all models: daemons (they never keep the JVM alive), idle ones end after 60 s. */
    private static final class Workers {
        static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rnnlab-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** A one-layer LSTM (no peepholes, forget bias 1) for classification, seed 42. */
    public static SequenceModel lstm(int inputSize, int hiddenSize, int classes) {
        return builder(inputSize).lstm(hiddenSize).output(classes, Loss.CROSS_ENTROPY).build();
    }

    /** A one-layer tanh RNN for classification, seed 42. */
    public static SequenceModel rnn(int inputSize, int hiddenSize, int classes) {
        return builder(inputSize).rnn(hiddenSize).output(classes, Loss.CROSS_ENTROPY).build();
    }

    /** A one-layer GRU for classification, seed 42. */
    public static SequenceModel gru(int inputSize, int hiddenSize, int classes) {
        return builder(inputSize).gru(hiddenSize).output(classes, Loss.CROSS_ENTROPY).build();
    }

    /** Starts a model whose inputs have {@code inputSize} components per step. */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    // ---------------------------------------------------------------- structure and parameters

    /** The recurrent layers, bottom first. */
    public List<RecurrentCell> layers() {
        return layers;
    }

    /** Layer {@code l} (0 = the one that reads the input). */
    public RecurrentCell layer(int l) {
        if (l < 0 || l >= layers.size()) {
            throw new IllegalArgumentException("layer " + l + " does not exist; the model has layers 0.."
                    + (layers.size() - 1));
        }
        return layers.get(l);
    }

    public Readout readout() {
        return readout;
    }

    public Loss loss() {
        return loss;
    }

    /** The seed the weights were drawn with. */
    public long seed() {
        return seed;
    }

    public int inputSize() {
        return layers.get(0).inputSize();
    }

    public int outputSize() {
        return readout.outputSize();
    }

    /** Every fused storage block, in a fixed order (what optimisers and files walk over); an unmodifiable list. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Number of trainable scalars. */
    public int parameterCount() {
        return parameters().stream().mapToInt(Parameter::size).sum();
    }

    /** Every named weight: "W_xi" … (or "L1.W_xi", "L2.W_xi" … in a stack), then "W_y", "b_y". */
    public Map<String, WeightView> weights() {
        Map<String, WeightView> m = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            for (WeightView v : layers.get(l).weights()) {
                m.put(layers.size() == 1 ? v.name() : "L" + (l + 1) + "." + v.name(), v);
            }
        }
        for (WeightView v : readout.weights()) {
            m.put(v.name(), v);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The named weight's view; an unknown name is an error listing the names there are. */
    public WeightView weight(String name) {
        Map<String, WeightView> m = weights();
        WeightView v = m.get(name);
        if (v == null) {
            String hint = layers.size() > 1 && m.containsKey("L1." + name)
                    ? " (this model has " + layers.size() + " layers: say which, e.g. L1." + name + ")" : "";
            throw new IllegalArgumentException("no weight named '" + name + "'" + hint + "; the model has "
                    + String.join(", ", m.keySet()));
        }
        return v;
    }

    /** A copy of the named weight in textbook orientation (e.g. {@code get("W_hf")} is H×H). */
    public DMatrixRMaj get(String name) {
        return weight(name).get();
    }

    /** Writes the named weight; the model computes with it from the next step on. */
    public void set(String name, DMatrixRMaj value) {
        weight(name).set(value);
    }

    /** The spectral radius of the recurrent matrix of layer 0 (W_hh, or W_hg for gated cells' block input). */
    public double spectralRadius() {
        RecurrentCell c = layers.get(0);
        String name = c instanceof RnnCell ? "W_hh" : c instanceof GruCell ? "W_hn" : "W_hg";
        return SpectralRadius.of(c.weight(name).get());
    }

    /** Sets every gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /**
     * Computes each batch on {@code n} threads (default 1): the batch is split into n fixed ranges of sequences
     * (see the class comment), so results are bit-identical from run to run with the same n, and differ from those
     * of another n only in the last bits. Only batches of at least two sequences are split, into at most one range
     * per sequence; a model with a layer that does not {@link RecurrentCell#splitsBatch()} runs on one thread.
     */
    public SequenceModel threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        this.threads = n;
        return this;
    }

    /** The number of threads a batch is computed on (see {@link #threads(int)}). */
    public int threads() {
        return threads;
    }

    // ---------------------------------------------------------------- driving the time loop

    /** Makes room for {@code steps} steps of {@code sequences} sequences (buffers are reused when they fit). */
    public void prepare(int steps, int sequences) {
        for (RecurrentCell c : layers) {
            c.prepare(steps, sequences);
        }
        if (sequences != batch || steps > capacity) {
            int cap = Math.max(steps, sequences == batch ? capacity : 0);
            int top = layers.get(layers.size() - 1).hiddenSize();
            dhTop = new double[cap][sequences][top];
            dx = new double[layers.size()][][][];
            for (int l = 1; l < layers.size(); l++) {
                dx[l] = new double[cap][sequences][layers.get(l - 1).hiddenSize()];
            }
            int widest = layers.stream().mapToInt(RecurrentCell::hiddenSize).max().orElseThrow();
            sum = new double[sequences][widest];
            batch = sequences;
            capacity = cap;
        }
    }

    /** Zeroes the state carried into step 0 of every layer. */
    public void resetState() {
        for (RecurrentCell c : layers) {
            c.resetState();
        }
    }

    /** Carries the state after step {@code t} into the next sequence (for streams cut into consecutive batches). */
    public void carryState(int t) {
        for (RecurrentCell c : layers) {
            c.carryState(t);
        }
    }

    /** Checks that the batch fits this model; the message says what was expected. */
    public void check(Batch b) {
        if (b.inputSize() != inputSize()) {
            throw new IllegalArgumentException("the model reads inputs of width " + inputSize()
                    + " per step, the batch has width " + b.inputSize());
        }
        if (b.isClassification() != (loss == Loss.CROSS_ENTROPY)) {
            throw new IllegalArgumentException("the model's loss is " + loss + " but the batch has "
                    + (b.isClassification() ? "class labels (build the model with Loss.CROSS_ENTROPY)"
                    : "real-valued targets (build the model with Loss.MSE)"));
        }
        int width = b.targetSize();
        if (width > outputSize() || (!b.isClassification() && width != outputSize())) {
            throw new IllegalArgumentException("the model has " + outputSize() + " outputs, the batch needs "
                    + width + (b.isClassification() ? " classes (its largest label is " + (width - 1) + ")" : ""));
        }
    }

    /** Runs steps [from, to) of every layer, each step starting from the state the previous one left. */
    public void forward(Batch b, int from, int to) {
        int lanes = lanes();
        if (lanes == 1) {
            forward(b, from, to, 0, batch);
        } else {
            inLanes(lanes, lane -> forward(b, from, to, laneStart(lane, lanes), laneStart(lane + 1, lanes)));
        }
    }

    /** The forward pass of sequences [s0, s1) only. */
    private void forward(Batch b, int from, int to, int s0, int s1) {
        for (int t = from; t < to; t++) {
            double[][] x = b.inputsAt(t);
            for (RecurrentCell c : layers) {
                c.forwardStep(t, x, s0, s1);
                x = c.hidden(t);
            }
        }
    }

    /** How many ranges (lanes) the current batch is split into: see {@link #threads(int)}. */
    private int lanes() {
        int n = Math.min(threads, batch);
        if (n <= 1) {
            return 1;
        }
        for (RecurrentCell c : layers) {
            if (!c.splitsBatch()) {
                return 1;
            }
        }
        return n;
    }

    /** The first sequence of lane {@code lane} of {@code lanes} (lane = lanes gives the batch size). */
    private int laneStart(int lane, int lanes) {
        return (int) ((long) lane * batch / lanes);
    }

    /**
     * Runs {@code work} for lanes 0 … lanes − 1 at the same time, lane 0 on the calling thread, the others on the
     * worker pool, and returns when all are done (rethrowing the first failure, in lane order).
     */
    private static void inLanes(int lanes, IntConsumer work) {
        List<Future<?>> others = new ArrayList<>(lanes - 1);
        for (int lane = 1; lane < lanes; lane++) {
            int mine = lane;
            others.add(Workers.POOL.submit(() -> work.accept(mine)));
        }
        RuntimeException failure = null;
        try {
            work.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;                              // finish the step; keep the flag for the caller
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Number of (step, sequence) pairs in [from, to) that have a target. */
    public static int countTargets(Batch b, int from, int to) {
        int n = 0;
        for (int t = from; t < to; t++) {
            for (int s = 0; s < b.size(); s++) {
                n += hasTarget(b, t, s) ? 1 : 0;
            }
        }
        return n;
    }

    /** Whether sequence s has a target at step t: a class label (not {@link Batch#NO_TARGET}) or values. */
    private static boolean hasTarget(Batch b, int t, int s) {
        return b.isClassification() ? b.labelsAt(t)[s] >= 0 : b.valuesAt(t) != null;
    }

    /**
     * The loss over the targets at steps [lossFrom, to), averaged; accumulates the readout's gradient and fills
     * ∂L/∂h_t of the top layer for t in [from, to) (zero where there is no target). Returns NaN when the loss is
     * not finite.
     */
    public double lossAndReadoutGradient(Batch b, int from, int lossFrom, int to) {
        int n = countTargets(b, lossFrom, to);
        int lanes = lanes();
        if (rows.length < lanes) {
            rows = java.util.Arrays.copyOf(rows, lanes);
            laneTotals = new double[lanes];
        }
        for (int lane = 0; lane < lanes; lane++) {
            if (rows[lane] == null) {
                rows[lane] = new ReadoutRows(readout.outputSize());
            }
        }
        readout.beginBackward();
        if (lanes == 1) {
            laneTotals[0] = lossAndReadoutGradient(b, from, lossFrom, to, n, 0, batch, 0);
        } else {
            readout.prepareLanes(lanes);
            inLanes(lanes, lane -> laneTotals[lane] = lossAndReadoutGradient(b, from, lossFrom, to, n,
                    laneStart(lane, lanes), laneStart(lane + 1, lanes), lane));
            readout.mergeLanes();
        }
        double total = 0;
        for (int lane = 0; lane < lanes; lane++) {
            total += laneTotals[lane];
        }
        return n == 0 ? 0.0 : total / n;
    }

    /**
     * The loss summed over sequences [s0, s1), whose readout gradient goes to lane {@code lane}. The readout is not
     * recurrent, so it need not go step by step: the (step, sequence) pairs that have a target are read out
     * {@link ReadoutRows#CHUNK} at a time, as one batch of rows, in the order t = from, from + 1 …, and within a step
     * s = s0, s0 + 1 … (the order in which their terms are added to the loss and to ∂W_y).
     */
    private double lossAndReadoutGradient(Batch b, int from, int lossFrom, int to, int n, int s0, int s1, int lane) {
        RecurrentCell top = layers.get(layers.size() - 1);
        for (int t = from; t < to; t++) {
            for (int s = s0; s < s1; s++) {
                java.util.Arrays.fill(dhTop[t][s], 0.0);                 // zero where there is no target
            }
        }
        if (n == 0) {
            return 0.0;
        }
        ReadoutRows r = rows[lane];
        r.count = 0;                                                      // nothing left over from a failed call
        double total = 0;
        for (int t = Math.max(from, lossFrom); t < to; t++) {
            double[][] h = top.hidden(t);
            for (int s = s0; s < s1; s++) {
                if (hasTarget(b, t, s)) {
                    r.add(t, s, h[s], dhTop[t][s]);
                    if (r.full()) {
                        total += readOut(b, r, n, lane);
                    }
                }
            }
        }
        return total + readOut(b, r, n, lane);
    }

    /** Reads out the rows gathered in {@code r}: y = W_y h + b_y, loss, ∂L/∂y, then the readout's backward pass. */
    private double readOut(Batch b, ReadoutRows r, int n, int lane) {
        int count = r.count;
        if (count == 0) {
            return 0.0;
        }
        readout.forward(r.h, r.y, 0, count);
        double total = 0;
        for (int k = 0; k < count; k++) {
            total += lossAndGradient(b, r.step[k], r.sequence[k], n, r.y[k]);
        }
        readout.backward(r.h, r.y, r.dh, 0, count, lane);
        r.count = 0;
        return total;
    }

    /**
     * The (step, sequence) pairs one lane reads out together: their top hidden states, their outputs y (overwritten
     * by ∂L/∂y) and where ∂L/∂h goes. Fixed size, reused: no allocation per step.
     */
    private static final class ReadoutRows {
        /** Rows per batch: enough to load each row of W_y once for many outputs, few enough to stay in cache. */
        static final int CHUNK = 32;
        final double[][] h = new double[CHUNK][];
        final double[][] dh = new double[CHUNK][];
        final double[][] y;
        final int[] step = new int[CHUNK];
        final int[] sequence = new int[CHUNK];
        int count;

        ReadoutRows(int outputs) {
            y = new double[CHUNK][outputs];
        }

        void add(int t, int s, double[] hidden, double[] dHidden) {
            step[count] = t;
            sequence[count] = s;
            h[count] = hidden;
            dh[count] = dHidden;
            count++;
        }

        boolean full() {
            return count == CHUNK;
        }
    }

    /**
     * Loss of one (step, sequence) that has a target, from the readout's output {@code y}, which is overwritten by
     * ∂(loss / n)/∂y.
     */
    private double lossAndGradient(Batch b, int t, int s, int n, double[] y) {
        if (b.isClassification()) {
            int label = b.labelsAt(t)[s];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : y) {
                max = Math.max(max, v);
            }
            double target = y[label];
            double z = 0;
            for (int k = 0; k < y.length; k++) {
                y[k] = RowMath.exp(y[k] - max);
                z += y[k];
            }
            double item = -(target - max - Math.log(z));                 // −log p[label]
            double perZ = 1.0 / (z * n);
            for (int k = 0; k < y.length; k++) {
                y[k] *= perZ;                                            // p / n, p = softmax(y)
            }
            y[label] -= 1.0 / n;                                         // ∂/∂y = (p − onehot) / n
            return Double.isFinite(item) ? item : Double.POSITIVE_INFINITY;
        }
        double[] target = b.valuesAt(t)[s];
        double item = 0;
        double scale = 2.0 / (n * (double) y.length);
        for (int k = 0; k < y.length; k++) {
            double e = y[k] - target[k];
            item += e * e;
            y[k] = scale * e;                                            // ∂/∂y of mean (y − target)²
        }
        item /= y.length;
        return Double.isFinite(item) ? item : Double.POSITIVE_INFINITY;
    }

    /**
     * Backpropagates through steps [from, to), top layer first, adding to every parameter gradient; the state
     * carried into step {@code from} is held fixed (truncation).
     *
     * @param fromReadout use the readout's ∂L/∂h (false for a penalty-only pass)
     * @param inject      extra ∂/∂h_t per layer, {@code inject[l][t]}, or null
     */
    public void backward(Batch b, int from, int to, boolean fromReadout, double[][][][] inject) {
        for (RecurrentCell c : layers) {
            c.beginBackward();
        }
        int lanes = lanes();
        if (lanes == 1) {
            backward(b, from, to, fromReadout, inject, 0, batch, 0);
            return;
        }
        for (RecurrentCell c : layers) {
            c.prepareLanes(lanes);
        }
        inLanes(lanes, lane -> backward(b, from, to, fromReadout, inject, laneStart(lane, lanes),
                laneStart(lane + 1, lanes), lane));
        for (RecurrentCell c : layers) {
            c.mergeLanes();
        }
    }

    /** The backward pass of sequences [s0, s1), whose weight gradients go to lane {@code lane}. */
    private void backward(Batch b, int from, int to, boolean fromReadout, double[][][][] inject, int s0, int s1,
                          int lane) {
        int top = layers.size() - 1;
        for (int l = top; l >= 0; l--) {
            RecurrentCell c = layers.get(l);
            for (int t = to - 1; t >= from; t--) {
                double[][] above = l == top ? (fromReadout ? dhTop[t] : null) : dx[l + 1][t];
                double[][] extra = inject == null || inject[l] == null ? null : inject[l][t];
                double[][] x = l == 0 ? b.inputsAt(t) : layers.get(l - 1).hidden(t);
                c.backwardStep(t, x, combine(above, extra, c.hiddenSize(), s0, s1), l == 0 ? null : dx[l][t],
                        s0, s1, lane);
            }
            c.finishBackward(lane);
        }
    }

    private double[][] combine(double[][] a, double[][] e, int width, int s0, int s1) {
        if (e == null) {
            return a;
        }
        if (a == null) {
            return e;
        }
        for (int s = s0; s < s1; s++) {
            for (int u = 0; u < width; u++) {
                sum[s][u] = a[s][u] + e[s][u];
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- using a trained model

    /**
     * Full backpropagation through time on a batch, from a zero state: returns the loss (averaged over the batch's
     * targets) and leaves ∂loss/∂θ in every parameter's gradient (no penalty, no clipping, no update). Diagnostics
     * and gradient checks build on it.
     */
    public double backpropagate(Batch b) {
        check(b);
        int steps = b.length();
        prepare(steps, b.size());
        resetState();
        zeroGrad();
        forward(b, 0, steps);
        double l = lossAndReadoutGradient(b, 0, 0, steps);
        backward(b, 0, steps, true, null);
        return l;
    }

    /** The loss on a batch (forward only, from a zero state), averaged over its targets. */
    public double loss(Batch b) {
        check(b);
        prepare(b.length(), b.size());
        resetState();
        forward(b, 0, b.length());
        double l = lossAndReadoutGradient(b, 0, 0, b.length());
        zeroGrad();
        return l;
    }

    /** For classification: the fraction of targets whose most probable class is right. */
    public double accuracy(Batch b) {
        if (!b.isClassification()) {
            throw new IllegalArgumentException("accuracy needs class labels; this batch has real-valued targets");
        }
        double[][][] out = predict(b);
        int right = 0;
        int total = 0;
        for (int t = 0; t < b.length(); t++) {
            for (int s = 0; s < b.size(); s++) {
                int label = b.labelsAt(t)[s];
                if (label >= 0) {
                    total++;
                    right += argmax(out[t][s]) == label ? 1 : 0;
                }
            }
        }
        return (double) right / total;
    }

    /**
     * The model's output at every step for every sequence, {@code [T][B][Y]}: class probabilities (softmax) for
     * cross-entropy, values for MSE. Starts from a zero state.
     */
    public double[][][] predict(Batch b) {
        if (b.inputSize() != inputSize()) {
            throw new IllegalArgumentException("the model reads inputs of width " + inputSize()
                    + " per step, the batch has width " + b.inputSize());
        }
        prepare(b.length(), b.size());
        resetState();
        forward(b, 0, b.length());
        RecurrentCell top = layers.get(layers.size() - 1);
        double[][][] out = new double[b.length()][b.size()][];
        for (int t = 0; t < b.length(); t++) {
            for (int s = 0; s < b.size(); s++) {
                out[t][s] = output(top.hidden(t)[s]);
            }
        }
        return out;
    }

    /** The readout of one hidden state: probabilities (cross-entropy) or values (MSE). A new array. */
    double[] output(double[] h) {
        double[] o = new double[outputSize()];
        readout.forward(h, o);
        if (loss == Loss.CROSS_ENTROPY) {
            softmaxInPlace(o, 1.0);
        }
        return o;
    }

    static void softmaxInPlace(double[] v, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double z = 0;
        for (int k = 0; k < v.length; k++) {
            v[k] = RowMath.exp((v[k] - max) / temperature);
            z += v[k];
        }
        for (int k = 0; k < v.length; k++) {
            v[k] /= z;
        }
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * What happens inside the cells while the model reads sequence {@code sequence} of the batch: for every layer
     * and every signal (h, and for gated cells each gate and c), a [T][H] array. Starts from a zero state.
     */
    public Trace trace(Batch b, int sequence) {
        if (sequence < 0 || sequence >= b.size()) {
            throw new IllegalArgumentException("sequence " + sequence + " is not in the batch (0.." + (b.size() - 1) + ")");
        }
        predict(b);
        List<Map<String, double[][]>> perLayer = new ArrayList<>();
        for (RecurrentCell c : layers) {
            Map<String, double[][]> m = new LinkedHashMap<>();
            for (int t = 0; t < b.length(); t++) {
                for (Map.Entry<String, double[]> e : c.signals(t, sequence).entrySet()) {
                    m.computeIfAbsent(e.getKey(), k -> new double[b.length()][])[t] = e.getValue();
                }
            }
            perLayer.add(m);
        }
        return new Trace(perLayer);
    }

    /**
     * Generates {@code count} symbols one at a time, feeding each back as the next one-hot input: the model must
     * read and predict the same alphabet (inputs = outputs, cross-entropy). It first reads {@code prime}, then
     * samples from softmax(y / temperature): low temperatures pick the likeliest symbol, high ones explore.
     * Checks for an interrupt at every symbol and returns what it has.
     */
    public int[] sample(int[] prime, int count, double temperature, Random rng) {
        if (loss != Loss.CROSS_ENTROPY || inputSize() != outputSize()) {
            throw new IllegalArgumentException("sampling feeds outputs back as inputs: it needs a cross-entropy model"
                    + " whose inputs and outputs are the same alphabet (here " + inputSize() + " in, "
                    + outputSize() + " out)");
        }
        if (prime == null || prime.length == 0) {
            throw new IllegalArgumentException("sampling needs at least one symbol to start from");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
        int n = inputSize();
        prepare(1, 1);
        resetState();
        double[][] x = new double[1][n];
        int[] out = new int[count];
        int produced = 0;
        int symbol = -1;
        for (int i = 0; i < prime.length + count - 1 && produced < count; i++) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            int in = i < prime.length ? prime[i] : symbol;
            if (in < 0 || in >= n) {
                throw new IllegalArgumentException("symbol " + in + " is outside the alphabet 0.." + (n - 1));
            }
            java.util.Arrays.fill(x[0], 0.0);
            x[0][in] = 1.0;
            double[][] input = x;
            for (RecurrentCell c : layers) {
                c.forwardStep(0, input);
                input = c.hidden(0);
            }
            carryState(0);
            if (i >= prime.length - 1) {
                double[] p = new double[n];
                readout.forward(input[0], p);
                softmaxInPlace(p, temperature);
                symbol = draw(p, rng);
                out[produced++] = symbol;
            }
        }
        return produced == count ? out : java.util.Arrays.copyOf(out, produced);
    }

    private static int draw(double[] p, Random rng) {
        double r = rng.nextDouble();
        double acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            if (r < acc) {
                return k;
            }
        }
        return p.length - 1;
    }

    @Override
    public String toString() {
        return "SequenceModel[" + layers.stream().map(RecurrentCell::toString).collect(Collectors.joining(" → "))
                + " → readout " + outputSize() + ", " + loss + ", " + parameterCount() + " parameters]";
    }

    // ---------------------------------------------------------------- building

    /**
     * Builds a model: layers bottom first, then {@link #output(int, Loss)}. Defaults: weights uniform in
     * ±1/√H (H the layer's width), biases 0, forget-gate bias 1 (so a new LSTM remembers), seed 42.
     */
    public static final class Builder {
        private final int inputSize;
        private final List<java.util.function.IntFunction<RecurrentCell>> specs = new ArrayList<>();
        private int outputs = -1;
        private Loss loss = Loss.CROSS_ENTROPY;
        private long seed = 42;
        private Init inputInit;
        private Init recurrentInit;
        private double forgetBias = 1.0;
        private double spectralRadius = Double.NaN;
        private boolean textbook;

        private Builder(int inputSize) {
            if (inputSize <= 0) {
                throw new IllegalArgumentException("inputs need at least one component per step, got " + inputSize);
            }
            this.inputSize = inputSize;
        }

        /** A tanh RNN layer of {@code hidden} units. */
        public Builder rnn(int hidden) {
            return rnn(hidden, Activation.TANH);
        }

        /** A vanilla RNN layer with the given activation. */
        public Builder rnn(int hidden, Activation activation) {
            specs.add(in -> textbook ? new org.rnnlab.textbook.TextbookRnnCell(in, hidden, activation)
                    : new RnnCell(in, hidden, activation));
            return this;
        }

        /** An LSTM layer, the usual kind (no peepholes: Greff's NP). */
        public Builder lstm(int hidden) {
            return lstm(hidden, LstmVariant.NP);
        }

        /** An LSTM layer of the named variant ("V", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG", "FGR"). */
        public Builder lstm(int hidden, String variant) {
            return lstm(hidden, LstmVariant.of(variant));
        }

        /** An LSTM layer of the given variant. */
        public Builder lstm(int hidden, LstmVariant variant) {
            specs.add(in -> textbook ? new org.rnnlab.textbook.TextbookLstmCell(in, hidden, variant)
                    : new LstmCell(in, hidden, variant));
            return this;
        }

        /** A GRU layer (colah's form, {@link org.rnnlab.cell.GruForm#COLAH}). */
        public Builder gru(int hidden) {
            return gru(hidden, org.rnnlab.cell.GruForm.COLAH);
        }

        /** A GRU layer of the given form: COLAH, CHO (Cho et al. 2014) or PYTORCH (reset after the product). */
        public Builder gru(int hidden, org.rnnlab.cell.GruForm form) {
            specs.add(in -> textbook ? new org.rnnlab.textbook.TextbookGruCell(in, hidden, form)
                    : new GruCell(in, hidden, form));
            return this;
        }

        /**
         * Builds every recurrent layer (added before or after this call) from the textbook cells of
         * {@code org.rnnlab.textbook}: slower, readable, same numbers. The same seed gives the same weights as
         * the fast cells.
         */
        public Builder textbook() {
            this.textbook = true;
            return this;
        }

        /** The readout: {@code outputs} classes (cross-entropy) or values (MSE). */
        public Builder output(int outputs, Loss loss) {
            this.outputs = outputs;
            this.loss = loss;
            return this;
        }

        /** The seed of the initial weights (same seed, same model). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How input and readout weights start (default uniform ±1/√H). */
        public Builder init(Init init) {
            this.inputInit = init;
            return this;
        }

        /** How recurrent weights start, each gate's block on its own (default uniform ±1/√H). */
        public Builder recurrentInit(Init init) {
            this.recurrentInit = init;
            return this;
        }

        /** After initialising, scale every recurrent block to this spectral radius. */
        public Builder spectralRadius(double rho) {
            if (!(rho > 0) || !Double.isFinite(rho)) {
                throw new IllegalArgumentException("spectral radius must be a positive number, got " + rho);
            }
            this.spectralRadius = rho;
            return this;
        }

        /** The forget gate's initial bias (default 1: a new LSTM keeps its memory). */
        public Builder forgetBias(double bias) {
            this.forgetBias = bias;
            return this;
        }

        public SequenceModel build() {
            if (specs.isEmpty()) {
                throw new IllegalStateException("add at least one recurrent layer: .rnn(h), .lstm(h) or .gru(h)");
            }
            if (outputs <= 0) {
                throw new IllegalStateException("say what the model predicts: .output(classes, Loss.CROSS_ENTROPY)"
                        + " or .output(values, Loss.MSE)");
            }
            List<RecurrentCell> cells = new ArrayList<>();
            int in = inputSize;
            for (var spec : specs) {
                RecurrentCell c = spec.apply(in);
                cells.add(c);
                in = c.hiddenSize();
            }
            Readout readout = new Readout(in, outputs);
            Random rng = new Random(seed);
            for (RecurrentCell c : cells) {
                initialise(c.weights(), c.hiddenSize(), rng);
            }
            initialise(readout.weights(), in, rng);
            return new SequenceModel(cells, readout, loss, seed);
        }

        private void initialise(List<WeightView> views, int width, Random rng) {
            Init fallback = Init.uniform(1.0 / Math.sqrt(width));
            for (WeightView v : views) {
                DMatrixRMaj m = new DMatrixRMaj(v.rows(), v.cols());
                switch (v.kind()) {
                    case BIAS -> {
                        if (v.name().equals("b_f")) {
                            java.util.Arrays.fill(m.data, forgetBias);
                        }
                    }
                    case RECURRENT -> {
                        (recurrentInit != null ? recurrentInit : fallback).fill(m, rng);
                        if (!Double.isNaN(spectralRadius) && v.rows() == v.cols()) {
                            SpectralRadius.scaleTo(m, spectralRadius);
                        }
                    }
                    case INPUT, OUTPUT, PEEPHOLE -> (inputInit != null ? inputInit : fallback).fill(m, rng);
                    default -> throw new IllegalStateException(v.kind().toString());
                }
                v.set(m);
            }
        }
    }
}
