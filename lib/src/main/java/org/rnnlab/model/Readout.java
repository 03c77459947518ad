package org.rnnlab.model;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.PackedMatrix;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The dense layer that reads the top hidden state out into a prediction: {@code y_t = W_y · h_t + b_y}.
 * Storage is input-major like the cells' ({@code W} has one row per hidden unit).
 *
 * <p>The model's training loop uses the batched {@link #backward(double[][], double[][], double[][], int, int, int)}:
 * it keeps a unit-major copy of W_y (refreshed by {@link #beginBackward()}) so that ∂L/∂h = W_yᵀ·∂L/∂y is a few
 * whole-row multiply-adds, and it writes the weight gradient of a range of sequences into a lane, like the cells
 * (see {@code org.rnnlab.cell.RecurrentCell}).
 */
public final class Readout {
    private final int inputSize;
    private final int outputSize;
    private final Parameter w;
    private final Parameter bias;
    private final List<WeightView> views;
    /** wT[k][j] = W[j][k]: W_y output-major, for W_yᵀ·∂L/∂y; refreshed by {@link #beginBackward()}. */
    private final double[][] wT;
    /** The precision of the batched products in training ({@link #precision(Precision)}). */
    private Precision precision = Precision.DOUBLE;
    /** W_y and wT packed for the Vector API kernels by {@link #beginBackward()} (null: the row loops run). */
    private PackedMatrix wPacked;
    private PackedMatrix wTPacked;
    private PackedMatrix wPanels;
    private PackedMatrix wTPanels;
    /** The private gradients of lanes 1, 2 …: {@code laneW.get(lane − 1)}, {@code laneB.get(lane − 1)}. */
    private final List<double[][]> laneW = new ArrayList<>();
    private final List<double[]> laneB = new ArrayList<>();

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
        this.wT = new double[outputSize][inputSize];
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

    /** Sets the precision of the batched products in training (see {@link Precision}); needs the module for FLOAT. */
    public void precision(Precision p) {
        Kernels.require(p);
        this.precision = p;
    }

    /** y = W_y · h + b_y, written into {@code y}. */
    public void forward(double[] h, double[] y) {
        System.arraycopy(bias.value()[0], 0, y, 0, outputSize);
        double[][] wv = w.value();
        int j = 0;
        for (; j + 3 < inputSize; j += 4) {                         // four rows of W_y per pass over y
            RowMath.axpy4(h[j], wv[j], h[j + 1], wv[j + 1], h[j + 2], wv[j + 2], h[j + 3], wv[j + 3], y);
        }
        for (; j < inputSize; j++) {
            RowMath.axpy(h[j], wv[j], y);
        }
    }

    /**
     * The batched form, for rows r in [from, to): {@code y[r] = W_y · h[r] + b_y}. Each group of rows of W_y is
     * applied to every h[r] while it is in cache, two rows r at a time ({@link RowMath#multiplyInto}); the terms are
     * added in the same order as by {@link #forward(double[], double[])}.
     */
    public void forward(double[][] h, double[][] y, int from, int to) {
        for (int r = from; r < to; r++) {
            System.arraycopy(bias.value()[0], 0, y[r], 0, outputSize);
        }
        RowMath.multiplyInto(h, w.value(), 0, y, from, to);
    }

    /**
     * {@link #forward(double[][], double[][], int, int)} inside a pass begun by {@link #beginBackward()}: over the
     * packed copy of W_y made there when the Vector API kernels run (the same bits).
     */
    void forwardInPass(double[][] h, double[][] y, int from, int to) {
        if (wPacked == null) {
            forward(h, y, from, to);
            return;
        }
        for (int r = from; r < to; r++) {
            System.arraycopy(bias.value()[0], 0, y[r], 0, outputSize);
        }
        RowMath.multiplyInto(h, wPacked, y, from, to);
    }

    /**
     * Copies W_y, as it is now, into the unit-major copy that the batched backward pass reads. Call before a backward
     * pass, after any change of the weights.
     */
    public void beginBackward() {
        RowMath.transpose(w.value(), 0, inputSize, wT);
        wPacked = null;
        wTPacked = null;
        if (precision == Precision.FLOAT || Kernels.path() == Kernels.Path.VECTOR) {
            if (wPanels == null) {
                wPanels = new PackedMatrix(inputSize, outputSize);
                wTPanels = new PackedMatrix(outputSize, inputSize);
            }
            if (precision == Precision.FLOAT) {
                wPacked = wPanels.packFloats(w.value(), 0);
                wTPacked = wTPanels.packFloats(wT, 0);
            } else {
                wPacked = wPanels.pack(w.value(), 0);
                wTPacked = wTPanels.pack(wT, 0);
            }
        }
    }

    /** Makes sure lanes 1 … {@code lanes − 1} have zeroed private gradient buffers (call before the lanes start). */
    public void prepareLanes(int lanes) {
        while (laneW.size() < lanes - 1) {
            laneW.add(new double[inputSize][outputSize]);
            laneB.add(new double[outputSize]);
        }
    }

    /** Adds the gradients of lanes 1, 2 … to the parameters' own, in lane order, and zeroes them. */
    public void mergeLanes() {
        for (int l = 0; l < laneW.size(); l++) {
            double[][] g = w.grad();
            double[][] lw = laneW.get(l);
            for (int j = 0; j < inputSize; j++) {
                RowMath.add(lw[j], g[j]);
                java.util.Arrays.fill(lw[j], 0.0);
            }
            RowMath.add(laneB.get(l), bias.grad()[0]);
            java.util.Arrays.fill(laneB.get(l), 0.0);
        }
    }

    /**
     * The batched backward pass of sequences [from, to) of one step: accumulates ∂W_y += Σ_s h[s] ⊗ dy[s] and
     * ∂b_y += Σ_s dy[s] into lane {@code lane} (0: the parameters' own gradient), and writes
     * ∂L/∂h[s] = W_yᵀ · dy[s] into {@code dh[s]}. Reads the copy made by {@link #beginBackward()}.
     */
    public void backward(double[][] h, double[][] dy, double[][] dh, int from, int to, int lane) {
        double[] bg = lane == 0 ? bias.grad()[0] : laneB.get(lane - 1);
        for (int s = from; s < to; s++) {
            RowMath.add(dy[s], bg);                                  // ∂b_y += ∂L/∂y
        }
        RowMath.accumulateOuter(h, dy, lane == 0 ? w.grad() : laneW.get(lane - 1), 0, from, to,     // ∂W_y += h ⊗ ∂L/∂y
                precision);
        for (int s = from; s < to; s++) {
            java.util.Arrays.fill(dh[s], 0.0);
        }
        if (wTPacked != null) {
            RowMath.multiplyInto(dy, wTPacked, dh, from, to);       // ∂L/∂h = W_yᵀ · ∂L/∂y
        } else {
            RowMath.multiplyInto(dy, wT, 0, dh, from, to);
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
