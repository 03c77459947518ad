package org.rnnlab.cell;

/**
 * The three ways the gated recurrent unit is written down. They share the gates
 * <pre>
 *   z_t = σ(W_xz x_t + W_hz h_{t−1} + b_z)      update gate
 *   r_t = σ(W_xr x_t + W_hr h_{t−1} + b_r)      reset gate
 * </pre>
 * and differ in where the reset gate acts and which side of the update the gate z weights. On the same weights
 * they compute different functions. COLAH and CHO are the same family of networks with z and 1 − z swapped (negate
 * z's weights and bias to turn one into the other); PYTORCH is a different function of its weights.
 */
public enum GruForm {
    /**
     * colah's "Understanding LSTM Networks" (the default): reset before the recurrent product, z weights the
     * candidate.
     * <pre>
     *   n_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t−1}) + b_n)
     *   h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ n_t
     * </pre>
     */
    COLAH,
    /**
     * Cho et al. 2014, "Learning Phrase Representations using RNN Encoder–Decoder" (also Dive into Deep Learning):
     * reset before the recurrent product, z weights the old state.
     * <pre>
     *   n_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t−1}) + b_n)
     *   h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t
     * </pre>
     */
    CHO,
    /**
     * PyTorch's {@code nn.GRU} and cuDNN: the reset gate acts after the recurrent product, which has a bias b_hn of
     * its own inside the reset, so the product W_hn h_{t−1} needs no r_t first (and can be computed for all gates at
     * once); z weights the old state.
     * <pre>
     *   n_t = tanh(W_xn x_t + b_n + r_t ⊙ (W_hn h_{t−1} + b_hn))
     *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
     * </pre>
     */
    PYTORCH;

    /** True when z_t weights the candidate n_t (COLAH); false when it weights the old state h_{t−1}. */
    public boolean updateWeightsCandidate() {
        return this == COLAH;
    }

    /** True when r_t multiplies W_hn h_{t−1} + b_hn after the product (PYTORCH); false when it multiplies h_{t−1}. */
    public boolean resetAfterProduct() {
        return this == PYTORCH;
    }
}
