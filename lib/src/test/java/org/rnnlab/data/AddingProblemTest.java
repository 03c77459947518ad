package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AddingProblemTest {

    @Test
    void exactlyOneMarkerInEachHalfAndValuesInTheUnitInterval() {
        int length = 31;
        Batch batch = new AddingProblem(length).batch(50, new Random(2));
        for (int b = 0; b < 50; b++) {
            int firstHalf = 0;
            int secondHalf = 0;
            for (int t = 0; t < length; t++) {
                double[] x = batch.inputsAt(t)[b];
                assertTrue(x[0] >= 0 && x[0] < 1, "value " + x[0]);
                assertTrue(x[1] == 0 || x[1] == 1, "marker " + x[1]);
                if (x[1] == 1) {
                    if (t < length / 2) {
                        firstHalf++;
                    } else {
                        secondHalf++;
                    }
                }
            }
            assertEquals(1, firstHalf);
            assertEquals(1, secondHalf);
        }
    }

    @Test
    void targetIsTheSumOfTheMarkedValuesAtTheLastStepOnly() {
        int length = 12;
        Batch batch = new AddingProblem(length).batch(20, new Random(8));
        for (int t = 0; t < length - 1; t++) {
            assertNull(batch.valuesAt(t), "no target at step " + t);
        }
        for (int b = 0; b < 20; b++) {
            double sum = 0;
            for (int t = 0; t < length; t++) {
                double[] x = batch.inputsAt(t)[b];
                sum += x[0] * x[1];
            }
            assertEquals(sum, batch.valuesAt(length - 1)[b][0], 1e-12);
        }
    }

    @Test
    void alwaysAnsweringOneScoresTheDocumentedBaseline() {
        Batch batch = new AddingProblem(10).batch(50_000, new Random(4));
        double squaredError = 0;
        for (double[] target : batch.valuesAt(9)) {
            squaredError += (target[0] - 1.0) * (target[0] - 1.0);
        }
        double mse = squaredError / batch.size();
        assertEquals(AddingProblem.BASELINE_MSE, mse, 0.003);
        assertEquals(0.167, AddingProblem.BASELINE_MSE, 0.001);
    }

    @Test
    void shortestSequenceHasOneStepPerHalf() {
        Batch batch = new AddingProblem(2).batch(3, new Random(1));
        for (int b = 0; b < 3; b++) {
            assertEquals(1.0, batch.inputsAt(0)[b][1]);
            assertEquals(1.0, batch.inputsAt(1)[b][1]);
        }
    }

    @Test
    void lengthBelowTwoIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1));
        assertEquals("length = 1 is too small: it must be at least 2", e.getMessage());
    }
}
