package org.rnnlab.cell;

import java.util.List;
import java.util.Map;
import org.rnnlab.param.Parameter;
import org.rnnlab.hotloop.RowMath;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * A frozen copy of {@link GruCell} as it was before the GRU forms were added: the reference the default (COLAH)
 * form must still match bit for bit. Do not edit.
 */
final class GruCellAsBefore extends RecurrentCell {
    private final Parameter wzr;
    private final Parameter bzr;
    private final Parameter wn;
    private final Parameter bn;
    private final List<WeightView> views;
    /** zr[t][b] = (z, r) of step t. */
    private double[][][] zr;
    /** n[t][b] = candidate of step t. */
    private double[][][] n;
    /** rh[t][b] = r_t ⊙ h_{t−1}. */
    private double[][][] rh;
    private double[] dzr;
    private double[] dn;
    private double[] drh;

    GruCellAsBefore(int inputSize, int hiddenSize) {
        super(inputSize, hiddenSize);
        int hs = hiddenSize;
        wzr = new Parameter("W_zr", inputSize + hs, 2 * hs, true);
        bzr = new Parameter("b_zr", 1, 2 * hs, false);
        wn = new Parameter("W_n", inputSize + hs, hs, true);
        bn = new Parameter("b_n", 1, hs, false);
        views = List.of(
                new WeightView("W_xz", wzr, 0, 0, hs, inputSize, Kind.INPUT),
                new WeightView("W_hz", wzr, inputSize, 0, hs, hs, Kind.RECURRENT),
                new WeightView("b_z", bzr, 0, 0, hs, 1, Kind.BIAS),
                new WeightView("W_xr", wzr, 0, hs, hs, inputSize, Kind.INPUT),
                new WeightView("W_hr", wzr, inputSize, hs, hs, hs, Kind.RECURRENT),
                new WeightView("b_r", bzr, 0, hs, hs, 1, Kind.BIAS),
                new WeightView("W_xn", wn, 0, 0, hs, inputSize, Kind.INPUT),
                new WeightView("W_hn", wn, inputSize, 0, hs, hs, Kind.RECURRENT),
                new WeightView("b_n", bn, 0, 0, hs, 1, Kind.BIAS));
    }

    @Override
    public String kind() {
        return "GRU";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(wzr, bzr, wn, bn);
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
            multiplyInto(resetH, wn.value(), inputSize, cand);
            final double[] hNow = h[t + 1][b];
            for (int u = 0; u < hs; u++) {
                cand[u] = RowMath.tanh(cand[u]);                       // n_t = tanh(…)
                double z = gates[u];
                hNow[u] = (1.0 - z) * hPrev[u] + z * cand[u];          // h_t = (1 − z) ⊙ h_{t−1} + z ⊙ n_t
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
            for (int u = 0; u < hs; u++) {
                double z = gates[u];
                dzr[u] = dh[u] * (cand[u] - hPrev[u]) * z * (1.0 - z);   // through z_t
                dn[u] = dh[u] * z * (1.0 - cand[u] * cand[u]);           // through n_t, then tanh
                dhPrev[u] = dh[u] * (1.0 - z);                           // the direct path h_{t−1} → h_t
            }
            RowMath.add(dn, bn.grad()[0]);
            accumulateOuter(x[b], dn, wn.grad(), 0);
            accumulateOuter(rh[t][b], dn, wn.grad(), inputSize);
            multiplyTransposed(dn, wn.value(), inputSize, drh);          // ∂L/∂(r ⊙ h_{t−1})
            for (int u = 0; u < hs; u++) {
                double r = gates[hs + u];
                dzr[hs + u] = drh[u] * hPrev[u] * r * (1.0 - r);         // through r_t
                dhPrev[u] += drh[u] * r;
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
