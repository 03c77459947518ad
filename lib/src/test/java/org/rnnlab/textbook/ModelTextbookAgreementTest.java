package org.rnnlab.textbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.init.Init;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.ModelBuilder;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.WeightView;
import org.rnnlab.train.Optimizer;
import org.rnnlab.train.Trainer;

/**
 * Whole models on the fast cells agree with the same models on the textbook cells, the way training uses them:
 * two layers stacked (every cell type under another), batches of several sequences, one and two threads, and
 * truncated BPTT windows whose carried-in state comes from the steps before. Loss and every weight gradient agree to
 * 1e-12 (relative, per weight), and so do a few training updates.
 */
class ModelTextbookAgreementTest {
    private static final double TOLERANCE = 1e-12;

    static Stream<Arguments> stacks() {
        Stream.Builder<Arguments> s = Stream.builder();
        int k = 0;
        for (CellSpec spec : CellSpec.all()) {
            for (int threads : new int[] {1, 2}) {
                s.add(Arguments.of(spec, threads, 100 + k++));
            }
        }
        return s.build();
    }

    /** The same model twice, fast and textbook: a random layer under the given one, random sizes. */
    private static SequenceModel[] pair(CellSpec spec, long seed) {
        Random rng = new Random(seed);
        int inputs = 2 + rng.nextInt(3);
        int below = 2 + rng.nextInt(4);
        int hidden = 2 + rng.nextInt(4);
        SequenceModel[] models = new SequenceModel[2];
        for (int i = 0; i < 2; i++) {
            ModelBuilder b = SequenceModel.builder(inputs).init(Init.uniform(0.7)).recurrentInit(Init.uniform(0.7))
                    .seed(seed).lstm(below, "V");
            spec.layer().accept(b, hidden);
            if (i == 1) {
                b.textbook();
            }
            models[i] = b.output(3, Loss.CROSS_ENTROPY).build();
        }
        Random biases = new Random(seed + 1);
        for (WeightView v : models[0].weights().values()) {
            if (v.kind() == WeightView.Kind.BIAS || v.kind() == WeightView.Kind.PEEPHOLE) {
                DMatrixRMaj m = new DMatrixRMaj(v.rows(), v.cols());
                for (int j = 0; j < m.data.length; j++) {
                    m.data[j] = biases.nextDouble() - 0.5;
                }
                models[0].set(nameOf(models[0], v), m);
                models[1].set(nameOf(models[0], v), m);
            }
        }
        return models;
    }

    private static String nameOf(SequenceModel m, WeightView v) {
        return m.weights().entrySet().stream().filter(e -> e.getValue() == v).findFirst().orElseThrow().getKey();
    }

    private static double relative(DMatrixRMaj a, DMatrixRMaj b) {
        double diff = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.data.length; i++) {
            diff += (a.data[i] - b.data[i]) * (a.data[i] - b.data[i]);
            na += a.data[i] * a.data[i];
            nb += b.data[i] * b.data[i];
        }
        double scale = Math.sqrt(Math.max(na, nb));
        return scale < 1e-300 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
    }

    private static void assertSameGradients(SequenceModel fast, SequenceModel book, String where) {
        for (Map.Entry<String, WeightView> e : fast.weights().entrySet()) {
            double err = relative(e.getValue().grad(), book.weight(e.getKey()).grad());
            assertTrue(err <= TOLERANCE, where + ": ∂" + e.getKey() + " differs by " + err);
        }
    }

    /** Truncated BPTT as the trainer runs it: windows of 4 steps reaching back 6, the state flowing forward. */
    private static double[] truncatedWindows(SequenceModel m, Batch b) {
        Bptt bptt = Bptt.of(m);
        bptt.prepare(b);
        bptt.resetState();
        double[] losses = new double[3];
        int done = 0;
        for (int w = 0; done < b.length(); w++) {
            int end = Math.min(done + 4, b.length());
            int from = Math.max(0, end - 6);
            m.zeroGrad();
            bptt.forward(b, from, end);
            losses[w] = bptt.lossAndReadoutGradient(b, from, done, end);
            bptt.backward(b, from, end);
            done = end;
        }
        return losses;
    }

    @ParameterizedTest(name = "{0}, {1} thread(s)")
    @MethodSource("stacks")
    void aStackOnTextbookCellsComputesWhatTheFastOneDoes(CellSpec spec, int threads, long seed) {
        SequenceModel[] m = pair(spec, seed);
        SequenceModel fast = m[0].threads(threads);
        SequenceModel book = m[1];
        Batch batch = Fixtures.classification(12, 5, fast.inputSize(), 3, false, seed);
        double lf = fast.backpropagate(batch);
        double lb = book.backpropagate(batch);
        assertEquals(lf, lb, TOLERANCE * Math.abs(lf), "the loss");
        assertSameGradients(fast, book, spec + ", full BPTT");

        double[] wf = truncatedWindows(fast, batch);
        double[] wb = truncatedWindows(book, batch);
        for (int w = 0; w < wf.length; w++) {
            assertEquals(wf[w], wb[w], TOLERANCE * Math.abs(wf[w]), "the loss of window " + w);
        }
        assertSameGradients(fast, book, spec + ", the last truncated window");
    }

    @Test
    void trainingOnEitherGivesTheSameModel() {
        CellSpec lstm = CellSpec.all().stream().filter(s -> s.name().equals("LSTM-NP")).findFirst().orElseThrow();
        SequenceModel[] m = pair(lstm, 7);
        Batch batch = Fixtures.classification(10, 4, m[0].inputSize(), 3, false, 3);
        for (SequenceModel model : m) {
            new Trainer(model).optimizer(Optimizer.adam(0.05)).truncate(5, 5).epochs(5)
                    .fit(java.util.List.of(batch));
        }
        for (String name : m[0].weights().keySet()) {
            double err = relative(m[0].get(name), m[1].get(name));
            assertTrue(err <= 1e-10, name + " after 10 updates differs by " + err);
        }
    }
}
