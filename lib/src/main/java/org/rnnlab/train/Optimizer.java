package org.rnnlab.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rnnlab.param.Parameter;

/**
 * A rule that turns gradients into a parameter update. Implementations keep their per-parameter state (velocity,
 * running averages) themselves, allocated on first use.
 */
public interface Optimizer {

    /** Applies one update to every parameter from its current gradient. */
    void update(List<Parameter> parameters);

    /** A short description, e.g. "Adam(lr=0.01)". */
    String toString();

    /** Plain gradient descent: θ ← θ − lr·g. */
    static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate, 0.0);
    }

    /** Gradient descent with momentum: v ← μv − lr·g, θ ← θ + v. */
    static Optimizer momentum(double learningRate, double mu) {
        return new Sgd(learningRate, mu);
    }

    /** Adagrad: each weight's step shrinks with the sum of its squared gradients. */
    static Optimizer adagrad(double learningRate) {
        return new Adaptive(Adaptive.Rule.ADAGRAD, learningRate, 0, 0, 1e-8);
    }

    /** RMSProp: steps divided by a running RMS of the gradient (decay 0.9). */
    static Optimizer rmsProp(double learningRate) {
        return new Adaptive(Adaptive.Rule.RMSPROP, learningRate, 0.9, 0, 1e-8);
    }

    /** Adam (Kingma &amp; Ba): momentum plus RMS scaling, bias-corrected (β1 0.9, β2 0.999). */
    static Optimizer adam(double learningRate) {
        return new Adaptive(Adaptive.Rule.ADAM, learningRate, 0.9, 0.999, 1e-8);
    }

    /** Checks a learning rate: positive and finite. */
    private static double checkRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got " + lr);
        }
        return lr;
    }

    /** SGD with optional momentum. */
    final class Sgd implements Optimizer {
        private final double lr;
        private final double mu;
        private final Map<Parameter, double[][]> velocity = new IdentityHashMap<>();

        Sgd(double lr, double mu) {
            this.lr = checkRate(lr);
            if (!(mu >= 0 && mu < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
            }
            this.mu = mu;
        }

        @Override
        public void update(List<Parameter> parameters) {
            for (Parameter p : parameters) {
                double[][] w = p.value();
                double[][] g = p.grad();
                if (mu == 0) {
                    for (int r = 0; r < w.length; r++) {
                        org.rnnlab.hotloop.RowMath.axpy(-lr, g[r], w[r]);
                    }
                    continue;
                }
                double[][] v = velocity.computeIfAbsent(p, k -> new double[k.rows()][k.cols()]);
                for (int r = 0; r < w.length; r++) {
                    double[] wr = w[r];
                    double[] gr = g[r];
                    double[] vr = v[r];
                    for (int c = 0; c < wr.length; c++) {
                        vr[c] = mu * vr[c] - lr * gr[c];
                        wr[c] += vr[c];
                    }
                }
            }
        }

        @Override
        public String toString() {
            return mu == 0 ? "SGD(lr=" + lr + ")" : "Momentum(lr=" + lr + ", mu=" + mu + ")";
        }
    }

    /** Adagrad, RMSProp and Adam: per-weight step sizes from running gradient statistics. */
    final class Adaptive implements Optimizer {
        enum Rule { ADAGRAD, RMSPROP, ADAM }

        private final Rule rule;
        private final double lr;
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final Map<Parameter, double[][]> first = new IdentityHashMap<>();
        private final Map<Parameter, double[][]> second = new IdentityHashMap<>();
        private long steps;

        Adaptive(Rule rule, double lr, double beta1, double beta2, double eps) {
            this.rule = rule;
            this.lr = checkRate(lr);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }

        @Override
        public void update(List<Parameter> parameters) {
            steps++;
            double c1 = 1 - Math.pow(beta1, steps);
            double c2 = 1 - Math.pow(beta2, steps);
            double step = lr / c1;                                   // Adam: lr · m̂ with m̂ = m / c1
            double perC2 = 1 / c2;                                   //       v̂ = v / c2
            for (Parameter p : parameters) {
                double[][] w = p.value();
                double[][] g = p.grad();
                double[][] s = second.computeIfAbsent(p, k -> new double[k.rows()][k.cols()]);
                double[][] m = rule == Rule.ADAM ? first.computeIfAbsent(p, k -> new double[k.rows()][k.cols()]) : null;
                for (int r = 0; r < w.length; r++) {
                    double[] wr = w[r];
                    double[] gr = g[r];
                    double[] sr = s[r];
                    switch (rule) {
                        case ADAGRAD -> {
                            for (int c = 0; c < wr.length; c++) {
                                sr[c] += gr[c] * gr[c];
                                wr[c] -= lr * gr[c] / (Math.sqrt(sr[c]) + eps);
                            }
                        }
                        case RMSPROP -> {
                            for (int c = 0; c < wr.length; c++) {
                                sr[c] = beta1 * sr[c] + (1 - beta1) * gr[c] * gr[c];
                                wr[c] -= lr * gr[c] / (Math.sqrt(sr[c]) + eps);
                            }
                        }
                        case ADAM -> {
                            double[] mr = m[r];
                            for (int c = 0; c < wr.length; c++) {
                                mr[c] = beta1 * mr[c] + (1 - beta1) * gr[c];
                                sr[c] = beta2 * sr[c] + (1 - beta2) * gr[c] * gr[c];
                                wr[c] -= step * mr[c] / (Math.sqrt(sr[c] * perC2) + eps);
                            }
                        }
                        default -> throw new IllegalStateException(rule.toString());
                    }
                }
            }
        }

        @Override
        public String toString() {
            return switch (rule) {
                case ADAGRAD -> "Adagrad(lr=" + lr + ")";
                case RMSPROP -> "RMSProp(lr=" + lr + ", decay=" + beta1 + ")";
                case ADAM -> "Adam(lr=" + lr + ")";
            };
        }
    }
}
