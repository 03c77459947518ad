package org.rnnlab.textbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.param.WeightView;

/**
 * The textbook cells are an oracle for the fast ones: on the same weights, inputs, initial states and upstream
 * gradients, both compute the same h_t, c_t, weight gradients, ∂L/∂x_t and initial-state gradients, to rounding
 * (1e-12 relative), for every cell type, LSTM variant and GRU form, whole-batch, in two lanes, and truncated.
 */
class TextbookCellsMatchFastCellsTest {
    private static final long[] SEEDS = {1, 2, 3};
    /** Weights uniform in ±1.5: large enough that gates saturate partly. */
    private static final double SCALE = 1.5;

    static Stream<Arguments> cases() {
        return CellSpec.all().stream().flatMap(s -> java.util.Arrays.stream(SEEDS).mapToObj(seed -> Arguments.of(s, seed)));
    }

    static Stream<CellSpec> specs() {
        return CellSpec.all().stream();
    }

    /** A fast cell and its textbook twin with the same random weights, and a problem for them. */
    private record Twins(RecurrentCell fast, RecurrentCell textbook, Oracle.Problem problem) {
    }

    private static Twins twins(CellSpec spec, long seed) {
        Random rng = new Random(seed);
        RecurrentCell probe = spec.fast().make(1, 1);
        Oracle.Problem p = Oracle.problem(rng, probe.stateNames());
        RecurrentCell fast = spec.fast().make(p.inputs(), p.hidden());
        RecurrentCell textbook = spec.textbook().make(p.inputs(), p.hidden());
        Oracle.randomiseWeights(fast, rng, SCALE);
        Oracle.copyWeights(fast, textbook);
        return new Twins(fast, textbook, p);
    }

    private static void assertAgree(Oracle.Outcome expected, Oracle.Outcome actual, String what) {
        Map<String, Double> d = Oracle.differences(expected, actual);
        Map.Entry<String, Double> worst = Oracle.worst(d);
        System.out.println(what + ": worst relative difference " + worst.getValue() + " (" + worst.getKey() + ")");
        assertTrue(worst.getValue() <= Oracle.TOLERANCE, what + ": " + worst.getKey() + " differs by "
                + worst.getValue() + " (relative); all: " + d);
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    void fastAndTextbookCellsComputeTheSameStatesAndGradients(CellSpec spec, long seed) {
        Twins w = twins(spec, seed);
        Oracle.Outcome book = Oracle.run(w.textbook(), w.problem(), 1, 0);
        assertAgree(book, Oracle.run(w.fast(), w.problem(), 1, 0), spec + " whole batch");
        if (w.fast().splitsBatch()) {
            assertAgree(book, Oracle.run(w.fast(), w.problem(), 2, 0), spec + " in two lanes");
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    void truncatedBackpropagationAgreesToo(CellSpec spec, long seed) {
        Twins w = twins(spec, seed);
        int stop = 1 + new Random(seed + 100).nextInt(w.problem().steps() - 1);
        Oracle.Outcome book = Oracle.run(w.textbook(), w.problem(), 1, stop);
        assertAgree(book, Oracle.run(w.fast(), w.problem(), 1, stop), spec + " truncated at step " + stop);
        if (w.fast().splitsBatch()) {
            assertAgree(book, Oracle.run(w.fast(), w.problem(), 2, stop), spec + " in two lanes, truncated at " + stop);
        }
    }

    /** A stream cut into chunks: the state after one chunk (h, c, and FGR's gates) carries into the next alike. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void stateCarriedIntoTheNextChunkAgrees(CellSpec spec) {
        Twins w = twins(spec, 5);
        Oracle.Problem p = w.problem();
        Oracle.Problem next = Oracle.problem(new Random(6), w.fast().stateNames(), p.inputs(), p.hidden(),
                p.sequences(), p.steps());
        Oracle.run(w.fast(), p, 1, 0);
        Oracle.run(w.textbook(), p, 1, 0);
        w.fast().carryState(p.steps() - 2);
        w.textbook().carryState(p.steps() - 2);
        assertAgree(Oracle.run(w.textbook(), next, 1, 0, true), Oracle.run(w.fast(), next, 1, 0, true),
                spec + " carried into the next chunk");
    }

    /** The comparison has teeth: one weight of one side moved by 1e-9 is caught, for every weight of every cell. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aWeightMovedByOneBillionthIsCaught(CellSpec spec) {
        Twins w = twins(spec, 4);
        Oracle.Outcome fast = Oracle.run(w.fast(), w.problem(), 1, 0);
        assertAgree(fast, Oracle.run(w.textbook(), w.problem(), 1, 0), spec + " unperturbed");
        for (WeightView v : w.textbook().weights()) {
            DMatrixRMaj keep = v.get();
            DMatrixRMaj moved = keep.copy();
            moved.data[0] += 1e-9;
            v.set(moved);
            double worst = Oracle.worst(Oracle.differences(fast, Oracle.run(w.textbook(), w.problem(), 1, 0))).getValue();
            v.set(keep);
            assertTrue(worst > Oracle.TOLERANCE, spec + ": moving " + v.name() + "[0] by 1e-9 went unnoticed ("
                    + worst + ")");
        }
    }

    /** The model builder initialises by walking weights() with one Random: both lists must match entry by entry. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void textbookCellsListTheSameWeightsAsTheFastCells(CellSpec spec) {
        List<WeightView> fast = spec.fast().make(3, 4).weights();
        List<WeightView> book = spec.textbook().make(3, 4).weights();
        assertEquals(fast.stream().map(WeightView::toString).toList(), book.stream().map(WeightView::toString).toList());
        assertEquals(spec.fast().make(3, 4).stateNames(), spec.textbook().make(3, 4).stateNames());
    }
}
