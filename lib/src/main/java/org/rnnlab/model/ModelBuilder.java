package org.rnnlab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.ejml.data.DMatrixRMaj;
import org.rnnlab.cell.Activation;
import org.rnnlab.cell.GruCell;
import org.rnnlab.cell.GruForm;
import org.rnnlab.cell.LstmCell;
import org.rnnlab.cell.LstmVariant;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.cell.RnnCell;
import org.rnnlab.init.Init;
import org.rnnlab.init.SpectralRadius;
import org.rnnlab.param.WeightView;
import org.rnnlab.textbook.TextbookGruCell;
import org.rnnlab.textbook.TextbookLstmCell;
import org.rnnlab.textbook.TextbookRnnCell;

/**
 * Builds a {@link SequenceModel}: start with {@link SequenceModel#builder(int)}, add the recurrent layers bottom
 * first, then say what the model predicts with {@link #output(int, Loss)}.
 *
 * <pre>
 *   var model = SequenceModel.builder(2).lstm(32).output(1, Loss.MSE).seed(7).build();
 * </pre>
 *
 * Defaults: weights uniform in ±1/√H (H the layer's width), biases 0, forget-gate bias 1 (so a new LSTM
 * remembers), seed 42. The same settings and seed always build the same weights.
 */
public final class ModelBuilder {
    private final int inputSize;
    private final List<IntFunction<RecurrentCell>> specs = new ArrayList<>();
    private int outputs = -1;
    private Loss loss = Loss.CROSS_ENTROPY;
    private long seed = 42;
    private Init inputInit;
    private Init recurrentInit;
    private double forgetBias = 1.0;
    private double spectralRadius = Double.NaN;
    private boolean textbook;

    ModelBuilder(int inputSize) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("inputs need at least one component per step, got " + inputSize);
        }
        this.inputSize = inputSize;
    }

    /** A tanh RNN layer of {@code hidden} units. */
    public ModelBuilder rnn(int hidden) {
        return rnn(hidden, Activation.TANH);
    }

    /** A vanilla RNN layer with the given activation. */
    public ModelBuilder rnn(int hidden, Activation activation) {
        specs.add(in -> textbook ? new TextbookRnnCell(in, hidden, activation) : new RnnCell(in, hidden, activation));
        return this;
    }

    /** An LSTM layer, the usual kind (no peepholes: Greff's NP). */
    public ModelBuilder lstm(int hidden) {
        return lstm(hidden, LstmVariant.NP);
    }

    /** An LSTM layer of the named variant ("V", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG", "FGR"). */
    public ModelBuilder lstm(int hidden, String variant) {
        return lstm(hidden, LstmVariant.of(variant));
    }

    /** An LSTM layer of the given variant. */
    public ModelBuilder lstm(int hidden, LstmVariant variant) {
        specs.add(in -> textbook ? new TextbookLstmCell(in, hidden, variant) : new LstmCell(in, hidden, variant));
        return this;
    }

    /** A GRU layer in colah's form ({@link GruForm#COLAH}: z weights the new candidate). */
    public ModelBuilder gru(int hidden) {
        return gru(hidden, GruForm.COLAH);
    }

    /**
     * A GRU layer of the given form: {@link GruForm#COLAH}, {@link GruForm#CHO} (Cho et al. 2014, d2l) or
     * {@link GruForm#PYTORCH} (PyTorch and cuDNN: the reset gate after the recurrent product).
     */
    public ModelBuilder gru(int hidden, GruForm form) {
        specs.add(in -> textbook ? new TextbookGruCell(in, hidden, form) : new GruCell(in, hidden, form));
        return this;
    }

    /**
     * Builds every recurrent layer (added before or after this call) from the textbook cells of
     * {@code org.rnnlab.textbook}, the ones written to be read: slower, and the same numbers to 1e-12. The same
     * seed gives the same weights as the fast cells, so a student can change a textbook cell and train with it.
     */
    public ModelBuilder textbook() {
        this.textbook = true;
        return this;
    }

    /** The readout: {@code outputs} classes (cross-entropy) or values (MSE). */
    public ModelBuilder output(int outputs, Loss loss) {
        this.outputs = outputs;
        this.loss = loss;
        return this;
    }

    /** The seed of the initial weights (same seed, same model). */
    public ModelBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** How input and readout weights start (default uniform ±1/√H). */
    public ModelBuilder init(Init init) {
        this.inputInit = init;
        return this;
    }

    /** How recurrent weights start, each gate's block on its own (default uniform ±1/√H). */
    public ModelBuilder recurrentInit(Init init) {
        this.recurrentInit = init;
        return this;
    }

    /** After initialising, scale every recurrent block to this spectral radius. */
    public ModelBuilder spectralRadius(double rho) {
        if (!(rho > 0) || !Double.isFinite(rho)) {
            throw new IllegalArgumentException("spectral radius must be a positive number, got " + rho);
        }
        this.spectralRadius = rho;
        return this;
    }

    /** The forget gate's initial bias (default 1: a new LSTM keeps its memory). */
    public ModelBuilder forgetBias(double bias) {
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
