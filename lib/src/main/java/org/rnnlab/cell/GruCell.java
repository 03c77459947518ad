package org.rnnlab.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * The gated recurrent unit (Cho et al. 2014): one pipeline carries both the hidden state and the memory.
 * An update gate z decides how much of the old state to replace, a reset gate r how much of it the
 * candidate may look at. In colah's notation:
 * <pre>
 *   z_t = σ(W_xz x_t + W_hz h_{t−1} + b_z)                  update gate
 *   r_t = σ(W_xr x_t + W_hr h_{t−1} + b_r)                  reset gate
 *   n_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t−1}) + b_n)       candidate (colah's h̃_t)
 *   h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ n_t
 * </pre>
 * Like the coupled-gate LSTM (CIFG), whatever is forgotten is replaced. That is the {@link GruForm#COLAH} form, the
 * default; {@link GruForm#CHO} lets z weight the old state instead, and {@link GruForm#PYTORCH} also moves the reset
 * after the recurrent product: n_t = tanh(W_xn x_t + b_n + r_t ⊙ (W_hn h_{t−1} + b_hn)).
 *
 * <p>Storage: a fused block {@code W_zr} ((X + H) × 2H, input-major, gates z then r) with its bias, and a block
 * {@code W_n} ((X + H) × H) whose recurrent rows multiply r ⊙ h_{t−1} (PYTORCH: h_{t−1}), with its bias; PYTORCH
 * adds the bias {@code b_hn} of the recurrent product.
 */
public final class GruCell extends RecurrentCell {
    private final Parameter wzr;
    private final Parameter bzr;
    private final Parameter wn;
    private final Parameter bn;
    /** PYTORCH only: the bias inside the reset, b_hn. */
    private final Parameter bhn;
    private final GruForm form;
    private final List<WeightView> views;
    /** zr[t][b] = (z, r) of step t. */
    private double[][][] zr;
    /** n[t][b] = candidate of step t. */
    private double[][][] n;
    /** rh[t][b] = r_t ⊙ h_{t−1} (PYTORCH: W_hn h_{t−1} + b_hn, what r_t multiplies). */
    private double[][][] rh;
    private double[] dzr;
    private double[] dn;
    private double[] drh;

    /** A GRU of the default form, {@link GruForm#COLAH}. */
    public GruCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, GruForm.COLAH);
    }

    /** A GRU of the given form. */
    public GruCell(int inputSize, int hiddenSize, GruForm form) {
        super(inputSize, hiddenSize);
        this.form = java.util.Objects.requireNonNull(form, "form");
        int hs = hiddenSize;
        wzr = new Parameter("W_zr", inputSize + hs, 2 * hs, true);
        bzr = new Parameter("b_zr", 1, 2 * hs, false);
        wn = new Parameter("W_n", inputSize + hs, hs, true);
        bn = new Parameter("b_n", 1, hs, false);
        List<WeightView> vs = new ArrayList<>(List.of(
                new WeightView("W_xz", wzr, 0, 0, hs, inputSize, Kind.INPUT),
                new WeightView("W_hz", wzr, inputSize, 0, hs, hs, Kind.RECURRENT),
                new WeightView("b_z", bzr, 0, 0, hs, 1, Kind.BIAS),
                new WeightView("W_xr", wzr, 0, hs, hs, inputSize, Kind.INPUT),
                new WeightView("W_hr", wzr, inputSize, hs, hs, hs, Kind.RECURRENT),
                new WeightView("b_r", bzr, 0, hs, hs, 1, Kind.BIAS),
                new WeightView("W_xn", wn, 0, 0, hs, inputSize, Kind.INPUT),
                new WeightView("W_hn", wn, inputSize, 0, hs, hs, Kind.RECURRENT),
                new WeightView("b_n", bn, 0, 0, hs, 1, Kind.BIAS)));
        bhn = form.resetAfterProduct() ? new Parameter("b_hn", 1, hs, false) : null;
        if (bhn != null) {
            vs.add(new WeightView("b_hn", bhn, 0, 0, hs, 1, Kind.BIAS));
        }
        views = List.copyOf(vs);
    }

    public GruForm form() {
        return form;
    }

    /** "GRU" for the default form, "GRU-CHO" and "GRU-PYTORCH" for the others. */
    @Override
    public String kind() {
        return form == GruForm.COLAH ? "GRU" : "GRU-" + form.name();
    }

    @Override
    public List<Parameter> parameters() {
        return bhn == null ? List.of(wzr, bzr, wn, bn) : List.of(wzr, bzr, wn, bn, bhn);
    }

    @Override
    public List<WeightView> weights() {
        return views;
    }

    @Override
    protected void allocate(int steps, int sequences) {
        zr = new double[steps][sequences][2 * hiddenSize];
        n = new double[steps][sequences][hiddenSize];
        rh = new double[steps][sequences][hiddenSize];
        dzr = new double[2 * hiddenSize];
        dn = new double[hiddenSize];
        drh = new double[hiddenSize];
    }

    @Override
    public void forwardStep(int t, double[][] x) {
        final int hs = hiddenSize;
        for (int b = 0; b < batch; b++) {
            final double[] gates = zr[t][b];
            final double[] hPrev = h[t][b];
            System.arraycopy(bzr.value()[0], 0, gates, 0, 2 * hs);
            multiplyInto(x[b], wzr.value(), 0, gates);
            multiplyInto(hPrev, wzr.value(), inputSize, gates);
            final double[] resetH = rh[t][b];
            for (int u = 0; u < hs; u++) {
                gates[u] = RowMath.sigmoid(gates[u]);                  // z_t = σ(…)
                gates[hs + u] = RowMath.sigmoid(gates[hs + u]);        // r_t = σ(…)
                resetH[u] = gates[hs + u] * hPrev[u];                  // r_t ⊙ h_{t−1}
            }
            final double[] cand = n[t][b];
            System.arraycopy(bn.value()[0], 0, cand, 0, hs);
            multiplyInto(x[b], wn.value(), 0, cand);
            if (bhn == null) {
                multiplyInto(resetH, wn.value(), inputSize, cand);     //   + W_hn (r_t ⊙ h_{t−1})
            } else {
                final double[] product = rh[t][b];                     // PYTORCH: W_hn h_{t−1} + b_hn
                System.arraycopy(bhn.value()[0], 0, product, 0, hs);
                multiplyInto(hPrev, wn.value(), inputSize, product);
                for (int u = 0; u < hs; u++) {
                    cand[u] += gates[hs + u] * product[u];             //   + r_t ⊙ (W_hn h_{t−1} + b_hn)
                }
            }
            final double[] hNow = h[t + 1][b];
            if (form.updateWeightsCandidate()) {
                for (int u = 0; u < hs; u++) {
                    cand[u] = RowMath.tanh(cand[u]);                   // n_t = tanh(…)
                    double z = gates[u];
                    hNow[u] = (1.0 - z) * hPrev[u] + z * cand[u];      // h_t = (1 − z) ⊙ h_{t−1} + z ⊙ n_t
                }
            } else {
                for (int u = 0; u < hs; u++) {
                    cand[u] = RowMath.tanh(cand[u]);                   // n_t = tanh(…)
                    double z = gates[u];
                    hNow[u] = z * hPrev[u] + (1.0 - z) * cand[u];      // h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n_t
                }
            }
        }
    }

    @Override
    public void backwardStep(int t, double[][] x, double[][] dhAbove, double[][] dxOut) {
        final int hs = hiddenSize;
        for (int b = 0; b < batch; b++) {
            final double[] dh = totalGradient(t, b, dhAbove);
            final double[] gates = zr[t][b];
            final double[] hPrev = h[t][b];
            final double[] cand = n[t][b];
            final double[] dhPrev = dhNext[b];
            if (form.updateWeightsCandidate()) {
                for (int u = 0; u < hs; u++) {
                    double z = gates[u];
                    dzr[u] = dh[u] * (cand[u] - hPrev[u]) * z * (1.0 - z);   // through z_t
                    dn[u] = dh[u] * z * (1.0 - cand[u] * cand[u]);           // through n_t, then tanh
                    dhPrev[u] = dh[u] * (1.0 - z);                           // the direct path h_{t−1} → h_t
                }
            } else {
                for (int u = 0; u < hs; u++) {
                    double z = gates[u];
                    dzr[u] = dh[u] * (hPrev[u] - cand[u]) * z * (1.0 - z);   // through z_t (weighting h_{t−1})
                    dn[u] = dh[u] * (1.0 - z) * (1.0 - cand[u] * cand[u]);   // through n_t, then tanh
                    dhPrev[u] = dh[u] * z;                                   // the direct path h_{t−1} → h_t
                }
            }
            RowMath.add(dn, bn.grad()[0]);
            accumulateOuter(x[b], dn, wn.grad(), 0);
            if (bhn == null) {
                accumulateOuter(rh[t][b], dn, wn.grad(), inputSize);
                multiplyTransposed(dn, wn.value(), inputSize, drh);      // ∂L/∂(r ⊙ h_{t−1})
                for (int u = 0; u < hs; u++) {
                    double r = gates[hs + u];
                    dzr[hs + u] = drh[u] * hPrev[u] * r * (1.0 - r);     // through r_t
                    dhPrev[u] += drh[u] * r;
                }
            } else {
                final double[] product = rh[t][b];
                for (int u = 0; u < hs; u++) {
                    double r = gates[hs + u];
                    drh[u] = dn[u] * r;                                  // ∂L/∂(W_hn h_{t−1} + b_hn)
                    dzr[hs + u] = dn[u] * product[u] * r * (1.0 - r);    // through r_t
                }
                RowMath.add(drh, bhn.grad()[0]);
                accumulateOuter(hPrev, drh, wn.grad(), inputSize);
                for (int j = 0; j < hs; j++) {
                    dhPrev[j] += RowMath.dot(drh, wn.value()[inputSize + j]);
                }
            }
            RowMath.add(dzr, bzr.grad()[0]);
            accumulateOuter(x[b], dzr, wzr.grad(), 0);
            accumulateOuter(hPrev, dzr, wzr.grad(), inputSize);
            for (int j = 0; j < hs; j++) {
                dhPrev[j] += RowMath.dot(dzr, wzr.value()[inputSize + j]);
            }
            if (dxOut != null) {
                double[] dx = dxOut[b];
                for (int k = 0; k < inputSize; k++) {
                    dx[k] = RowMath.dot(dzr, wzr.value()[k]) + RowMath.dot(dn, wn.value()[k]);
                }
            }
        }
    }

    @Override
    public Map<String, double[]> signals(int t, int b) {
        Map<String, double[]> m = super.signals(t, b);
        double[] gates = zr[t][b];
        m.put("z", java.util.Arrays.copyOfRange(gates, 0, hiddenSize));
        m.put("r", java.util.Arrays.copyOfRange(gates, hiddenSize, 2 * hiddenSize));
        m.put("n", n[t][b].clone());
        return m;
    }
}
