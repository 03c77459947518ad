package org.rnnlab.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.data.Batch;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.init.SpectralRadius;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;

/**
 * A recurrent network unrolled over time: one or more recurrent layers (the cells), then a dense readout
 * {@code y_t = W_y h_t + b_y} and a {@link Loss}. Whether it is many-to-many or many-to-one is decided by the
 * data: the loss is taken at every step of a {@link Batch} that has a target.
 *
 * <p>One line builds one with defaults for everything ({@link #lstm(int, int, int)}), a {@link ModelBuilder} the
 * rest. Every weight is reachable by its textbook name ({@link #get(String)}, {@link #set(String, DMatrixRMaj)}):
 * "W_xi", "W_hf", "b_o" … for a one-layer model, "L2.W_xi" for the second layer of a stack, "W_y" and "b_y"
 * for the readout. The parameters live in one place, the fused storage the cells compute with: {@code get}
 * returns a copy as an EJML matrix, {@code set} writes through.
 *
 * <p>Layers are numbered from 1, bottom up, everywhere: {@code layer(1)} reads the input, its weights are "L1.W_xi" …
 * in a stack, and {@code trace.get(1, "c")} is its cell state.
 *
 * <p>Training ({@code org.rnnlab.train.Trainer}) drives the model through its backpropagation-through-time engine,
 * {@link Bptt}. {@link #threads(int)} computes each batch on several threads with the same numbers from run to run
 * (see {@link Bptt} for how the batch is split).
 */
public final class SequenceModel {

    static {
        // show this library's values richly on whichever Java kernel runs the notebook
        org.rnnlab.notebook.KernelHooks.install();
    }
    private final List<RecurrentCell> layers;
    private final Readout readout;
    private final Loss loss;
    private final long seed;
    /** Every fused storage block, in the fixed order of {@link #parameters()}; the layers never change. */
    private final List<Parameter> parameters;
    private final Bptt engine;
    private int threads = 1;
    private Precision precision = Precision.DOUBLE;

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
        this.engine = new Bptt(this);
    }

    /** The engine that unrolls this model (see {@link Bptt#of(SequenceModel)}). */
    Bptt engine() {
        return engine;
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
    public static ModelBuilder builder(int inputSize) {
        return new ModelBuilder(inputSize);
    }

    // ---------------------------------------------------------------- structure and parameters

    /** The recurrent layers, bottom first. */
    public List<RecurrentCell> layers() {
        return layers;
    }

    /** Layer {@code l}, counted from 1: layer 1 reads the input, as its weights' names ("L1.W_xi") say. */
    public RecurrentCell layer(int l) {
        return layers.get(layerIndex(l));
    }

    /** The list index of layer {@code l} (counted from 1); anything else is an error that says how to count. */
    int layerIndex(int l) {
        if (l < 1 || l > layers.size()) {
            throw new IllegalArgumentException("there is no layer " + l + ": layers are counted from 1 (the one that"
                    + " reads the input, whose weights are L1.…), and this model has " + (layers.size() == 1
                    ? "one layer, layer 1" : "layers 1.." + layers.size()));
        }
        return l - 1;
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

    /**
     * The spectral radius of layer 1's recurrent matrix: W_hh of an RNN, W_hg (the LSTM's block input) or W_hn (the
     * GRU's candidate) of a gated cell, the loop that carries the state when the gates are open.
     */
    public double spectralRadius() {
        RecurrentCell c = layers.get(0);
        for (String name : List.of("W_hh", "W_hg", "W_hn")) {
            if (c.weights().stream().anyMatch(v -> v.name().equals(name))) {
                return SpectralRadius.of(c.weight(name).get());
            }
        }
        throw new IllegalStateException(c.kind() + " has no recurrent matrix W_hh, W_hg or W_hn");
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

    /**
     * The precision of the batched matrix products in training: {@link Precision#DOUBLE} (the default) or
     * {@link Precision#FLOAT}, float32 products for speed (see {@link Precision}: LSTM layers and the readout; other
     * cells stay float64). FLOAT needs the JVM option {@code --add-modules jdk.incubator.vector}; without it this
     * throws and says so. Gradient checks and the lessons use the default.
     */
    public SequenceModel precision(Precision p) {
        Kernels.require(p);
        for (RecurrentCell c : layers) {
            c.precision(p);
        }
        readout.precision(p);
        this.precision = p;
        return this;
    }

    /** The precision set by {@link #precision(Precision)}. */
    public Precision precision() {
        return precision;
    }

    /** The number of threads a batch is computed on (see {@link #threads(int)}). */
    public int threads() {
        return threads;
    }

    // ---------------------------------------------------------------- using a trained model

    /**
     * Full backpropagation through time on a batch, from a zero state: returns the loss (averaged over the batch's
     * targets) and leaves ∂loss/∂θ in every parameter's gradient, replacing what was there (no penalty, no clipping,
     * no update). Diagnostics and gradient checks build on it.
     */
    public double backpropagate(Batch b) {
        engine.prepare(b);
        int steps = b.length();
        engine.resetState();
        zeroGrad();
        engine.forward(b, 0, steps);
        double l = engine.lossAndReadoutGradient(b, 0, 0, steps);
        engine.backward(b, 0, steps);
        return l;
    }

    /**
     * The loss on a batch (forward only, from a zero state), averaged over its targets. It has no side effects:
     * the gradients and the state a training run carries from batch to batch are left as they were.
     */
    public double loss(Batch b) {
        engine.prepare(b);
        return engine.evaluate(() -> {
            engine.forward(b, 0, b.length());
            return engine.loss(b, 0, b.length());
        });
    }

    /** {@link #unroll(double[][][], Map)} from a zero state. */
    public Unrolled unroll(double[][][] inputs) {
        return unroll(inputs, Map.of());
    }

    /**
     * Runs the recurrent layers over {@code inputs[t][b][k]} from the given initial state ("h", "c" … as in
     * {@link Unrolled}; a state not given starts at zero), without the readout: the hidden states, and the gradients
     * of a loss whose ∂L/∂h_t you supply, come from the returned {@link Unrolled}.
     */
    public Unrolled unroll(double[][][] inputs, Map<String, double[][]> initialState) {
        Batch b = Batch.inputsOnly(inputs);
        engine.requireInputWidth(b);
        engine.keepInputGradients(true);
        engine.prepare(b.length(), b.size());
        engine.resetState();
        initialState.forEach((name, values) -> {
            Unrolled.Part p = Unrolled.part(this, name);
            p.cell().setInitialState(p.state(), values);
        });
        engine.forward(b, 0, b.length());
        return new Unrolled(this, b, engine.run());
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
        engine.requireInputWidth(b);
        engine.prepare(b.length(), b.size());
        return engine.evaluate(() -> {
            engine.forward(b, 0, b.length());
            RecurrentCell top = layers.get(layers.size() - 1);
            double[][][] out = new double[b.length()][b.size()][];
            for (int t = 0; t < b.length(); t++) {
                for (int s = 0; s < b.size(); s++) {
                    out[t][s] = output(top.hidden(t)[s]);
                }
            }
            return out;
        });
    }

    /** The readout of one hidden state: probabilities (cross-entropy) or values (MSE). A new array. */
    double[] output(double[] h) {
        double[] o = new double[outputSize()];
        readout.forward(h, o);
        if (loss == Loss.CROSS_ENTROPY) {
            Loss.softmax(o, 1.0);
        }
        return o;
    }

    private static int argmax(double[] v) {
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
        engine.requireInputWidth(b);
        engine.prepare(b.length(), b.size());
        return engine.evaluate(() -> {
            engine.forward(b, 0, b.length());
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
        });
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
        engine.prepare(1, 1);
        engine.resetState();
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
            engine.carryState(0);
            if (i >= prime.length - 1) {
                double[] p = new double[n];
                readout.forward(input[0], p);
                Loss.softmax(p, temperature);
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

    /**
     * Which code runs the batched products of this model's training: {@link org.rnnlab.hotloop.Kernels#describe()},
     * for example {@code "Vector API kernels (jdk.incubator.vector, 4 doubles per vector)"} in the project's kernel
     * or {@code "row loops (start the JVM with --add-modules jdk.incubator.vector …)"} elsewhere. Both give the same
     * bits. (Not part of {@link #toString()}, so that a lesson that prints a model shows the same text on every
     * Jupyter kernel.) With {@link #precision(Precision)} FLOAT it adds {@code ", float32 products"}.
     */
    public String kernels() {
        if (precision == Precision.DOUBLE) {
            return Kernels.describe();
        }
        List<String> f64 = new ArrayList<>();
        for (RecurrentCell c : layers) {
            if (c.runsPrecision() != Precision.FLOAT) {
                f64.add(c.kind());
            }
        }
        return Kernels.describe() + ", float32 products" + (f64.isEmpty() ? "" : " (float64 in " + f64 + ")");
    }

    @Override
    public String toString() {
        return "SequenceModel[" + layers.stream().map(RecurrentCell::toString).collect(Collectors.joining(" → "))
                + " → readout " + outputSize() + ", " + loss + ", " + parameterCount() + " parameters]";
    }

}