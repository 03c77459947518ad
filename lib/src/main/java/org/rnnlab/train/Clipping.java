package org.rnnlab.train;

import java.util.List;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.RowMath;

/**
 * Gradient clipping, the simplest remedy for exploding gradients (Pascanu et al. 2013).
 * <ul>
 *   <li>By global norm: when ‖g‖ (over all parameters together) exceeds a threshold, scale g down to it. The
 *   direction of the step is kept; only its length is capped.</li>
 *   <li>By value: clamp each component to [−c, c]. Cheap, but it changes the direction of the step.</li>
 * </ul>
 */
public final class Clipping {
    private Clipping() {
    }

    /**
     * The L2 norm of all gradients taken together ({@link RowMath#sumOfSquares(double[][])} per block, blocks in
     * the fixed order of the list).
     */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) {
            sum += RowMath.sumOfSquares(p.grad());
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by maxNorm / ‖g‖ when ‖g‖ &gt; maxNorm.
     *
     * @return the norm before clipping
     */
    public static double byNorm(List<Parameter> parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (Parameter p : parameters) {
                for (double[] row : p.grad()) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] *= scale;
                    }
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient component to [−maxValue, maxValue].
     *
     * @return the norm before clipping
     */
    public static double byValue(List<Parameter> parameters, double maxValue) {
        double norm = globalNorm(parameters);
        for (Parameter p : parameters) {
            for (double[] row : p.grad()) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = Math.max(-maxValue, Math.min(maxValue, row[i]));
                }
            }
        }
        return norm;
    }
}
