package org.rnnlab.diagnostics;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.rnnlab.data.Batch;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;

/**
 * The numerical gradient check: backpropagation gives ∂L/∂θ analytically; nudging each θ_j and watching the
 * loss gives it again, independent of any backward code. The two must agree: a wrong sign, a missing term or an
 * off-by-one in time shows up as a large relative error.
 *
 * <p>The numerical derivative is the five-point central difference
 * (−L(θ+2ε) + 8L(θ+ε) − 8L(θ−ε) + L(θ−2ε)) / 12ε, whose error shrinks like ε⁴ (the familiar two-point one,
 * like ε²). In float64 with ε = 1e−3 that leaves about 1e−13 of noise, so even entries of 1e−6 are checked to a
 * relative error well under 1e−6.
 *
 * <p>Relative error = |analytic − numeric| / max(|analytic|, |numeric|, floor). The floor (1e−6) keeps entries that
 * are both essentially zero from dividing noise by noise.
 */
public final class GradientCheck {
    /** The default step ε. */
    public static final double EPSILON = 1e-3;
    /** The default floor of the denominator. */
    public static final double FLOOR = 1e-6;

    private GradientCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param maxRelativeError the worst relative error over every checked entry
     * @param worst            where it was: parameter name and storage index
     * @param analytic         the analytic value there
     * @param numeric          the numerical value there
     * @param checked          how many entries were compared
     */
    public record Result(double maxRelativeError, String worst, double analytic, double numeric, int checked) {
        /** True when the worst relative error is below {@code tolerance}. */
        public boolean passed(double tolerance) {
            return maxRelativeError < tolerance;
        }

        @Override
        public String toString() {
            return String.format("max relative error %.2e over %d entries (worst %s: analytic %.6e, numeric %.6e)",
                    maxRelativeError, checked, worst, analytic, numeric);
        }
    }

    /** Checks the full-BPTT gradient of the model's loss on the batch (starting from a zero state). */
    public static Result of(SequenceModel model, Batch batch) {
        DoubleSupplier loss = () -> model.loss(batch);
        return compare(model.parameters(), loss, () -> model.backpropagate(batch), EPSILON, FLOOR);
    }

    /**
     * Compares the gradient that {@code gradient} leaves in the parameters' {@code grad()} with five-point central
     * differences of {@code objective}, for every entry of every parameter.
     */
    public static Result compare(List<Parameter> parameters, DoubleSupplier objective, Runnable gradient,
                                 double epsilon, double floor) {
        gradient.run();
        double[][][] analytic = new double[parameters.size()][][];
        for (int i = 0; i < parameters.size(); i++) {
            double[][] g = parameters.get(i).grad();
            analytic[i] = new double[g.length][];
            for (int r = 0; r < g.length; r++) {
                analytic[i][r] = g[r].clone();
            }
        }
        double worstError = 0;
        String worst = "none";
        double worstA = 0;
        double worstN = 0;
        int checked = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            double[][] w = p.value();
            for (int r = 0; r < w.length; r++) {
                for (int c = 0; c < w[r].length; c++) {
                    double keep = w[r][c];
                    w[r][c] = keep + 2 * epsilon;
                    double up2 = objective.getAsDouble();
                    w[r][c] = keep + epsilon;
                    double up = objective.getAsDouble();
                    w[r][c] = keep - epsilon;
                    double down = objective.getAsDouble();
                    w[r][c] = keep - 2 * epsilon;
                    double down2 = objective.getAsDouble();
                    w[r][c] = keep;
                    double numeric = (-up2 + 8 * up - 8 * down + down2) / (12 * epsilon);
                    double a = analytic[i][r][c];
                    double error = Math.abs(a - numeric) / Math.max(floor, Math.max(Math.abs(a), Math.abs(numeric)));
                    checked++;
                    if (!(error <= worstError)) {
                        worstError = error;
                        worst = p.name() + "#" + i + "[" + r + "][" + c + "]";
                        worstA = a;
                        worstN = numeric;
                    }
                }
            }
        }
        return new Result(worstError, worst, worstA, worstN, checked);
    }
}
