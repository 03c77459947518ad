package org.rnnlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.data.Batch;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.train.Clipping;

/**
 * The gradient of a model's loss as a value you can keep, copy and compare: a snapshot taken without training.
 *
 * <p>Training never shows the gradient itself, only the step it causes. To look at it &mdash; how long it is at a
 * point of the loss surface, or how much clipping turns it &mdash; take a snapshot with {@link #of}, work on a
 * {@link #copy} (for example with {@link org.rnnlab.train.Clipping#byValue}) and measure the {@link #angle} between
 * the two:
 *
 * <pre>
 *   List&lt;Parameter&gt; g = Gradients.of(model, batch);       // ∂L/∂θ by full BPTT, model untouched
 *   List&lt;Parameter&gt; v = Gradients.copy(g);
 *   Clipping.byValue(v, 0.01);                             // clamp every component to ±0.01
 *   double degrees = Gradients.angle(g, v);                // how far clipping turned the step
 * </pre>
 *
 * A snapshot is a list of fresh {@link Parameter}s in the order of {@link SequenceModel#parameters()}: each holds a
 * copy of the model's weights in {@code value()} and the gradient in {@code grad()}. Changing it never changes the
 * model.
 */
public final class Gradients {
    private Gradients() {
    }

    /**
     * The full-BPTT gradient of the model's loss on the batch (from a zero state, averaged over the batch's targets,
     * no penalties, no clipping), as a snapshot. The model's weights are unchanged and its gradients are left at zero.
     * A gradient that overflows shows as infinite or NaN components; nothing is thrown.
     */
    public static List<Parameter> of(SequenceModel model, Batch batch) {
        model.backpropagate(batch);
        List<Parameter> snapshot = copy(model.parameters());
        model.zeroGrad();
        return snapshot;
    }

    /** A deep copy of parameters (values and gradients): clip or scale the copy, keep the original. */
    public static List<Parameter> copy(List<Parameter> parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters is null: pass a snapshot from Gradients.of(model, batch)");
        }
        List<Parameter> out = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            Parameter c = new Parameter(p.name(), p.rows(), p.cols(), p.decays());
            for (int r = 0; r < p.rows(); r++) {
                System.arraycopy(p.value()[r], 0, c.value()[r], 0, p.cols());
                System.arraycopy(p.grad()[r], 0, c.grad()[r], 0, p.cols());
            }
            out.add(c);
        }
        return out;
    }

    /** The global L2 norm of the gradients, all parameters taken together (as clipping by norm measures it). */
    public static double norm(List<Parameter> parameters) {
        requireNonEmpty(parameters, "norm");
        return Clipping.globalNorm(parameters);
    }

    /**
     * The angle in degrees between two gradients seen as one long vector each: 0 when they point the same way
     * (clipping by norm always gives 0), 90 when they are orthogonal, 180 when opposite.
     *
     * @throws IllegalArgumentException when the two do not have the same parameters and shapes, or when either
     *                                  gradient is zero or not finite (it then has no direction)
     */
    public static double angle(List<Parameter> a, List<Parameter> b) {
        requireNonEmpty(a, "angle");
        requireNonEmpty(b, "angle");
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("angle needs two gradients of the same model: got " + a.size()
                    + " and " + b.size() + " parameter blocks");
        }
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.size(); i++) {
            Parameter p = a.get(i);
            Parameter q = b.get(i);
            if (p.rows() != q.rows() || p.cols() != q.cols()) {
                throw new IllegalArgumentException("angle: parameter block " + i + " (" + p.name() + ") is "
                        + p.rows() + "x" + p.cols() + " in the first gradient but " + q.rows() + "x" + q.cols()
                        + " in the second");
            }
            for (int r = 0; r < p.rows(); r++) {
                double[] x = p.grad()[r];
                double[] y = q.grad()[r];
                dot += RowMath.dot(x, y);
                aa += RowMath.dot(x, x);
                bb += RowMath.dot(y, y);
            }
        }
        if (!(aa > 0) || !(bb > 0) || !Double.isFinite(aa) || !Double.isFinite(bb) || !Double.isFinite(dot)) {
            throw new IllegalArgumentException("angle needs two non-zero, finite gradients (a zero or overflowed "
                    + "gradient has no direction); squared norms were " + aa + " and " + bb);
        }
        double cos = dot / (Math.sqrt(aa) * Math.sqrt(bb));
        return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, cos))));
    }

    private static void requireNonEmpty(List<Parameter> parameters, String what) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException(what + " needs a gradient: pass a snapshot from Gradients.of(model, "
                    + "batch)");
        }
    }
}
