package org.rnnlab.model;

import java.util.List;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.data.Batch;

/**
 * A model's recurrent layers unrolled over given inputs, from a given initial state: the hidden states it computed,
 * and, after {@link #backward(double[][][])}, the gradients of any loss whose gradient ∂L/∂h_t you supply.
 *
 * <p>This is the model without its readout, as PyTorch's {@code nn.LSTM} is: {@code out, (h_T, c_T) = lstm(x,
 * (h_0, c_0))}, then {@code (out * G).sum().backward()}. It lets a student check the library against another one,
 * or put a loss of their own on top of the hidden states:
 * <pre>
 *   Unrolled run = model.unroll(x, Map.of("h", h0, "c", c0));     // x[T][B][I], h0[B][H]
 *   double[][][] out = run.hidden();                               // h_1 … h_T of the top layer
 *   run.backward(G);                                               // G[t][b] = ∂L/∂h_t
 *   model.weight("W_xi").grad();  run.inputGradient();  run.initialStateGradient("c");
 * </pre>
 *
 * <p>State names follow the weights': "h" and "c" (LSTM) in a one-layer model, "L1.h", "L2.c" … in a stack. A state
 * not given starts at zero. An {@code Unrolled} reads the model's live buffers, so it is valid until the model runs
 * again (training, {@code predict}, {@code loss}, another {@code unroll}); using it after that is an error.
 */
public final class Unrolled {
    private final SequenceModel model;
    private final Batch inputs;
    private final long run;
    private boolean backwardDone;

    Unrolled(SequenceModel model, Batch inputs, long run) {
        this.model = model;
        this.inputs = inputs;
        this.run = run;
    }

    /** Number of time steps T. */
    public int length() {
        return inputs.length();
    }

    /** Number of sequences B. */
    public int size() {
        return inputs.size();
    }

    /** The top layer's hidden states h_1 … h_T, {@code [T][B][H]} (copies). */
    public double[][][] hidden() {
        requireCurrent();
        RecurrentCell top = model.layers().get(model.layers().size() - 1);
        double[][][] out = new double[length()][][];
        for (int t = 0; t < length(); t++) {
            out[t] = copy(top.hidden(t));
        }
        return out;
    }

    /** The named state after the last step ("h", "c", or "L2.c" in a stack), {@code [B][H]} (a copy). */
    public double[][] finalState(String name) {
        requireCurrent();
        Part p = part(name);
        return p.cell.state(p.state, length() - 1);
    }

    /**
     * Backpropagates ∂L/∂h_t of the top layer, {@code upstream[t][b][u]} for every step, through all steps and
     * layers. Every parameter's gradient is replaced by ∂L/∂θ; then {@link #inputGradient()} and
     * {@link #initialStateGradient(String)} give the rest.
     */
    public Unrolled backward(double[][][] upstream) {
        requireCurrent();
        int width = model.layers().get(model.layers().size() - 1).hiddenSize();
        if (upstream == null || upstream.length != length()) {
            throw new IllegalArgumentException("upstream must hold ∂L/∂h_t for each of the " + length() + " steps, got "
                    + (upstream == null ? "null" : upstream.length));
        }
        for (int t = 0; t < upstream.length; t++) {
            if (upstream[t] == null || upstream[t].length != size()) {
                throw new IllegalArgumentException("upstream[" + t + "] must hold " + size() + " sequences");
            }
            for (int b = 0; b < size(); b++) {
                if (upstream[t][b] == null || upstream[t][b].length != width) {
                    throw new IllegalArgumentException("upstream[" + t + "][" + b + "] must have the top layer's "
                            + width + " units");
                }
            }
        }
        model.zeroGrad();
        model.engine().backwardFrom(inputs, upstream);
        backwardDone = true;
        return this;
    }

    /** ∂L/∂x_t for every step, {@code [T][B][I]}, after {@link #backward(double[][][])} (copies). */
    public double[][][] inputGradient() {
        requireBackward();
        double[][][] out = new double[length()][][];
        for (int t = 0; t < length(); t++) {
            out[t] = copy(model.engine().inputGradientAt(t));
        }
        return out;
    }

    /** ∂L/∂(the named initial state), {@code [B][H]}, after {@link #backward(double[][][])} (a copy). */
    public double[][] initialStateGradient(String name) {
        requireBackward();
        Part p = part(name);
        return p.cell.initialStateGradient(p.state);
    }

    private void requireCurrent() {
        if (model.engine().run() != run) {
            throw new IllegalStateException("the model has run since this unroll (training, predict, loss or another"
                    + " unroll reuse its buffers): call model.unroll(...) again");
        }
    }

    private void requireBackward() {
        requireCurrent();
        if (!backwardDone) {
            throw new IllegalStateException("call backward(upstream) first: the gradients come from it");
        }
    }

    private Part part(String name) {
        return part(model, name);
    }

    /** A layer and one of its state names, from a name such as "c" or "L2.h". */
    record Part(RecurrentCell cell, String state) {
    }

    static Part part(SequenceModel model, String name) {
        List<RecurrentCell> layers = model.layers();
        String state = name;
        int layer = 1;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("L(\\d+)\\.(.+)").matcher(name);
        if (m.matches()) {
            layer = Integer.parseInt(m.group(1));
            state = m.group(2);
        } else if (layers.size() > 1) {
            throw new IllegalArgumentException("this model has " + layers.size() + " layers: name the layer, e.g. L1."
                    + name + " or L" + layers.size() + "." + name);
        }
        RecurrentCell cell = model.layer(layer);
        if (!cell.stateNames().contains(state)) {
            throw new IllegalArgumentException("layer " + layer + " (" + cell.kind() + ") has no state '" + state
                    + "'; its states are " + cell.stateNames());
        }
        return new Part(cell, state);
    }

    private static double[][] copy(double[][] rows) {
        double[][] c = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i].clone();
        }
        return c;
    }
}
