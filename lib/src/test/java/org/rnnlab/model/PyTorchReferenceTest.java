package org.rnnlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnlab.cell.GruForm;

/**
 * The library computes what PyTorch computes, through the public API a student would use: weights set by their
 * textbook names (PyTorch's two biases summed), the initial state given to {@link SequenceModel#unroll}, the
 * upstream gradient G fed to {@link Unrolled#backward}, and every gradient read back. The numbers are PyTorch
 * 2.13's in float64 (see src/test/resources/org/rnnlab/reference/README.md).
 */
class PyTorchReferenceTest {
    private static final double TOLERANCE = 1e-12;
    private static final JsonNode CASES = load().get("cases");

    private static JsonNode load() {
        try (InputStream in = PyTorchReferenceTest.class.getResourceAsStream("/org/rnnlab/reference/pytorch-f64-recurrent.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IntStream cases() {
        return IntStream.range(0, CASES.size());
    }

    /** The library's names for PyTorch's stacked gates, in PyTorch's order. */
    private static List<String> gates(String kind) {
        return switch (kind) {
            case "lstm" -> List.of("i", "f", "g", "o");
            case "gru" -> List.of("r", "z", "n");
            case "rnn_tanh" -> List.of("h");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static SequenceModel modelFor(JsonNode c) {
        int inputs = c.get("I").asInt();
        int hidden = c.get("H").asInt();
        ModelBuilder b = SequenceModel.builder(inputs);
        switch (c.get("kind").asText()) {
            case "lstm" -> b.lstm(hidden);
            case "gru" -> b.gru(hidden, GruForm.PYTORCH);
            default -> b.rnn(hidden);
        }
        return b.output(1, Loss.MSE).build();
    }

    /** Rows [g·H, (g+1)·H) of a PyTorch weight, as a matrix. */
    private static DMatrixRMaj block(JsonNode weight, int g, int hidden) {
        int cols = weight.get(0).isArray() ? weight.get(0).size() : 1;
        DMatrixRMaj m = new DMatrixRMaj(hidden, cols);
        for (int r = 0; r < hidden; r++) {
            JsonNode row = weight.get(g * hidden + r);
            for (int k = 0; k < cols; k++) {
                m.set(r, k, cols == 1 && !row.isArray() ? row.asDouble() : row.get(k).asDouble());
            }
        }
        return m;
    }

    /**
     * The library's weights from PyTorch's, by name: W_x·, W_h·, and b_· = b_ih + b_hh, except for the GRU's
     * candidate, whose recurrent bias b_hn stays apart (it sits inside the reset gate's product).
     */
    private static Map<String, DMatrixRMaj> libraryWeights(JsonNode c, JsonNode weights) {
        return library(c, weights, true);
    }

    /**
     * The library's gradients from PyTorch's: as {@link #libraryWeights}, except that a summed bias's gradient is
     * that of either of PyTorch's two (both equal it), not their sum.
     */
    private static Map<String, DMatrixRMaj> libraryGradients(JsonNode c, JsonNode grads) {
        return library(c, grads, false);
    }

    private static Map<String, DMatrixRMaj> library(JsonNode c, JsonNode weights, boolean sumBiases) {
        int hidden = c.get("H").asInt();
        boolean gru = c.get("kind").asText().equals("gru");
        Map<String, DMatrixRMaj> w = new LinkedHashMap<>();
        List<String> gates = gates(c.get("kind").asText());
        for (int g = 0; g < gates.size(); g++) {
            String gate = gates.get(g);
            DMatrixRMaj bih = block(weights.get("bias_ih_l0"), g, hidden);
            DMatrixRMaj bhh = block(weights.get("bias_hh_l0"), g, hidden);
            w.put("W_x" + gate, block(weights.get("weight_ih_l0"), g, hidden));
            w.put("W_h" + gate, block(weights.get("weight_hh_l0"), g, hidden));
            if (gru && gate.equals("n")) {
                w.put("b_n", bih);
                w.put("b_hn", bhh);
            } else {
                DMatrixRMaj sum = bih.copy();
                for (int k = 0; sumBiases && k < sum.data.length; k++) {
                    sum.data[k] += bhh.data[k];
                }
                w.put("b_" + gate, sum);
            }
        }
        return w;
    }

    private static double[][][] array3(JsonNode n) {
        double[][][] a = new double[n.size()][][];
        for (int i = 0; i < a.length; i++) {
            a[i] = array2(n.get(i));
        }
        return a;
    }

    private static double[][] array2(JsonNode n) {
        double[][] a = new double[n.size()][];
        for (int i = 0; i < a.length; i++) {
            JsonNode row = n.get(i);
            a[i] = new double[row.size()];
            for (int j = 0; j < a[i].length; j++) {
                a[i][j] = row.get(j).asDouble();
            }
        }
        return a;
    }

    /** ‖a − b‖ / max(‖a‖, ‖b‖): the relative error of a whole quantity. */
    private static double relativeError(double[] a, double[] b) {
        assertEquals(a.length, b.length, "sizes");
        double diff = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        double scale = Math.sqrt(Math.max(na, nb));
        return scale == 0 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
    }

    private static double[] flat(double[][][] a) {
        List<Double> out = new ArrayList<>();
        for (double[][] m : a) {
            for (double[] row : m) {
                for (double v : row) {
                    out.add(v);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] flat(double[][] a) {
        return flat(new double[][][] {a});
    }

    /** Every quantity's relative error against PyTorch for case {@code k}, by name. */
    static Map<String, Double> errors(int k, Map<String, DMatrixRMaj> perturb) {
        JsonNode c = CASES.get(k);
        boolean lstm = c.get("kind").asText().equals("lstm");
        SequenceModel model = modelFor(c);
        Map<String, DMatrixRMaj> weights = libraryWeights(c, c.get("weights"));
        weights.putAll(perturb);
        weights.forEach(model::set);
        Map<String, double[][]> start = new HashMap<>();
        start.put("h", array3(c.get("h0"))[0]);
        if (lstm) {
            start.put("c", array3(c.get("c0"))[0]);
        }
        Unrolled run = model.unroll(array3(c.get("x")), start);
        Map<String, Double> e = new LinkedHashMap<>();
        e.put("out", relativeError(flat(array3(c.get("out"))), flat(run.hidden())));
        if (lstm) {
            e.put("cT", relativeError(flat(array3(c.get("cT"))[0]), flat(run.finalState("c"))));
        }
        run.backward(array3(c.get("G")));
        Map<String, DMatrixRMaj> expected = libraryGradients(c, c.get("grads"));
        for (Map.Entry<String, DMatrixRMaj> g : expected.entrySet()) {
            e.put("∂" + g.getKey(), relativeError(g.getValue().data, model.weight(g.getKey()).grad().data));
        }
        e.put("dx", relativeError(flat(array3(c.get("dx"))), flat(run.inputGradient())));
        e.put("dh0", relativeError(flat(array3(c.get("dh0"))[0]), flat(run.initialStateGradient("h"))));
        if (lstm) {
            e.put("dc0", relativeError(flat(array3(c.get("dc0"))[0]), flat(run.initialStateGradient("c"))));
        }
        return e;
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void everyOutputStateAndGradientAgreesWithPyTorch(int k) {
        Map<String, Double> e = errors(k, Map.of());
        System.out.println(CASES.get(k).get("kind").asText() + " case " + k + ": " + e);
        e.forEach((name, err) -> assertTrue(err <= TOLERANCE, CASES.get(k).get("kind").asText() + " case " + k
                + ": " + name + " differs from PyTorch by " + err + " (relative)"));
        int quantities = switch (CASES.get(k).get("kind").asText()) {
            case "lstm" -> 17;                      // out, c_T, 12 weight gradients, ∂x, ∂h_0, ∂c_0
            case "gru" -> 13;                       // out, 10 weight gradients (b_hn apart), ∂x, ∂h_0
            default -> 6;                           // out, ∂W_xh, ∂W_hh, ∂b_h, ∂x, ∂h_0
        };
        assertEquals(quantities, e.size(), "every quantity compared: " + e.keySet());
    }

    @Test
    void pyTorchsTwoBiasesHaveTheSameGradient() {
        for (JsonNode c : CASES) {
            JsonNode g = c.get("grads");
            int rows = g.get("bias_ih_l0").size();
            int shared = c.get("kind").asText().equals("gru") ? 2 * c.get("H").asInt() : rows;
            for (int k = 0; k < shared; k++) {
                double a = g.get("bias_ih_l0").get(k).asDouble();
                assertEquals(a, g.get("bias_hh_l0").get(k).asDouble(), 1e-12 * Math.abs(a),
                        "so the library's one summed bias has that gradient too");
            }
        }
    }

    @Test
    void aWeightChangedByOnePartInAMillionIsCaught() {
        JsonNode c = CASES.get(0);
        DMatrixRMaj w = libraryWeights(c, c.get("weights")).get("W_hf");
        w.set(0, 0, w.get(0, 0) * (1 + 1e-6));
        Map<String, Double> e = errors(0, Map.of("W_hf", w));
        assertTrue(e.get("out") > TOLERANCE, "the outputs move: " + e);
        assertTrue(e.get("∂W_xf") > TOLERANCE, "and the gradients: " + e);
    }
}
