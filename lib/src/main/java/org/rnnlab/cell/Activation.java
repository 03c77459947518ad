package org.rnnlab.cell;

import org.rnnlab.hotloop.RowMath;

/** The squashing function of a vanilla RNN cell. */
public enum Activation {
    /** tanh: output in (−1, 1), derivative 1 − h². */
    TANH {
        @Override
        public double apply(double z) {
            return RowMath.tanh(z);
        }

        @Override
        public double derivativeFromOutput(double h) {
            return 1.0 - h * h;
        }
    },
    /** ReLU: max(0, z), derivative 1 where the unit is on. */
    RELU {
        @Override
        public double apply(double z) {
            return z > 0 ? z : 0.0;
        }

        @Override
        public double derivativeFromOutput(double h) {
            return h > 0 ? 1.0 : 0.0;
        }
    };

    /** The activation of a pre-activation z. */
    public abstract double apply(double z);

    /** The derivative, written in terms of the output h = apply(z) (which the cell keeps). */
    public abstract double derivativeFromOutput(double h);
}
