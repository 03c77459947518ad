package org.rnnlab.reservoir;

import java.util.Random;
import java.util.concurrent.CancellationException;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.rnnlab.init.Init;
import org.rnnlab.init.SpectralRadius;

/**
 * An echo state network (Jaeger 2001): a large <em>fixed random reservoir</em> of tanh units driven by the
 * input, and a linear <em>readout</em> that is the only thing trained &mdash; by one ridge regression,
 * no backpropagation through time.
 *
 * <p>The reservoir works when it has the <em>echo state property</em>: its state depends on the recent
 * inputs and forgets the initial state, so the state is a rich "echo" of the input history that a linear
 * readout can combine. The knob for that is the <em>spectral radius</em> &rho; of the reservoir matrix W
 * (its largest |eigenvalue|): W is scaled so that &rho; is just below 1 (0.9 by default). Closer to 1
 * gives a longer memory; well above 1 the reservoir tends to run on its own and forget the input. The
 * <em>leak rate</em> a mixes the old state into the new one: a = 1 is a plain tanh update, a smaller a
 * makes the reservoir slower and smoother, for slowly changing signals.
 *
 * <p>Equations, with input u<sub>t</sub> (size X), state x<sub>t</sub> (size N), output y<sub>t</sub> (size Y):
 * <pre>
 *   x_t = (1 − a)·x_{t−1} + a·tanh(W_in·[1; u_t] + W·x_{t−1})      x_0 = 0
 *   y_t = W_out·[1; u_t; x_t]
 * </pre>
 * So the readout sees a constant 1 (its bias), the current input and the current reservoir state;
 * {@link #readout()} is Y&times;(1+X+N) with its columns in that order, and {@link #inputWeights()} is
 * N&times;(1+X) with the input bias in column 0.
 *
 * <p>Typical use, one-step-ahead prediction of a series s: inputs[t] = s[t], targets[t] = s[t+1]:
 * <pre>
 *   EchoStateNetwork esn = EchoStateNetwork.builder(1, 200).spectralRadius(0.9).seed(42).build();
 *   FitResult fit = esn.fit(trainInputs, trainTargets);
 *   double[][] next = esn.predict(testInputs);   // continues right after the training data
 *   double[][] free = esn.generate(500);         // then runs on its own predictions
 * </pre>
 *
 * <p>The network has a current reservoir state. {@link #fit} starts from x = 0 and leaves the state at the
 * end of the training data; {@link #predict} and {@link #generate} continue from the current state and
 * move it on; {@link #reset()} sets it back to 0. {@link #states} does not touch it.
 *
 * <p>Stopping: the loops over time steps check the thread's interrupt flag (a notebook's stop button) at
 * every step. When it is set they throw a {@link CancellationException} saying how far they got, leave the
 * network exactly as it was before the call, and leave the interrupt flag set.
 */
public final class EchoStateNetwork {

    private final int inputSize;
    private final int reservoirSize;
    private final double spectralRadius;
    private final double leakRate;
    private final double ridge;
    private final int washout;
    private final String settings;
    private final DMatrixRMaj reservoir;
    private final SparseRows sparseReservoir;
    private final DMatrixRMaj inputWeights;

    private double[] state;
    private DMatrixRMaj readout;
    private double[] lastOutput;

    private EchoStateNetwork(Builder b) {
        this.inputSize = b.inputSize;
        this.reservoirSize = b.reservoirSize;
        this.spectralRadius = b.spectralRadius;
        this.leakRate = b.leakRate;
        this.ridge = b.ridge;
        this.washout = b.washout;
        this.settings = "spectralRadius " + b.spectralRadius + ", leakRate " + b.leakRate + ", density " + b.density
                + ", inputScale " + b.inputScale + ", ridge " + b.ridge + ", washout " + b.washout + ", seed " + b.seed;
        Random rng = new Random(b.seed);
        this.reservoir = randomSparseReservoir(b, rng);
        this.sparseReservoir = new SparseRows(reservoir);
        this.inputWeights = Init.uniform(b.inputScale).matrix(reservoirSize, 1 + inputSize, rng);
        this.state = new double[reservoirSize];
    }

    private static DMatrixRMaj randomSparseReservoir(Builder b, Random rng) {
        int n = b.reservoirSize;
        DMatrixRMaj w = new DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) {
            if (rng.nextDouble() < b.density) {
                w.data[i] = rng.nextDouble() - 0.5;
            }
        }
        try {
            SpectralRadius.scaleTo(w, b.spectralRadius);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the random reservoir (" + n + " units, density " + b.density
                    + ", seed " + b.seed + ") came out with spectral radius 0, so it cannot be scaled to "
                    + b.spectralRadius + ": raise density or reservoirSize, or try another seed", e);
        }
        return w;
    }

    /**
     * Starts configuring a network for inputs of size {@code inputSize} with {@code reservoirSize} units.
     * Building computes the eigenvalues of the N&times;N reservoir, which is quick for a few hundred units
     * and takes seconds at 1000.
     */
    public static Builder builder(int inputSize, int reservoirSize) {
        return new Builder(inputSize, reservoirSize);
    }

    /**
     * Trains the readout: runs the reservoir over {@code inputs} from a zero state, drops the first
     * {@code washout} states (they still remember the arbitrary start), and solves the ridge regression
     * W_out = argmin ‖Z·W_outᵀ − Y‖² + ridge·‖W_out‖² where row t of Z is [1; u_t; x_t]. All of W_out is
     * penalised, bias included.
     *
     * <p>The regression is solved as the equivalent least-squares problem [Z; √ridge·I]·W_outᵀ ≈ [Y; 0] with
     * a column-pivoted QR decomposition, not through the normal equations (ZᵀZ + ridge·I)⁻¹ZᵀY: reservoir
     * states are strongly correlated, and forming ZᵀZ squares the condition number and loses digits. With
     * ridge = 0 this gives the minimum-norm least-squares solution even when Z has dependent columns.
     *
     * <p>Afterwards the reservoir is left in its state at the last training step, so {@link #predict} can
     * continue with the inputs that follow the training data.
     *
     * @param inputs  T&times;X, one input vector per time step
     * @param targets T&times;Y, the wanted output at each step (for one-step-ahead prediction, the next input)
     * @return the fit on the training steps after the washout
     * @throws CancellationException when the thread is interrupted (the network is then unchanged)
     */
    public FitResult fit(double[][] inputs, double[][] targets) {
        int steps = checkInputs(inputs);
        int outputs = checkTargets(targets, steps);
        if (steps <= washout) {
            throw new IllegalArgumentException("fit needs more steps than the washout: got " + steps
                    + " steps with washout " + washout + " (the first washout states are discarded while the "
                    + "reservoir forgets its zero start); pass a longer series or lower washout(...) in the builder");
        }
        int used = steps - washout;
        int features = 1 + inputSize + reservoirSize;
        DMatrixRMaj design = new DMatrixRMaj(used + features, features);
        DMatrixRMaj wanted = new DMatrixRMaj(used + features, outputs);
        double[] x = new double[reservoirSize];
        drive(inputs, x, "fit", (t, u, xt) -> {
            if (t >= washout) {
                int row = t - washout;
                extendedState(u, xt, design.data, row * features);
                System.arraycopy(targets[t], 0, wanted.data, row * outputs, outputs);
            }
        });
        double sqrtRidge = Math.sqrt(ridge);
        for (int j = 0; j < features; j++) {
            design.set(used + j, j, sqrtRidge);
        }
        DMatrixRMaj trainingStates = CommonOps_DDRM.extract(design, 0, used, 0, features);
        DMatrixRMaj solution = solveLeastSquares(design, wanted);

        DMatrixRMaj fitted = CommonOps_DDRM.mult(trainingStates, solution, null);
        double[][] predicted = new double[used][outputs];
        double[][] expected = new double[used][];
        for (int r = 0; r < used; r++) {
            System.arraycopy(fitted.data, r * outputs, predicted[r], 0, outputs);
            expected[r] = targets[washout + r];
        }
        double[] sums = squaredErrorAndDeviation(predicted, expected);

        readout = CommonOps_DDRM.transpose(solution, null);
        state = x;
        lastOutput = output(inputs[steps - 1], x);
        return new FitResult(used, sums[0] / ((double) used * outputs), nrmseOf(sums));
    }

    private DMatrixRMaj solveLeastSquares(DMatrixRMaj design, DMatrixRMaj wanted) {
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
        if (!solver.setA(design)) {
            throw new IllegalStateException("the ridge regression for the readout could not be solved; "
                    + "raise ridge(...) in the builder");
        }
        DMatrixRMaj solution = new DMatrixRMaj(design.numCols, wanted.numCols);
        solver.solve(wanted, solution);
        for (int i = 0; i < solution.getNumElements(); i++) {
            if (!Double.isFinite(solution.data[i])) {
                throw new IllegalStateException("the ridge regression for the readout gave non-finite weights; "
                        + "raise ridge(...) in the builder");
            }
        }
        return solution;
    }

    /**
     * Runs the trained network on {@code inputs}, continuing from the current reservoir state (right after
     * {@link #fit}: the state at the end of the training data; after {@link #reset()}: zero, in which case
     * the first outputs, about a washout's worth, are unreliable). Leaves the state after the last input.
     *
     * @param inputs T&times;X
     * @return T&times;Y, the output at every step
     * @throws IllegalStateException before {@link #fit}
     * @throws CancellationException when the thread is interrupted (the network is then unchanged)
     */
    public double[][] predict(double[][] inputs) {
        requireFitted("predict");
        int steps = checkInputs(inputs);
        double[] x = state.clone();
        double[][] outputs = new double[steps][];
        drive(inputs, x, "predict", (t, u, xt) -> outputs[t] = output(u, xt));
        state = x;
        lastOutput = outputs[steps - 1].clone();
        return outputs;
    }

    /**
     * Runs free, in closed loop: each output is fed back as the next input, as for free-running prediction
     * of a chaotic series such as Mackey&ndash;Glass. It starts from the current state and the last output the
     * network produced (at the last step of {@link #fit} or {@link #predict}), so the first row returned is
     * the step after that last output. Small errors feed back and grow, so the prediction stays close
     * for a while and then drifts away.
     *
     * @param steps how many steps to generate (&ge; 1)
     * @return steps&times;Y, the generated outputs
     * @throws IllegalStateException before {@link #fit}, right after {@link #reset()}, or when the output size
     *                               differs from the input size (an output cannot then be the next input)
     * @throws CancellationException when the thread is interrupted (the network is then unchanged)
     */
    public double[][] generate(int steps) {
        requireFitted("generate");
        if (readout.numRows != inputSize) {
            throw new IllegalStateException("generate feeds each output back as the next input, so it needs "
                    + "outputSize == inputSize; this network has inputSize " + inputSize
                    + " but was fitted with outputSize " + readout.numRows);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (lastOutput == null) {
            throw new IllegalStateException("generate starts from the network's last output, and there is none "
                    + "since reset(): first drive the reservoir with predict(warmUpInputs) on real data");
        }
        double[] x = state.clone();
        double[] u = lastOutput.clone();
        double[] pre = new double[reservoirSize];
        double[][] outputs = new double[steps][];
        for (int k = 0; k < steps; k++) {
            stopIfInterrupted("generate", k, steps);
            update(x, u, pre);
            outputs[k] = output(u, x);
            u = outputs[k];
        }
        state = x;
        lastOutput = outputs[steps - 1].clone();
        return outputs;
    }

    /**
     * The reservoir states x_1 &hellip; x_T when driven by {@code inputs} from a zero state, one row per step
     * (T&times;N, e.g. for a heatmap). Works before {@link #fit}, and does not change the network's state.
     *
     * @throws CancellationException when the thread is interrupted
     */
    public double[][] states(double[][] inputs) {
        int steps = checkInputs(inputs);
        double[][] states = new double[steps][];
        drive(inputs, new double[reservoirSize], "states", (t, u, xt) -> states[t] = xt.clone());
        return states;
    }

    /** Sets the reservoir state back to zero and forgets the last output; the trained readout is kept. */
    public void reset() {
        state = new double[reservoirSize];
        lastOutput = null;
    }

    /** A copy of the reservoir matrix W (N&times;N), already scaled to the spectral radius. */
    public DMatrixRMaj reservoir() {
        return reservoir.copy();
    }

    /** A copy of the input weights W_in (N&times;(1+X)); column 0 multiplies the constant 1 (the bias). */
    public DMatrixRMaj inputWeights() {
        return inputWeights.copy();
    }

    /**
     * A copy of the trained readout W_out (Y&times;(1+X+N)); its columns multiply [1; u_t; x_t] in that order.
     *
     * @throws IllegalStateException before {@link #fit}
     */
    public DMatrixRMaj readout() {
        requireFitted("readout");
        return readout.copy();
    }

    /** The spectral radius the reservoir was scaled to. */
    public double spectralRadius() {
        return spectralRadius;
    }

    /** Size X of an input vector. */
    public int inputSize() {
        return inputSize;
    }

    /** Number N of reservoir units. */
    public int reservoirSize() {
        return reservoirSize;
    }

    /** True once {@link #fit} has trained the readout. */
    public boolean isFitted() {
        return readout != null;
    }

    /**
     * Normalised root-mean-square error: √(Σ(predicted − target)² / Σ(target − mean of target)²), with the
     * mean taken per output column. 0 is perfect; 1 is no better than always predicting the mean; NaN when
     * the targets are constant.
     */
    public static double nrmse(double[][] predicted, double[][] targets) {
        if (predicted == null || targets == null || predicted.length != targets.length || targets.length == 0) {
            throw new IllegalArgumentException("nrmse needs predicted and targets with the same, non-zero number of "
                    + "rows, got " + (predicted == null ? "null" : predicted.length) + " and "
                    + (targets == null ? "null" : targets.length));
        }
        for (int t = 0; t < targets.length; t++) {
            if (predicted[t] == null || targets[t] == null || predicted[t].length != targets[0].length
                    || targets[t].length != targets[0].length) {
                throw new IllegalArgumentException("nrmse: row " + t + " of predicted and targets must both have "
                        + targets[0].length + " values (as targets[0] does)");
            }
        }
        return nrmseOf(squaredErrorAndDeviation(predicted, targets));
    }

    private static double nrmseOf(double[] errorAndDeviation) {
        return errorAndDeviation[1] == 0 ? Double.NaN : Math.sqrt(errorAndDeviation[0] / errorAndDeviation[1]);
    }

    @Override
    public String toString() {
        return "EchoStateNetwork[" + inputSize + " inputs -> " + reservoirSize + " units -> "
                + (readout == null ? "not fitted" : readout.numRows + " outputs") + "; " + settings + "]";
    }

    @FunctionalInterface
    private interface StepObserver {
        void seen(int t, double[] input, double[] state);
    }

    private void drive(double[][] inputs, double[] x, String what, StepObserver observer) {
        double[] pre = new double[reservoirSize];
        for (int t = 0; t < inputs.length; t++) {
            stopIfInterrupted(what, t, inputs.length);
            update(x, inputs[t], pre);
            observer.seen(t, inputs[t], x);
        }
    }

    private static void stopIfInterrupted(String what, int done, int total) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(what + " stopped after " + done + " of " + total
                    + " steps because the thread was interrupted; the network is unchanged");
        }
    }

    /** x ← (1 − a)·x + a·tanh(W_in·[1; u] + W·x), using {@code pre} as scratch space. */
    private void update(double[] x, double[] u, double[] pre) {
        int cols = inputWeights.numCols;
        double[] win = inputWeights.data;
        for (int i = 0; i < reservoirSize; i++) {
            int row = i * cols;
            double sum = win[row];
            for (int k = 0; k < inputSize; k++) {
                sum += win[row + 1 + k] * u[k];
            }
            pre[i] = sum;
        }
        sparseReservoir.multiplyAdd(x, pre);
        for (int i = 0; i < reservoirSize; i++) {
            x[i] = (1 - leakRate) * x[i] + leakRate * Math.tanh(pre[i]);
        }
    }

    /** W_out·[1; u; x]. */
    private double[] output(double[] u, double[] x) {
        int features = readout.numCols;
        double[] z = new double[features];
        extendedState(u, x, z, 0);
        double[] y = new double[readout.numRows];
        for (int o = 0; o < y.length; o++) {
            double sum = 0;
            for (int j = 0; j < features; j++) {
                sum += readout.data[o * features + j] * z[j];
            }
            y[o] = sum;
        }
        return y;
    }

    /** Writes [1; u; x] into {@code dest} from {@code offset}. */
    private void extendedState(double[] u, double[] x, double[] dest, int offset) {
        dest[offset] = 1;
        System.arraycopy(u, 0, dest, offset + 1, inputSize);
        System.arraycopy(x, 0, dest, offset + 1 + inputSize, reservoirSize);
    }

    /** {Σ(p − t)², Σ(t − mean t)²} over all rows and columns, the mean taken per column. */
    private static double[] squaredErrorAndDeviation(double[][] predicted, double[][] targets) {
        int width = targets[0].length;
        double[] mean = new double[width];
        for (double[] row : targets) {
            for (int k = 0; k < width; k++) {
                mean[k] += row[k] / targets.length;
            }
        }
        double error = 0;
        double deviation = 0;
        for (int t = 0; t < targets.length; t++) {
            for (int k = 0; k < width; k++) {
                double e = predicted[t][k] - targets[t][k];
                double d = targets[t][k] - mean[k];
                error += e * e;
                deviation += d * d;
            }
        }
        return new double[] {error, deviation};
    }

    private void requireFitted(String what) {
        if (readout == null) {
            throw new IllegalStateException(what + " needs a trained readout: call fit(inputs, targets) first");
        }
    }

    private int checkInputs(double[][] inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("inputs has no time steps: pass a T x " + inputSize
                    + " array, one input vector per step");
        }
        checkRows("inputs", inputs, inputSize, "this network was built with inputSize " + inputSize);
        return inputs.length;
    }

    private static int checkTargets(double[][] targets, int steps) {
        if (targets == null || targets.length != steps) {
            throw new IllegalArgumentException("targets must have one row per input row: expected " + steps
                    + " rows, got " + (targets == null ? "null" : targets.length)
                    + " (for one-step-ahead prediction, targets[t] is the input at t + 1)");
        }
        int width = targets[0] == null ? 0 : targets[0].length;
        if (width == 0) {
            throw new IllegalArgumentException("targets[0] is empty: each target row needs at least one value");
        }
        checkRows("targets", targets, width, "targets[0] has " + width);
        return width;
    }

    private static void checkRows(String name, double[][] rows, int width, String why) {
        for (int t = 0; t < rows.length; t++) {
            double[] row = rows[t];
            if (row == null || row.length != width) {
                throw new IllegalArgumentException(name + "[" + t + "]" + (row == null ? " is null" : " has "
                        + row.length + " values") + " but " + width + " are expected (" + why + ")");
            }
            for (int k = 0; k < width; k++) {
                if (!Double.isFinite(row[k])) {
                    throw new IllegalArgumentException(name + "[" + t + "][" + k + "] is " + row[k] + ": " + name
                            + " must be finite numbers (check the data for NaN or Inf)");
                }
            }
        }
    }

    /** Settings of an {@link EchoStateNetwork}; every setter checks its value at once. */
    public static final class Builder {
        private final int inputSize;
        private final int reservoirSize;
        private double spectralRadius = 0.9;
        private double leakRate = 1.0;
        private double density = 0.1;
        private double inputScale = 1.0;
        private double ridge = 1e-6;
        private int washout = 100;
        private long seed = 42;

        private Builder(int inputSize, int reservoirSize) {
            if (inputSize < 1) {
                throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
            }
            if (reservoirSize < 1) {
                throw new IllegalArgumentException("reservoirSize must be >= 1 (typically 100 to 1000), got "
                        + reservoirSize);
            }
            this.inputSize = inputSize;
            this.reservoirSize = reservoirSize;
        }

        /** Largest |eigenvalue| of the reservoir matrix W (default 0.9); just below 1 for a long fading memory. */
        public Builder spectralRadius(double rho) {
            if (!Double.isFinite(rho) || rho < 0) {
                throw new IllegalArgumentException("spectralRadius must be a finite number >= 0 (usually just below "
                        + "1, e.g. 0.9), got " + rho);
            }
            this.spectralRadius = rho;
            return this;
        }

        /** Leak rate a in (0, 1] (default 1 = no leaking); smaller gives slower, smoother reservoir dynamics. */
        public Builder leakRate(double a) {
            if (!(a > 0 && a <= 1)) {
                throw new IllegalArgumentException("leakRate must be in (0, 1] (1 = plain tanh update, smaller = "
                        + "slower dynamics), got " + a);
            }
            this.leakRate = a;
            return this;
        }

        /**
         * Fraction of reservoir weights that are non-zero, in (0, 1] (default 0.1). Each non-zero weight is
         * drawn uniformly from [&minus;0.5, 0.5] before W is scaled to the spectral radius.
         */
        public Builder density(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("density must be in (0, 1] (the fraction of non-zero reservoir "
                        + "weights), got " + fraction);
            }
            this.density = fraction;
            return this;
        }

        /** Input weights W_in (bias column included) are uniform in [&minus;scale, scale] (default 1). */
        public Builder inputScale(double scale) {
            if (!Double.isFinite(scale) || scale < 0) {
                throw new IllegalArgumentException("inputScale must be a finite number >= 0, got " + scale);
            }
            this.inputScale = scale;
            return this;
        }

        /**
         * Tikhonov (ridge) regularisation &lambda; of the readout regression (default 1e-6): larger gives
         * smaller readout weights, less overfitting and more stable closed-loop generation; 0 = plain least squares.
         */
        public Builder ridge(double lambda) {
            if (!Double.isFinite(lambda) || lambda < 0) {
                throw new IllegalArgumentException("ridge must be a finite number >= 0 (0 = plain least squares, "
                        + "typically 1e-8 to 1e-2), got " + lambda);
            }
            this.ridge = lambda;
            return this;
        }

        /** Number of initial states {@link #fit} discards while the reservoir forgets its zero start (default 100). */
        public Builder washout(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("washout must be >= 0 steps, got " + steps);
            }
            this.washout = steps;
            return this;
        }

        /** Seed of the random reservoir and input weights (default 42): the same seed gives the same network. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Draws the random weights and returns the network (its readout is trained by {@link #fit}). */
        public EchoStateNetwork build() {
            return new EchoStateNetwork(this);
        }
    }
}
