package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TaskContractTest {

    static Stream<Task> tasks() {
        return Stream.of(new DelayTask(5, 3, 12), new AddingProblem(20), new TemporalOrder(30),
                new BracketDepth(25, 3), new NoisySine(15, 0.1), new MackeyGlass(40, 1));
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void sameSeedGivesIdenticalBatches(Task task) {
        Batch a = task.batch(6, new Random(42));
        Batch b = task.batch(6, new Random(42));
        BatchAssertions.assertSameData(a, b);
        List<Batch> first = task.batches(3, 4, 7);
        List<Batch> second = task.batches(3, 4, 7);
        for (int i = 0; i < 3; i++) {
            BatchAssertions.assertSameData(first.get(i), second.get(i));
        }
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void differentSeedsGiveDifferentBatches(Task task) {
        Batch a = task.batch(6, new Random(1));
        Batch b = task.batch(6, new Random(2));
        boolean differs = false;
        for (int t = 0; t < a.length() && !differs; t++) {
            for (int s = 0; s < a.size(); s++) {
                differs |= !java.util.Arrays.equals(a.inputsAt(t)[s], b.inputsAt(t)[s]);
            }
        }
        assertTrue(differs);
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void batchShapesMatchTheDeclaredSizes(Task task) {
        Batch batch = task.batch(9, new Random(3));
        assertEquals(9, batch.size());
        assertEquals(task.inputSize(), batch.inputSize());
        assertEquals(task.isClassification(), batch.isClassification());
        for (int t = 0; t < batch.length(); t++) {
            if (task.isClassification()) {
                for (int label : batch.labelsAt(t)) {
                    assertTrue(label >= Batch.NO_TARGET && label < task.outputSize(), "label " + label);
                }
            } else if (batch.valuesAt(t) != null) {
                for (double[] v : batch.valuesAt(t)) {
                    assertEquals(task.outputSize(), v.length);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void batchesListHasTheRequestedCountAndIsReadOnly(Task task) {
        List<Batch> list = task.batches(4, 2, 11);
        assertEquals(4, list.size());
        assertThrows(UnsupportedOperationException.class, () -> list.add(list.get(0)));
        assertNotEquals(list.get(0).inputsAt(0)[0], list.get(1).inputsAt(0)[0]);
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void zeroBatchSizeIsRejectedWithItsValue(Task task) {
        var e = assertThrows(IllegalArgumentException.class, () -> task.batch(0, new Random(1)));
        assertEquals("batchSize = 0 is too small: it must be at least 1", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> task.batches(0, 4, 1));
        assertTrue(e2.getMessage().startsWith("count = 0"));
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void describesItselfForAStudent(Task task) {
        assertFalse(task.description().isBlank());
    }
}
