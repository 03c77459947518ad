package org.rnnlab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What happened during training, one {@link Step} per parameter update: the loss, the penalty, and the
 * global gradient norm before and after clipping. A lesson plots it (see {@code org.rnnlab.plot.Plots})
 * to show loss spikes, divergence or the effect of clipping.
 */
public final class History {

    /**
     * One parameter update.
     *
     * @param step          0-based update index
     * @param epoch         0-based pass over the data this update belongs to
     * @param loss          the data loss (mean over the targets of the batch or window), before the update
     * @param penalty       the penalty added to the loss (0 when there is none)
     * @param gradNorm      global L2 norm of the gradient before clipping
     * @param clippedNorm   global L2 norm of the gradient actually applied (equals gradNorm when nothing was clipped)
     */
    public record Step(int step, int epoch, double loss, double penalty, double gradNorm, double clippedNorm) {
        /** True when clipping changed the gradient at this update. */
        public boolean clipped() {
            return clippedNorm != gradNorm;
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private boolean interrupted;
    private String stoppedBecause;

    /** Records one update (used by the trainer). */
    public void add(Step s) {
        steps.add(s);
    }

    /** All updates, oldest first (read-only). */
    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** Number of updates recorded. */
    public int size() {
        return steps.size();
    }

    /** The loss at every update. */
    public double[] losses() {
        return steps.stream().mapToDouble(Step::loss).toArray();
    }

    /** The gradient norm before clipping at every update. */
    public double[] gradNorms() {
        return steps.stream().mapToDouble(Step::gradNorm).toArray();
    }

    /** The gradient norm after clipping at every update. */
    public double[] clippedNorms() {
        return steps.stream().mapToDouble(Step::clippedNorm).toArray();
    }

    /** The last recorded loss, or NaN when nothing was recorded. */
    public double lastLoss() {
        return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    }

    /** The mean loss of the last {@code n} updates (fewer if there are fewer), a smoother "final loss". */
    public double meanLossOfLast(int n) {
        if (steps.isEmpty()) {
            return Double.NaN;
        }
        int from = Math.max(0, steps.size() - n);
        double sum = 0;
        for (int i = from; i < steps.size(); i++) {
            sum += steps.get(i).loss();
        }
        return sum / (steps.size() - from);
    }

    /** True when training stopped early because the thread was interrupted (the notebook's stop button). */
    public boolean interrupted() {
        return interrupted;
    }

    /** Why training stopped before its planned end, or null when it ran to the end. */
    public String stoppedBecause() {
        return stoppedBecause;
    }

    /** Marks the history as cut short (used by the trainer). */
    public void stop(String reason, boolean byInterrupt) {
        this.stoppedBecause = reason;
        this.interrupted = byInterrupt;
    }

    @Override
    public String toString() {
        return "History[" + steps.size() + " updates, last loss " + String.format("%.4f", lastLoss())
                + (stoppedBecause == null ? "" : ", stopped: " + stoppedBecause) + "]";
    }
}
