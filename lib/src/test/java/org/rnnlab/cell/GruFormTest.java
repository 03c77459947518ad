package org.rnnlab.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;

/** The GRU forms: the default is bit for bit the GRU as it was; the other two are other functions of the weights. */
class GruFormTest {
    /** Everything a forward and full backward pass leaves, flattened in a fixed order. */
    private static List<double[]> run(RecurrentCell cell, long seed, int inputs, int hidden, int sequences, int steps) {
        Random rng = new Random(seed);
        double[][][] x = new double[steps][sequences][inputs];
        double[][][] dh = new double[steps][sequences][hidden];
        double[][] h0 = new double[sequences][hidden];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < sequences; b++) {
                for (int k = 0; k < inputs; k++) {
                    x[t][b][k] = 2 * rng.nextDouble() - 1;
                }
                for (int u = 0; u < hidden; u++) {
                    dh[t][b][u] = rng.nextGaussian();
                    h0[b][u] = 2 * rng.nextDouble() - 1;
                }
            }
        }
        cell.prepare(steps, sequences);
        cell.setInitialState("h", h0);
        cell.parameters().forEach(Parameter::zeroGrad);
        List<double[]> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            cell.forwardStep(t, x[t]);
            out.addAll(List.of(cell.hidden(t)));
        }
        cell.beginBackward();
        for (int t = steps - 1; t >= 0; t--) {
            double[][] dx = new double[sequences][inputs];
            cell.backwardStep(t, x[t], dh[t], dx);
            out.addAll(List.of(dx));
        }
        for (WeightView v : cell.weights()) {
            out.add(v.grad().data);
        }
        out.addAll(List.of(cell.initialStateGradient("h")));
        return out;
    }

    private static void randomise(RecurrentCell cell, long seed) {
        Random rng = new Random(seed);
        for (WeightView v : cell.weights()) {
            DMatrixRMaj m = new DMatrixRMaj(v.rows(), v.cols());
            for (int k = 0; k < m.data.length; k++) {
                m.data[k] = 3 * rng.nextDouble() - 1.5;
            }
            v.set(m);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void theDefaultFormComputesBitForBitWhatTheGruComputedBefore(long seed) {
        Random sizes = new Random(seed);
        int inputs = 1 + sizes.nextInt(4);
        int hidden = 1 + sizes.nextInt(6);
        int sequences = 1 + sizes.nextInt(4);
        int steps = 2 + sizes.nextInt(6);
        RecurrentCell before = new GruCellAsBefore(inputs, hidden);
        randomise(before, seed);
        List<double[]> expected = run(before, seed, inputs, hidden, sequences, steps);
        for (GruCell now : List.of(new GruCell(inputs, hidden), new GruCell(inputs, hidden, GruForm.COLAH))) {
            randomise(now, seed);
            List<double[]> actual = run(now, seed, inputs, hidden, sequences, steps);
            assertEquals(expected.size(), actual.size());
            for (int k = 0; k < expected.size(); k++) {
                assertArrayEquals(expected.get(k), actual.get(k), "entry " + k + " of " + now.kind());
            }
        }
    }

    @Test
    void choAndPytorchFormsAreOtherFunctionsOfTheSameWeights() {
        GruCell colah = new GruCell(3, 4);
        randomise(colah, 5);
        double[] colahLast = lastHidden(colah);
        for (GruForm form : List.of(GruForm.CHO, GruForm.PYTORCH)) {
            GruCell other = new GruCell(3, 4, form);
            for (WeightView v : colah.weights()) {
                other.weight(v.name()).set(v.get());
            }
            double[] otherLast = lastHidden(other);
            double diff = 0;
            for (int u = 0; u < colahLast.length; u++) {
                diff = Math.max(diff, Math.abs(colahLast[u] - otherLast[u]));
            }
            assertTrue(diff > 0.01, form + " should differ from COLAH, max |Δh| = " + diff);
        }
    }

    private static double[] lastHidden(GruCell cell) {
        List<double[]> all = run(cell, 9, 3, 4, 2, 5);
        return all.get(2 * 5 - 1);
    }

    @Test
    void formsAreNamedAndPytorchHasTheBiasOfItsRecurrentProduct() {
        assertEquals("GRU", new GruCell(2, 3).kind());
        assertEquals(GruForm.COLAH, new GruCell(2, 3).form());
        assertEquals("GRU-CHO", new GruCell(2, 3, GruForm.CHO).kind());
        assertEquals("GRU-PYTORCH", new GruCell(2, 3, GruForm.PYTORCH).kind());
        List<String> names = new GruCell(2, 3, GruForm.PYTORCH).weights().stream().map(WeightView::name).toList();
        assertEquals(List.of("W_xz", "W_hz", "b_z", "W_xr", "W_hr", "b_r", "W_xn", "W_hn", "b_n", "b_hn"), names);
        assertEquals(9, new GruCell(2, 3, GruForm.CHO).weights().size());
    }
}
