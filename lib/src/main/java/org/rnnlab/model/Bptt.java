package org.rnnlab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.data.Batch;

/**
 * The engine of backpropagation through time for one {@link SequenceModel}: it unrolls the model's layers over the
 * steps of a batch, reads out the loss, and carries the gradient back step by step. {@code Trainer}, the penalties,
 * the diagnostics and an assignment's own training loop drive it; a notebook that only trains or evaluates a model
 * never needs it.
 *
 * <pre>
 *   Bptt bptt = Bptt.of(model);
 *   bptt.prepare(batch);                                  // check the batch, size the buffers
 *   bptt.resetState();                                    // start from h = 0 (and c = 0)
 *   model.zeroGrad();
 *   bptt.forward(batch, 0, T);                            // h_1 … h_T
 *   double loss = bptt.lossAndReadoutGradient(batch, 0, 0, T);
 *   bptt.backward(batch, 0, T);                           // ∂loss/∂θ in every parameter's gradient
 * </pre>
 *
 * <p>Buffers are sized once per batch shape and reused, so the time loop allocates nothing.
 *
 * <p>Threads ({@link SequenceModel#threads(int)}): the sequences of a batch are independent until their weight
 * gradients are added up, so with n threads the batch is cut into n fixed, contiguous ranges of sequences (lane 0
 * the first, lane 1 the next …). Each thread runs the forward pass, the loss and the backward pass of its range over
 * all steps and layers, adding its weight gradients into a buffer of its own; at the end the buffers are added in
 * lane order. The split and the order do not depend on timing, so a run is bit-identical to the next with the same
 * thread count. It is not bit-identical to a run with another thread count: the gradient sums are grouped
 * differently, which changes the last bits (relative differences around 1e−15).
 */
public final class Bptt {
    private final SequenceModel model;
    private final List<RecurrentCell> layers;
    private final Readout readout;
    private boolean inputGradients;
    /** Counts the passes the buffers were prepared for, so an {@link Unrolled} knows when it is stale. */
    private long run;
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

    /** The worker threads shared by all models: daemons (they never keep the JVM alive), idle ones end after 60 s. */
    private static final class Workers {
        static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rnnlab-worker");
            t.setDaemon(true);
            return t;
        });
    }



    Bptt(SequenceModel model) {
        this.model = model;
        this.layers = model.layers();
        this.readout = model.readout();
    }

    /** The engine of {@code model} (one per model: it owns the model's buffers). */
    public static Bptt of(SequenceModel model) {
        return model.engine();
    }

    /** Checks that the batch fits the model (the message says what was expected) and sizes the buffers for it. */
    public void prepare(Batch b) {
        check(b);
        keepInputGradients(false);
        prepare(b.length(), b.size());
    }

    /** Which pass the buffers hold (see {@link Unrolled}). */
    long run() {
        return run;
    }

    /** Makes room for {@code steps} steps of {@code sequences} sequences (buffers are reused when they fit). */
    void prepare(int steps, int sequences) {
        run++;
        for (RecurrentCell c : layers) {
            c.prepare(steps, sequences);
        }
        if (sequences != batch || steps > capacity) {
            int cap = Math.max(steps, sequences == batch ? capacity : 0);
            int top = layers.get(layers.size() - 1).hiddenSize();
            dhTop = new double[cap][sequences][top];
            dx = new double[layers.size()][][][];
            for (int l = 0; l < layers.size(); l++) {
                int width = l == 0 ? model.inputSize() : layers.get(l - 1).hiddenSize();
                dx[l] = l == 0 && !inputGradients ? null : new double[cap][sequences][width];
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

    /**
     * Runs {@code work} (a forward pass for evaluation) from a zero state and then puts back the state each layer
     * carried in before, so evaluating a model between two batches of a stream leaves the stream intact.
     */
    <T> T evaluate(Supplier<T> work) {
        List<Object> saved = new ArrayList<>(layers.size());
        for (RecurrentCell c : layers) {
            saved.add(c.saveCarriedState());
        }
        resetState();
        try {
            return work.get();
        } finally {
            for (int l = 0; l < layers.size(); l++) {
                layers.get(l).restoreCarriedState(saved.get(l));
            }
        }
    }

    /**
     * The loss over the targets at steps [from, to) of the last forward pass, averaged, without touching any
     * gradient (for evaluation).
     */
    double loss(Batch b, int from, int to) {
        int n = countTargets(b, from, to);
        if (n == 0) {
            return 0.0;
        }
        RecurrentCell top = layers.get(layers.size() - 1);
        double[] y = new double[readout.outputSize()];
        double total = 0;
        for (int t = from; t < to; t++) {
            for (int s = 0; s < b.size(); s++) {
                if (hasTarget(b, t, s)) {
                    readout.forward(top.hidden(t)[s], y);
                    total += b.isClassification() ? Loss.crossEntropy(y, b.labelsAt(t)[s], n)
                            : Loss.squaredError(y, b.valuesAt(t)[s], n);
                }
            }
        }
        return total / n;
    }

    /** Carries the state after step {@code t} into the next sequence (for streams cut into consecutive batches). */
    public void carryState(int t) {
        for (RecurrentCell c : layers) {
            c.carryState(t);
        }
    }

    /** Checks that the batch's inputs have the width the model reads; the message says both. */
    void requireInputWidth(Batch b) {
        if (b.inputSize() != model.inputSize()) {
            throw new IllegalArgumentException("the model reads inputs of width " + model.inputSize()
                    + " per step, the batch has width " + b.inputSize());
        }
    }

    /** Checks that the batch fits this model; the message says what was expected. */
    void check(Batch b) {
        if (!b.hasTargets()) {
            throw new IllegalArgumentException("the batch has inputs only: training and loss need targets (make the"
                    + " batch with Batch.classification or Batch.regression, or use model.unroll to supply ∂L/∂h)");
        }
        requireInputWidth(b);
        if (b.isClassification() != (model.loss() == Loss.CROSS_ENTROPY)) {
            throw new IllegalArgumentException("the model's loss is " + model.loss() + " but the batch has "
                    + (b.isClassification() ? "class labels (build the model with Loss.CROSS_ENTROPY)"
                    : "real-valued targets (build the model with Loss.MSE)"));
        }
        int width = b.targetSize();
        if (width > model.outputSize() || (!b.isClassification() && width != model.outputSize())) {
            throw new IllegalArgumentException("the model has " + model.outputSize() + " outputs, the batch needs "
                    + width + (b.isClassification() ? " classes (its largest label is " + (width - 1) + ")" : ""));
        }
    }

    /** Runs steps [from, to) of every layer, each step starting from the state the previous one left. */
    public void forward(Batch b, int from, int to) {
        for (RecurrentCell c : layers) {
            c.beginForward();
        }
        try {
            int lanes = lanes();
            if (lanes == 1) {
                forward(b, from, to, 0, batch);
            } else {
                inLanes(lanes, lane -> forward(b, from, to, laneStart(lane, lanes), laneStart(lane + 1, lanes)));
            }
        } finally {
            for (RecurrentCell c : layers) {
                c.endForward();
            }
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

    /** How many ranges (lanes) the current batch is split into: see {@link SequenceModel#threads(int)}. */
    private int lanes() {
        int n = Math.min(model.threads(), batch);
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
        readout.forwardInPass(r.h, r.y, 0, count);
        double total = 0;
        for (int k = 0; k < count; k++) {
            int t = r.step[k];
            int s = r.sequence[k];
            total += b.isClassification() ? Loss.crossEntropy(r.y[k], b.labelsAt(t)[s], n)
                    : Loss.squaredError(r.y[k], b.valuesAt(t)[s], n);
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
     * Backpropagates the loss of the last {@link #lossAndReadoutGradient} call through steps [from, to), top layer
     * first, adding to every parameter gradient; the state carried into step {@code from} is held fixed (that is
     * truncated BPTT when {@code from} is past the start).
     */
    public void backward(Batch b, int from, int to) {
        backward(b, from, to, true, null);
    }

    /**
     * Backpropagates only the extra gradients {@code inject[l][t]} (∂/∂h_t of layer l, null where there is none)
     * through steps [from, to): the second pass of a penalty on the hidden states, such as Pascanu's Ω.
     */
    public void backwardInjected(Batch b, int from, int to, double[][][][] inject) {
        backward(b, from, to, false, inject);
    }

    /**
     * Backpropagates a gradient given from outside, ∂L/∂h_t of the top layer for every step {@code upstream[t][b]},
     * through steps [0, T) of a forward pass over {@code b}: what {@link SequenceModel#backpropagate(double[][][],
     * double[][][])} builds on.
     */
    void backwardFrom(Batch b, double[][][] upstream) {
        for (int t = 0; t < upstream.length; t++) {
            for (int s = 0; s < upstream[t].length; s++) {
                System.arraycopy(upstream[t][s], 0, dhTop[t][s], 0, dhTop[t][s].length);
            }
        }
        backward(b, 0, upstream.length, true, null);
    }

    /** ∂L/∂x_t of the last backward pass with {@link #keepInputGradients(boolean)} on: {@code [b][k]}, live. */
    double[][] inputGradientAt(int t) {
        return dx[0][t];
    }

    /**
     * Whether the backward pass also computes ∂L/∂x_t, the gradient with respect to the inputs (off while training:
     * nothing needs it there, and it costs a product per step).
     */
    void keepInputGradients(boolean keep) {
        if (keep != inputGradients) {
            inputGradients = keep;
            batch = -1;                                                   // re-size the buffers on the next prepare
        }
    }

    private void backward(Batch b, int from, int to, boolean fromReadout, double[][][][] inject) {
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
                c.backwardStep(t, x, combine(above, extra, c.hiddenSize(), s0, s1), dx[l] == null ? null : dx[l][t],
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
}
