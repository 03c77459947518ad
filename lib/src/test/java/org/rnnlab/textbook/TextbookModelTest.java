package org.rnnlab.textbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnlab.Fixtures;
import org.rnnlab.cell.LstmVariant;
import org.rnnlab.data.Batch;
import org.rnnlab.diagnostics.GradientCheck;
import org.rnnlab.init.Init;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.WeightView;

/** Models built from the textbook cells: their gradients are right, and the same seed gives the same weights. */
class TextbookModelTest {
    static Stream<CellSpec> specs() {
        return CellSpec.all().stream();
    }

    /** Weights large enough that gates leave their linear range and the check has teeth. */
    private static org.rnnlab.model.ModelBuilder builder(int inputs) {
        return SequenceModel.builder(inputs).init(Init.uniform(0.8)).recurrentInit(Init.uniform(0.8)).seed(7);
    }

    /** Peepholes and biases start at zero or one; random values make every term of the backward pass count. */
    private static void randomisePeepholesAndBiases(SequenceModel model) {
        Random rng = new Random(11);
        model.weights().forEach((name, view) -> {
            if (view.kind() == WeightView.Kind.PEEPHOLE || view.kind() == WeightView.Kind.BIAS) {
                view.set(Init.uniform(0.5).matrix(view.rows(), view.cols(), rng));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void textbookBackpropagationMatchesFiniteDifferences(CellSpec spec) {
        org.rnnlab.model.ModelBuilder b = builder(3).textbook();
        spec.layer().accept(b, 4);
        SequenceModel model = b.output(3, Loss.CROSS_ENTROPY).build();
        assertTrue(model.layer(1).kind().contains("textbook"), model.layer(1).kind());
        randomisePeepholesAndBiases(model);
        GradientCheck.Result r = GradientCheck.of(model, Fixtures.classification(6, 2, 3, 3, false, 3));
        System.out.println(model + ": " + r);
        assertTrue(r.passed(1e-6), model + ": " + r);
        assertEquals(model.parameterCount(), r.checked(), "every parameter is checked");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void theSameSeedBuildsTheSameWeightsForFastAndTextbookModels(CellSpec spec) {
        org.rnnlab.model.ModelBuilder fast = SequenceModel.builder(3).seed(99);
        org.rnnlab.model.ModelBuilder book = SequenceModel.builder(3).seed(99).textbook();
        spec.layer().accept(fast, 5);
        spec.layer().accept(book, 5);
        Map<String, WeightView> a = fast.output(2, Loss.MSE).build().weights();
        Map<String, WeightView> b = book.output(2, Loss.MSE).build().weights();
        assertEquals(java.util.List.copyOf(a.keySet()), java.util.List.copyOf(b.keySet()));
        a.forEach((name, view) -> {
            DMatrixRMaj expected = view.get();
            DMatrixRMaj actual = b.get(name).get();
            assertTrue(java.util.Arrays.equals(expected.data, actual.data) && expected.numRows == actual.numRows,
                    spec + ": " + name + " differs");
        });
    }

    @Test
    void aTextbookModelComputesTheSameLossAndGradientsAsAFastOne() {
        Batch batch = Fixtures.classification(7, 3, 3, 4, false, 12);
        SequenceModel fast = builder(3).lstm(5, LstmVariant.V).gru(4).rnn(3).output(4, Loss.CROSS_ENTROPY).build();
        SequenceModel book = builder(3).lstm(5, LstmVariant.V).gru(4).rnn(3).textbook()
                .output(4, Loss.CROSS_ENTROPY).build();
        assertInstanceOf(TextbookLstmCell.class, book.layer(1), "textbook() applies to layers added before it too");
        assertInstanceOf(TextbookGruCell.class, book.layer(2));
        assertInstanceOf(TextbookRnnCell.class, book.layer(3));
        double lf = fast.backpropagate(batch);
        double lb = book.backpropagate(batch);
        assertEquals(lf, lb, 1e-12 * Math.abs(lf));
        fast.weights().forEach((name, view) -> {
            double d = Oracle.relativeDifference(view.grad().data, book.weight(name).grad().data);
            assertTrue(d < Oracle.TOLERANCE, name + " gradient differs by " + d);
        });
    }
}
