package org.rnnlab.train;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.rnnlab.data.Batch;
import org.rnnlab.data.Task;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;

/**
 * Trains a {@link SequenceModel} with backpropagation through time (BPTT).
 *
 * <p>Full BPTT runs the whole sequence forward, then carries the gradient back through every step. Truncated
 * BPTT ({@link #truncate(int, int)}, Williams &amp; Peng's BPTT(k2; k1)) updates every k1 steps, carrying the
 * gradient of those k1 steps' losses back at most k2 steps; the state carried into the window is held fixed.
 * Each update is one entry in the returned {@link History}.
 *
 * <pre>
 *   History h = new Trainer(model).optimizer(Optimizer.adam(0.01)).clipNorm(1.0).batchSize(32).seed(1).fit(task, 300);
 * </pre>
 *
 * Training checks for an interrupt (a notebook's stop button) before every update and stops cleanly with the
 * history so far, leaving the thread's interrupt flag set. A loss or gradient that stops being a finite number
 * throws {@link TrainingDivergedException} naming the update and what to try, or, after
 * {@link #stopOnDivergence()}, ends training with the history so far (for a lesson that wants to plot the blow-up).
 */
public final class Trainer {
    private final SequenceModel model;
    private final Bptt bptt;
    private Optimizer optimizer = Optimizer.adam(0.01);
    private double clipNorm = Double.NaN;
    private double clipValue = Double.NaN;
    private int k1;
    private int k2;
    private double l2;
    private VanishingGradientPenalty vanishingPenalty;
    private boolean carryState;
    private boolean quietDivergence;
    private Consumer<History.Step> onStep = s -> { };
    private Consumer<History> onEpoch = h -> { };
    private int lastBatchSize = -1;
    private int batchSize = 32;
    private long seed = 1;
    private int epochs = 1;

    public Trainer(SequenceModel model) {
        this.model = model;
        this.bptt = Bptt.of(model);
    }

    /**
     * Computes each batch on {@code n} threads (default 1; sets {@link SequenceModel#threads(int)} on the model).
     * The batch's sequences are split between the threads in a fixed way and their gradients added in a fixed
     * order, so training is bit-identical from run to run with the same n; results with n = 2 differ from those with
     * n = 1 in the last bits only. Worth it for batches of several sequences; one sequence always runs on one thread.
     */
    public Trainer threads(int n) {
        model.threads(n);
        return this;
    }

    /**
     * The precision of the batched products (sets {@link SequenceModel#precision(Precision)} on the model):
     * {@link Precision#FLOAT} trains faster in float32 products, and needs the JVM option
     * {@code --add-modules jdk.incubator.vector}.
     */
    public Trainer precision(Precision p) {
        model.precision(p);
        return this;
    }

    /** The update rule (default Adam, learning rate 0.01). */
    public Trainer optimizer(Optimizer optimizer) {
        this.optimizer = optimizer;
        return this;
    }

    /** Clip the gradient by its global norm: ‖g‖ &gt; maxNorm is scaled down to maxNorm (direction kept). */
    public Trainer clipNorm(double maxNorm) {
        requirePositive("clipNorm", maxNorm);
        this.clipNorm = maxNorm;
        this.clipValue = Double.NaN;
        return this;
    }

    /** Clip every gradient component to [−maxValue, maxValue] (direction changes). */
    public Trainer clipValue(double maxValue) {
        requirePositive("clipValue", maxValue);
        this.clipValue = maxValue;
        this.clipNorm = Double.NaN;
        return this;
    }

    /**
     * Truncated BPTT: update every {@code k1} steps, backpropagating the losses of those k1 steps through the last
     * {@code k2} steps (k2 ≥ k1). {@code truncate(k, k)} cuts the sequence into independent-gradient chunks of k
     * steps whose state still flows forward.
     */
    public Trainer truncate(int k1, int k2) {
        if (k1 < 1 || k2 < k1) {
            throw new IllegalArgumentException("truncated BPTT needs 1 <= k1 <= k2 (update every k1 steps, look back k2);"
                    + " got k1 = " + k1 + ", k2 = " + k2);
        }
        this.k1 = k1;
        this.k2 = k2;
        return this;
    }

    /** Truncated BPTT with k1 = k2 = k. */
    public Trainer truncate(int k) {
        return truncate(k, k);
    }

    /** Adds (λ/2)·Σw² over all weights (not biases) to the loss: weight decay. */
    public Trainer l2(double lambda) {
        requireNonNegative("l2", lambda);
        this.l2 = lambda;
        return this;
    }

    /**
     * Adds λ·Ω, Pascanu, Mikolov &amp; Bengio's (2013) regulariser, averaged over steps and sequences: it rewards
     * gradients that keep their size as they travel back one step (see {@link VanishingGradientPenalty}).
     * Defined for vanilla RNN layers.
     */
    public Trainer vanishingGradientPenalty(double lambda) {
        requireNonNegative("vanishingGradientPenalty", lambda);
        if (lambda > 0) {
            VanishingGradientPenalty.requireVanillaLayers(model);
        }
        this.vanishingPenalty = lambda > 0 ? new VanishingGradientPenalty(lambda) : null;
        return this;
    }

    /**
     * Carry the hidden state from the end of one batch into the next, for a long stream cut into consecutive
     * batches (e.g. a text read in order); otherwise every batch starts from zero. Evaluating the model
     * ({@code loss}, {@code predict}) between batches starts it from zero again.
     */
    public Trainer carryState(boolean carry) {
        this.carryState = carry;
        return this;
    }

    /** On a non-finite loss or gradient, end training quietly with the history so far instead of throwing. */
    public Trainer stopOnDivergence() {
        this.quietDivergence = true;
        return this;
    }

    /** Called after every update (e.g. to show progress in a notebook). */
    public Trainer onStep(Consumer<History.Step> callback) {
        this.onStep = callback;
        return this;
    }

    /** Called after every pass over the data with the history so far. */
    public Trainer onEpoch(Consumer<History> callback) {
        this.onEpoch = callback;
        return this;
    }

    /** How many sequences each batch drawn from a task holds (default 32), for {@link #fit(Task, int)}. */
    public Trainer batchSize(int sequences) {
        if (sequences < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1 sequence, got " + sequences);
        }
        this.batchSize = sequences;
        return this;
    }

    /**
     * The seed of the batches drawn from a task (default 1), for {@link #fit(Task, int)}: the same seed draws the
     * same data. (The model's weights have their own seed, set when it is built.)
     */
    public Trainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** How many passes {@link #fit(List)} makes over its batches (default 1). */
    public Trainer epochs(int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + passes);
        }
        this.epochs = passes;
        return this;
    }

    /**
     * Trains on {@code batches} fresh batches drawn from the task, each of {@link #batchSize(int)} sequences, drawn
     * with {@link #seed(long)}. Every batch gives one update (several with {@link #truncate(int, int)}).
     */
    public History fit(Task task, int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("fit needs at least one batch to train on, got " + batches);
        }
        Random rng = new Random(seed);
        History history = new History();
        for (int i = 0; i < batches; i++) {
            if (!train(task.batch(batchSize, rng), history, 0)) {
                break;
            }
        }
        onEpoch.accept(history);
        return history;
    }

    /** Trains {@link #epochs(int)} passes over the given batches, in order. */
    public History fit(List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("fit needs at least one batch to train on; the list is empty");
        }
        History history = new History();
        for (int e = 0; e < epochs; e++) {
            if (carryState) {
                bptt.resetState();
            }
            for (Batch b : batches) {
                if (!train(b, history, e)) {
                    return history;
                }
            }
            onEpoch.accept(history);
        }
        return history;
    }

    /** One batch: all its windows, one update each. Returns false when training must stop. */
    public boolean train(Batch b, History history, int epoch) {
        bptt.prepare(b);
        int steps = b.length();
        boolean shapeChanged = b.size() != lastBatchSize;
        lastBatchSize = b.size();
        if (!carryState || shapeChanged) {
            bptt.resetState();
        }
        int stride = k1 > 0 ? Math.min(k1, steps) : steps;
        int reach = k2 > 0 ? k2 : stride;
        List<Parameter> params = model.parameters();
        int done = 0;
        while (done < steps) {
            if (Thread.currentThread().isInterrupted()) {
                history.stop("interrupted after " + history.size() + " updates", true);
                return false;
            }
            int end = Math.min(done + stride, steps);
            int from = Math.min(done, Math.max(0, end - reach));
            if (!update(b, from, done, end, params, history, epoch)) {
                return false;
            }
            done = end;
        }
        if (carryState) {
            bptt.carryState(steps - 1);
        }
        return true;
    }

    /** One window: forward [from, end), loss over [lossFrom, end), backward, penalties, clip, update. */
    private boolean update(Batch b, int from, int lossFrom, int end, List<Parameter> params, History history,
                           int epoch) {
        model.zeroGrad();
        bptt.forward(b, from, end);
        if (Bptt.countTargets(b, lossFrom, end) == 0) {
            return true;
        }
        double loss = bptt.lossAndReadoutGradient(b, from, lossFrom, end);
        bptt.backward(b, from, end);
        double penalty = 0;
        if (vanishingPenalty != null) {
            penalty += vanishingPenalty.addGradient(model, b, from, end);
        }
        if (l2 > 0) {
            penalty += addL2(params);
        }
        double norm;
        if (!Double.isNaN(clipNorm)) {
            norm = Clipping.byNorm(params, clipNorm);
        } else if (!Double.isNaN(clipValue)) {
            norm = Clipping.byValue(params, clipValue);
        } else {
            norm = Clipping.globalNorm(params);
        }
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            String what = !Double.isFinite(loss) ? "the loss became " + loss : "the gradient norm became " + norm;
            String message = "training diverged at update " + history.size() + " (epoch " + epoch + ", steps "
                    + from + ".." + (end - 1) + "): " + what + ". Try gradient clipping (e.g. .clipNorm(1.0)), a"
                    + " smaller learning rate than " + optimizer + ", or smaller initial weights.";
            if (quietDivergence) {
                history.stop(message, false);
                return false;
            }
            throw new TrainingDivergedException(message, history);
        }
        double applied = Double.isNaN(clipNorm) && Double.isNaN(clipValue) ? norm : Clipping.globalNorm(params);
        optimizer.update(params);
        History.Step step = new History.Step(history.size(), epoch, loss, penalty, norm, applied);
        history.add(step);
        onStep.accept(step);
        return true;
    }

    private double addL2(List<Parameter> params) {
        double sum = 0;
        for (Parameter p : params) {
            if (!p.decays()) {
                continue;
            }
            double[][] w = p.value();
            double[][] g = p.grad();
            for (int r = 0; r < w.length; r++) {
                for (int c = 0; c < w[r].length; c++) {
                    sum += w[r][c] * w[r][c];
                    g[r][c] += l2 * w[r][c];
                }
            }
        }
        return 0.5 * l2 * sum;
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + v);
        }
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be zero or a positive number, got " + v);
        }
    }
}
