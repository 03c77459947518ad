package org.rnnlab.cell;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;

/**
 * One recurrent layer: a cell applied at every time step, each step reading the input x_t and the cell's own
 * previous state, and handing its hidden state h_t upwards and to the next step.
 *
 * <p>A cell keeps what backpropagation through time needs in buffers indexed by time step, allocated once per
 * sequence shape and reused, so the time loop allocates nothing. States are indexed with a shift of one:
 * {@code state[0]} is the state carried in before step 0, {@code state[t + 1]} the state after step t.
 *
 * <p>The driving loop (see {@code org.rnnlab.model.SequenceModel}) calls {@link #forwardStep} for t = 0, 1, …
 * and, on the way back, {@link #beginBackward()} then {@link #backwardStep} for t = …, 1, 0. Stopping the backward
 * loop at some step s holds the state carried into step s fixed: that is truncated BPTT.
 *
 * <p>Sequences of a batch never meet: only the weight gradients are shared. A cell that {@link #splitsBatch()}
 * can therefore compute a range of sequences [from, to) on its own, and accumulate that range's weight gradients
 * into a gradient buffer of its own, a <em>lane</em>: lane 0 is the parameters' own {@link Parameter#grad()}, lanes
 * 1, 2 … are private buffers that {@link #mergeLanes()} adds to it in lane order. This is how the model runs one
 * batch on several threads and still gets the same numbers on every run.
 *
 * <p>The built-in cells compute a whole time step for all sequences of the range together: every row of a weight
 * matrix is loaded once per step and applied to each sequence in turn (see {@link RowMath#multiplyInto(double[][],
 * double[][], int, double[][], int, int)}), so a batch of B sequences costs far less than B single sequences.
 */
public abstract class RecurrentCell {
    protected final int inputSize;
    protected final int hiddenSize;
    /** Sequences per batch the buffers are sized for. */
    protected int batch = -1;
    /** Time steps the buffers have room for. */
    protected int capacity = -1;
    /** h[t + 1][b] = hidden state after step t; h[0] = carried-in state. */
    protected double[][][] h;
    /** dhSeen[t][b] = total ∂L/∂h_t seen by the last backward pass (from above and from step t + 1). */
    protected double[][][] dhSeen;
    /** ∂L/∂h carried from step t + 1 back to step t. */
    protected double[][] dhNext;
    /** The private gradient buffers of lanes 1, 2 …: {@code laneGrads.get(lane − 1).get(parameter)}. */
    private final List<Map<Parameter, double[][]>> laneGrads = new java.util.ArrayList<>();

    protected RecurrentCell(int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("a cell needs positive sizes, got input " + inputSize
                    + " and hidden " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
    }

    /** A short name: "RNN(tanh)", "LSTM", "LSTM-CIFG", "GRU" … */
    public abstract String kind();

    public final int inputSize() {
        return inputSize;
    }

    public final int hiddenSize() {
        return hiddenSize;
    }

    /** The fused storage blocks (what optimisers update). */
    public abstract List<Parameter> parameters();

    /** Every named weight, in textbook orientation, backed by the fused storage. */
    public abstract List<WeightView> weights();

    /** The named weight ({@code "W_xi"}, {@code "b_f"} …); an unknown name lists the names there are. */
    public final WeightView weight(String name) {
        for (WeightView v : weights()) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException(kind() + " has no weight named '" + name + "'; it has "
                + weights().stream().map(WeightView::name).collect(Collectors.joining(", ")));
    }

    /**
     * Makes room for {@code steps} time steps of {@code sequences} sequences. Buffers are reused when they are
     * large enough; the carried-in state survives when the number of sequences is unchanged.
     */
    public final void prepare(int steps, int sequences) {
        if (sequences != batch || steps > capacity) {
            int cap = Math.max(steps, sequences == batch ? capacity : 0);
            h = new double[cap + 1][sequences][hiddenSize];
            dhSeen = new double[cap][sequences][hiddenSize];
            dhNext = new double[sequences][hiddenSize];
            allocate(cap, sequences);
            batch = sequences;
            capacity = cap;
        }
    }

    /** Allocates the subclass's own buffers for {@code steps} steps of {@code sequences} sequences. */
    protected abstract void allocate(int steps, int sequences);

    /** Sets the carried-in state (index 0 of every buffer of {@link #carriedStates()}) to zero: a fresh start. */
    public void resetState() {
        if (h != null) {
            for (double[][][] state : carriedStates()) {
                RowMath.zero(state[0]);
            }
        }
    }

    /**
     * The names of the states this cell carries from step to step, each one value per unit and sequence: "h" for
     * every cell, and "c" (the cell state) for an LSTM. These are what {@link #setInitialState} sets and
     * {@link #initialStateGradient} reads.
     */
    public List<String> stateNames() {
        return List.of("h");
    }

    /**
     * Sets the state {@code name} carried into step 0 ({@code values[b][u]} for sequence b, unit u), instead of
     * the zero state of {@link #resetState()}: a learned or given initial state, or the last state of another model.
     * The values are copied. Call it after {@code prepare(steps, sequences)}, which sizes the buffers.
     *
     * @throws IllegalArgumentException for a name not in {@link #stateNames()}, or values not of
     *                                  {@code sequences × hiddenSize}
     * @throws IllegalStateException    before {@code prepare(steps, sequences)}
     */
    public final void setInitialState(String name, double[][] values) {
        requireState(name);
        double[][] into = stateBuffer(name)[0];
        if (values == null || values.length != into.length) {
            throw new IllegalArgumentException(kind() + ": initial state '" + name + "' needs one row per sequence ("
                    + into.length + " sequences), got " + (values == null ? "null" : values.length + " rows"));
        }
        for (int b = 0; b < into.length; b++) {
            if (values[b] == null || values[b].length != into[b].length) {
                throw new IllegalArgumentException(kind() + ": initial state '" + name + "' needs " + into[b].length
                        + " values per sequence (one per unit), got " + (values[b] == null ? "null"
                        : values[b].length) + " in row " + b);
            }
            System.arraycopy(values[b], 0, into[b], 0, into[b].length);
        }
    }

    /**
     * ∂L/∂(state {@code name} carried into step 0), {@code [sequence][unit]}, as left by a backward loop that ran
     * down to step 0: what the cell would carry back to a step −1. With it, a model can learn its initial state, or
     * pass the gradient on to whatever produced that state (an encoder, the previous batch of a stream). A loop that
     * stopped at step s leaves ∂L/∂(state after step s − 1) instead. When the batch was split into lanes, each lane
     * has written its own sequences' rows. A copy.
     *
     * @throws IllegalArgumentException for a name not in {@link #stateNames()}
     * @throws IllegalStateException    before {@code prepare(steps, sequences)}
     */
    public final double[][] initialStateGradient(String name) {
        requireState(name);
        double[][] g = carriedBack(name);
        double[][] copy = new double[g.length][];
        for (int b = 0; b < g.length; b++) {
            copy[b] = g[b].clone();
        }
        return copy;
    }

    /**
     * The named state after step {@code t} ({@code t = −1}: the state carried in), {@code [sequence][unit]}: for
     * example {@code state("c", T − 1)}, an LSTM's last cell state. A copy.
     */
    public final double[][] state(String name, int t) {
        requireState(name);
        double[][] live = stateBuffer(name)[t + 1];
        double[][] copy = new double[live.length][];
        for (int b = 0; b < live.length; b++) {
            copy[b] = live[b].clone();
        }
        return copy;
    }

    /**
     * The buffer of state {@code name} over time, indexed like {@link #hidden(int)} (index 0 the carried-in state,
     * t + 1 the state after step t), live. Subclasses with more states than h override it, and {@link #stateNames()},
     * and call this for "h".
     */
    protected double[][][] stateBuffer(String name) {
        if (name.equals("h")) {
            return h;
        }
        throw unknownState(name);
    }

    /**
     * ∂L/∂(state {@code name}) carried back from step t to step t − 1 by the backward loop (live), {@code dhNext} for
     * "h". Subclasses with more states override it alongside {@link #stateBuffer(String)}.
     */
    protected double[][] carriedBack(String name) {
        if (name.equals("h")) {
            return dhNext;
        }
        throw unknownState(name);
    }

    /** The error for a state name this cell does not have. */
    protected final IllegalArgumentException unknownState(String name) {
        return new IllegalArgumentException(kind() + " has no state named '" + name + "'; it has "
                + String.join(", ", stateNames()));
    }

    private void requireState(String name) {
        if (!stateNames().contains(name)) {
            throw unknownState(name);
        }
        if (h == null) {
            throw new IllegalStateException(kind() + ": call prepare(steps, sequences) first; it sizes the state");
        }
    }

    /** Makes the state after step {@code t} the carried-in state of the next sequence (continuing a stream). */
    public void carryState(int t) {
        for (double[][][] state : carriedStates()) {
            copyState(state, t + 1);
        }
    }

    /**
     * The buffers of every state the cell carries from step to step, indexed like {@link #hidden(int)} (index 0 the
     * carried-in state): by default those of {@link #stateNames()}; a cell that carries something more (the FGR
     * LSTM's previous gate values) adds it. {@link #resetState()}, {@link #carryState(int)} and
     * {@link #saveCarriedState()} work on these.
     */
    protected List<double[][][]> carriedStates() {
        return stateNames().stream().map(this::stateBuffer).toList();
    }

    /**
     * A copy of the state carried into step 0 (every buffer of {@link #carriedStates()}), to be put back with
     * {@link #restoreCarriedState(Object)}: what lets a model be evaluated between two batches of a stream without
     * breaking the stream. Opaque: only the cell that saved it reads it.
     */
    public Object saveCarriedState() {
        List<double[][][]> states = carriedStates();
        double[][][] saved = new double[states.size()][][];
        for (int i = 0; i < saved.length; i++) {
            double[][] now = states.get(i)[0];
            saved[i] = new double[now.length][];
            for (int b = 0; b < now.length; b++) {
                saved[i][b] = now[b].clone();
            }
        }
        return saved;
    }

    /** Puts back a state saved by {@link #saveCarriedState()} with the same number of sequences. */
    public void restoreCarriedState(Object state) {
        double[][][] saved = (double[][][]) state;
        List<double[][][]> states = carriedStates();
        for (int i = 0; i < saved.length; i++) {
            double[][] now = states.get(i)[0];
            for (int b = 0; b < now.length; b++) {
                System.arraycopy(saved[i][b], 0, now[b], 0, now[b].length);
            }
        }
    }

    /** Copies state {@code from} into state 0 for one state array. */
    protected static void copyState(double[][][] state, int from) {
        if (from == 0) {
            return;
        }
        for (int b = 0; b < state[0].length; b++) {
            System.arraycopy(state[from][b], 0, state[0][b], 0, state[0][b].length);
        }
    }

    /** Computes step {@code t} from the inputs {@code x[b][k]} and the state after step t − 1. */
    public abstract void forwardStep(int t, double[][] x);

    /**
     * True when this cell computes a range of sequences on its own ({@link #forwardStep(int, double[][], int, int)}
     * and the lane form of {@link #backwardStep(int, double[][], double[][], double[][], int, int, int)}), so the
     * model may split a batch between threads. The built-in cells do; a cell written for a lesson need not.
     */
    public boolean splitsBatch() {
        return false;
    }

    /**
     * Computes step {@code t} for sequences [from, to) only. Cells that do not {@link #splitsBatch()} accept only
     * the whole batch.
     */
    public void forwardStep(int t, double[][] x, int from, int to) {
        requireWholeBatch(from, to);
        forwardStep(t, x);
    }

    /** The precision of the batched products in training ({@link #precision(Precision)}). */
    protected Precision precision = Precision.DOUBLE;

    /**
     * Sets the precision of this cell's batched products in training (the model's {@code precision} sets it on
     * every layer). Cells that have no float32 kernels (all but the LSTM cell, for now) compute in float64 whatever
     * it says; {@link #runsPrecision()} tells.
     */
    public void precision(Precision p) {
        Kernels.require(p);
        this.precision = p;
    }

    /** The precision this cell's products actually run in: float32 only where it has float32 kernels. */
    public Precision runsPrecision() {
        return Precision.DOUBLE;
    }

    /**
     * Called by the model before a forward pass of several steps during which the weights do not change (the forward
     * pass of training); a cell may prepare a copy of its weights for the pass (the LSTM cell packs its recurrent
     * block for the Vector API kernels, see {@link org.rnnlab.hotloop.Kernels}). {@link #endForward()} ends the pass.
     * Steps run outside such a pass (prediction, tracing) must not rely on it.
     */
    public void beginForward() {
    }

    /** Ends the pass that {@link #beginForward()} began: copies made for it are no longer used. */
    public void endForward() {
    }

    /** Clears what the backward pass carries from step to step; call before the first {@link #backwardStep}. */
    public void beginBackward() {
        RowMath.zero(dhNext);
    }

    /**
     * Backpropagates through step {@code t}: adds this step's share to every parameter gradient, carries ∂L/∂state
     * to step t − 1, and (when {@code dxOut} is not null) writes ∂L/∂x_t into {@code dxOut[b][k]}.
     *
     * @param x       the inputs this step was computed from (the same array {@link #forwardStep} received)
     * @param dhAbove ∂L/∂h_t from above (the readout or the layer above), or null for none
     */
    public abstract void backwardStep(int t, double[][] x, double[][] dhAbove, double[][] dxOut);

    /**
     * {@link #backwardStep(int, double[][], double[][], double[][])} for sequences [from, to) only, adding the
     * weight gradients to lane {@code lane} (0: the parameters' own gradient; see {@link #prepareLanes(int)}).
     * Cells that do not {@link #splitsBatch()} accept only the whole batch on lane 0.
     */
    public void backwardStep(int t, double[][] x, double[][] dhAbove, double[][] dxOut, int from, int to, int lane) {
        requireWholeBatch(from, to);
        if (lane != 0) {
            throw new UnsupportedOperationException(kind() + " does not split a batch between threads");
        }
        backwardStep(t, x, dhAbove, dxOut);
    }

    /**
     * Ends lane {@code lane}'s part of a backward pass that used the lane form of {@code backwardStep}: adds any
     * weight-gradient terms the cell held back to batch them over steps (see {@code LstmCell}). The model calls it
     * after each layer's time loop; the whole-batch {@code backwardStep} needs no such call.
     */
    public void finishBackward(int lane) {
    }

    private void requireWholeBatch(int from, int to) {
        if (from != 0 || to != batch) {
            throw new UnsupportedOperationException(kind() + " computes whole batches only (sequences 0.." + batch
                    + "), not " + from + ".." + to);
        }
    }

    /**
     * Makes sure lanes 1 … {@code lanes − 1} have a zeroed private gradient buffer for every parameter. Call it
     * before the lanes start (the buffers are created here, never while threads run).
     */
    public void prepareLanes(int lanes) {
        while (laneGrads.size() < lanes - 1) {
            Map<Parameter, double[][]> m = new IdentityHashMap<>();
            for (Parameter p : parameters()) {
                m.put(p, new double[p.rows()][p.cols()]);
            }
            laneGrads.add(m);
        }
    }

    /** Adds the gradients of lanes 1, 2 … to the parameters' own gradients, in lane order, and zeroes them. */
    public final void mergeLanes() {
        for (Map<Parameter, double[][]> lane : laneGrads) {
            for (Map.Entry<Parameter, double[][]> e : lane.entrySet()) {
                double[][] into = e.getKey().grad();
                double[][] from = e.getValue();
                for (int r = 0; r < from.length; r++) {
                    RowMath.add(from[r], into[r]);
                    java.util.Arrays.fill(from[r], 0.0);
                }
            }
        }
    }

    /** The gradient buffer of parameter {@code p} on lane {@code lane} (lane 0: {@code p.grad()}). */
    protected final double[][] gradOf(Parameter p, int lane) {
        return lane == 0 ? p.grad() : laneGrads.get(lane - 1).get(p);
    }

    /** The hidden states h_t of all sequences at step {@code t} (t = −1: the carried-in state). Live buffer. */
    public final double[][] hidden(int t) {
        return h[t + 1];
    }

    /** The total ∂L/∂h_t seen at step t by the last backward pass. Live buffer. */
    public final double[][] gradientAt(int t) {
        return dhSeen[t];
    }

    /**
     * The signals inside the cell at step {@code t} for sequence {@code b}: always "h", and for gated cells every
     * gate ("i", "f", "o" …) and the cell state "c". Copies.
     */
    public Map<String, double[]> signals(int t, int b) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("h", h[t + 1][b].clone());
        return m;
    }

    /** Adds {@code dhAbove} (may be null) and the carried gradient, records the total, and returns it. */
    protected final double[] totalGradient(int t, int b, double[][] dhAbove) {
        double[] seen = dhSeen[t][b];
        double[] next = dhNext[b];
        if (dhAbove == null) {
            System.arraycopy(next, 0, seen, 0, hiddenSize);
        } else {
            double[] above = dhAbove[b];
            for (int u = 0; u < hiddenSize; u++) {
                seen[u] = above[u] + next[u];
            }
        }
        return seen;
    }

    /**
     * Multiplies {@code in[b]} (length {@code n}) into a fused input-major weight block starting at storage row
     * {@code rowOffset}: {@code out += Σ_k in[k] · W[rowOffset + k]}. Zero inputs are skipped, which makes one-hot
     * inputs cost one row.
     */
    protected static void multiplyInto(double[] in, double[][] w, int rowOffset, double[] out) {
        for (int k = 0; k < in.length; k++) {
            double v = in[k];
            if (v != 0.0) {
                RowMath.axpy(v, w[rowOffset + k], out);
            }
        }
    }

    /** Accumulates the weight gradient of a fused block: {@code dW[rowOffset + k] += in[k] · dz}. */
    protected static void accumulateOuter(double[] in, double[] dz, double[][] dw, int rowOffset) {
        for (int k = 0; k < in.length; k++) {
            double v = in[k];
            if (v != 0.0) {
                RowMath.axpy(v, dz, dw[rowOffset + k]);
            }
        }
    }

    /** Backpropagates through a fused block: {@code dIn[k] = W[rowOffset + k] · dz} for every k. */
    protected static void multiplyTransposed(double[] dz, double[][] w, int rowOffset, double[] dIn) {
        for (int k = 0; k < dIn.length; k++) {
            dIn[k] = RowMath.dot(dz, w[rowOffset + k]);
        }
    }

    @Override
    public String toString() {
        return kind() + "(input " + inputSize + ", hidden " + hiddenSize + ")";
    }
}
