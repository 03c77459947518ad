package org.rnnlab.model;

import java.util.List;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.RowMath;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The dense layer that reads the top hidden state out into a prediction: {@code y_t = W_y · h_t + b_y}.
 * Storage is input-major like the cells' ({@code W} has one row per hidden unit).
 */
public final class Readout {
    private final int inputSize;
    private final int outputSize;
    private final Parameter w;
    private final Parameter bias;
    private final List<WeightView> views;

    public Readout(int inputSize, int outputSize) {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("the readout needs at least one output, got " + outputSize);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.w = new Parameter("W_y", inputSize, outputSize, true);
        this.bias = new Parameter("b_y", 1, outputSize, false);
        this.views = List.of(new WeightView("W_y", w, 0, 0, outputSize, inputSize, Kind.OUTPUT),
                new WeightView("b_y", bias, 0, 0, outputSize, 1, Kind.BIAS));
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    public List<Parameter> parameters() {
        return List.of(w, bias);
    }

    public List<WeightView> weights() {
        return views;
    }

    /** y = W_y · h + b_y, written into {@code y}. */
    public void forward(double[] h, double[] y) {
        System.arraycopy(bias.value()[0], 0, y, 0, outputSize);
        double[][] wv = w.value();
        for (int j = 0; j < inputSize; j++) {
            double v = h[j];
            if (v != 0.0) {
                RowMath.axpy(v, wv[j], y);
            }
        }
    }

    /** Accumulates ∂W_y, ∂b_y from ∂L/∂y and writes ∂L/∂h = W_yᵀ · ∂L/∂y into {@code dh}. */
    public void backward(double[] h, double[] dy, double[] dh) {
        RowMath.add(dy, bias.grad()[0]);
        double[][] wv = w.value();
        double[][] wg = w.grad();
        for (int j = 0; j < inputSize; j++) {
            double v = h[j];
            if (v != 0.0) {
                RowMath.axpy(v, dy, wg[j]);
            }
            dh[j] = RowMath.dot(dy, wv[j]);
        }
    }
}
