package org.rnnlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.Batch;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;
import org.rnnlab.train.Clipping;

class GradientsTest {
    private static final Batch BATCH = Fixtures.regression(12, 3, 2, 1, true, 4);

    private static SequenceModel model() {
        return SequenceModel.builder(2).rnn(5).output(1, Loss.MSE).seed(3).spectralRadius(1.5).build();
    }

    @Test
    void theSnapshotAgreesWithFiniteDifferencesOfTheLoss() {
        SequenceModel m = model();
        List<Parameter> g = Gradients.of(m, BATCH);
        List<Parameter> live = m.parameters();
        Runnable copySnapshotIntoModel = () -> {
            for (int i = 0; i < g.size(); i++) {
                for (int r = 0; r < g.get(i).rows(); r++) {
                    System.arraycopy(g.get(i).grad()[r], 0, live.get(i).grad()[r], 0, g.get(i).cols());
                }
            }
        };
        GradientCheck.Result check = GradientCheck.compare(live, () -> m.loss(BATCH), copySnapshotIntoModel,
                GradientCheck.EPSILON, GradientCheck.FLOOR);
        assertTrue(check.passed(1e-6), check.toString());
    }

    @Test
    void takingASnapshotLeavesTheModelAsItWas() {
        SequenceModel m = model();
        double before = m.loss(BATCH);
        double[][] w = m.parameters().get(0).value();
        double keep = w[1][2];
        List<Parameter> g = Gradients.of(m, BATCH);
        g.get(0).value()[1][2] = 99;                   // the snapshot is a copy
        assertEquals(keep, w[1][2], 0);
        assertEquals(before, m.loss(BATCH), 0);
        assertEquals(0.0, Clipping.globalNorm(m.parameters()), 0);
        assertTrue(Gradients.norm(g) > 0);
    }

    @Test
    void clippingByNormKeepsTheDirectionAndByValueTurnsIt() {
        List<Parameter> g = Gradients.of(model(), BATCH);
        List<Parameter> byNorm = Gradients.copy(g);
        Clipping.byNorm(byNorm, 0.1 * Gradients.norm(g));
        assertEquals(0.0, Gradients.angle(g, byNorm), 1e-5);
        assertEquals(0.1 * Gradients.norm(g), Gradients.norm(byNorm), 1e-12);
        List<Parameter> byValue = Gradients.copy(g);
        Clipping.byValue(byValue, 1e-3 * Gradients.norm(g));
        double turned = Gradients.angle(g, byValue);
        assertTrue(turned > 1 && turned < 90, "clipping by value turned the gradient by " + turned + " degrees");
        assertTrue(Gradients.norm(g) > 0, "the original is unchanged");
    }

    @Test
    void anglesOfKnownVectors() {
        Parameter a = new Parameter("a", 1, 2, true);
        Parameter b = new Parameter("b", 1, 2, true);
        a.grad()[0] = new double[] {1, 0};
        b.grad()[0] = new double[] {1, 1};
        assertEquals(45.0, Gradients.angle(List.of(a), List.of(b)), 1e-12);
        b.grad()[0] = new double[] {-2, 0};
        assertEquals(180.0, Gradients.angle(List.of(a), List.of(b)), 1e-12);
        b.grad()[0] = new double[] {0, 3};
        assertEquals(90.0, Gradients.angle(List.of(a), List.of(b)), 1e-12);
    }

    @Test
    void badInputIsExplained() {
        Parameter a = new Parameter("a", 1, 2, true);
        Parameter b = new Parameter("b", 2, 1, true);
        a.grad()[0][0] = 1;
        b.grad()[0][0] = 1;
        var e = assertThrows(IllegalArgumentException.class, () -> Gradients.angle(List.of(a), List.of(b)));
        assertTrue(e.getMessage().contains("1x2"), e.getMessage());
        Parameter zero = new Parameter("z", 1, 2, true);
        e = assertThrows(IllegalArgumentException.class, () -> Gradients.angle(List.of(a), List.of(zero)));
        assertTrue(e.getMessage().contains("non-zero"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gradients.norm(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Gradients.copy(null));
    }
}
