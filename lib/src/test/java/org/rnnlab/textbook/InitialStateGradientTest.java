package org.rnnlab.textbook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnlab.cell.RecurrentCell;

/**
 * ∂L/∂(initial h, c) and ∂L/∂x_t agree with central differences of L = Σ_t Σ_b ⟨∂L/∂h_t from above, h_t⟩, for
 * every fast and textbook cell: the oracle test shows the two agree with each other, this shows they are right.
 */
class InitialStateGradientTest {
    private static final double EPSILON = 1e-4;
    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> cells() {
        return CellSpec.all().stream().flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
    }

    @ParameterizedTest(name = "{0}, fast {1}")
    @MethodSource("cells")
    void initialStateAndInputGradientsMatchFiniteDifferences(CellSpec spec, boolean fast) {
        Random rng = new Random(21);
        CellSpec.Factory factory = fast ? spec.fast() : spec.textbook();
        Oracle.Problem p = Oracle.problem(rng, factory.make(1, 1).stateNames(), 3, 4, 2, 5);
        RecurrentCell cell = factory.make(p.inputs(), p.hidden());
        Oracle.randomiseWeights(cell, rng, 1.0);
        Map<String, double[]> analytic = Oracle.run(cell, p, 1, 0).quantities();
        double worst = 0;
        String where = "";
        for (String s : cell.stateNames()) {
            double[][] state = p.initial().get(s);
            double[] a = analytic.get("∂" + s + "_-1");
            worst = check(cell, p, state, a, worst);
            where = worst > TOLERANCE && where.isEmpty() ? s : where;
        }
        for (int t = 0; t < p.steps(); t++) {
            worst = check(cell, p, p.x()[t], analytic.get("∂x_" + t), worst);
            where = worst > TOLERANCE && where.isEmpty() ? "x_" + t : where;
        }
        assertTrue(worst < TOLERANCE, cell + ": relative error " + worst + " at " + where);
    }

    /** Nudges every entry of {@code m} (part of the problem) and compares with {@code analytic}, flattened. */
    private static double check(RecurrentCell cell, Oracle.Problem p, double[][] m, double[] analytic, double worst) {
        int k = 0;
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                double keep = row[j];
                row[j] = keep + EPSILON;
                double up = loss(cell, p);
                row[j] = keep - EPSILON;
                double down = loss(cell, p);
                row[j] = keep;
                double numeric = (up - down) / (2 * EPSILON);
                double a = analytic[k++];
                worst = Math.max(worst, Math.abs(a - numeric) / Math.max(1e-6, Math.max(Math.abs(a), Math.abs(numeric))));
            }
        }
        return worst;
    }

    /** L = Σ_t Σ_b ⟨dhAbove[t][b], h_t[b]⟩: its gradient wrt h_t from above is exactly dhAbove. */
    private static double loss(RecurrentCell cell, Oracle.Problem p) {
        cell.prepare(p.steps(), p.sequences());
        cell.resetState();
        p.initial().forEach(cell::setInitialState);
        double l = 0;
        for (int t = 0; t < p.steps(); t++) {
            cell.forwardStep(t, p.x()[t]);
            for (int b = 0; b < p.sequences(); b++) {
                for (int u = 0; u < p.hidden(); u++) {
                    l += p.dhAbove()[t][b][u] * cell.hidden(t)[b][u];
                }
            }
        }
        return l;
    }
}
