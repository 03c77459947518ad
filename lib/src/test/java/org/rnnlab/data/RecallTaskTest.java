package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RecallTaskTest {

    @Test
    void blockKHoldsTheSymbolSeenKStepsAgo() {
        RecallTask task = new RecallTask(4, 3, 12);
        Batch batch = task.batch(5, new Random(3));
        assertEquals(12, batch.targetSize());
        for (int t = 0; t < 12; t++) {
            if (t < 3) {
                assertNull(batch.valuesAt(t), "no target before step " + 3);
                continue;
            }
            for (int b = 0; b < 5; b++) {
                double[] want = batch.valuesAt(t)[b];
                for (int k = 1; k <= 3; k++) {
                    int symbol = BatchAssertions.symbol(batch.inputsAt(t - k)[b]);
                    for (int s = 0; s < 4; s++) {
                        assertEquals(s == symbol ? 1.0 : 0.0, want[(k - 1) * 4 + s], "t=" + t + " k=" + k);
                    }
                }
            }
        }
    }

    @Test
    void lastStepBatchHasATargetOnlyAtTheEnd() {
        Batch batch = new RecallTask(3, 2, 8).lastStepBatch(4, 9);
        for (int t = 0; t < 7; t++) {
            assertNull(batch.valuesAt(t));
        }
        assertEquals(4, batch.valuesAt(7).length);
        assertEquals(6, batch.valuesAt(7)[0].length);
    }

    @Test
    void sameSeedSameData() {
        RecallTask task = new RecallTask(4, 2, 10);
        Batch a = task.batches(1, 3, 11).get(0);
        Batch b = task.batches(1, 3, 11).get(0);
        for (int t = 0; t < 10; t++) {
            for (int s = 0; s < 3; s++) {
                assertArrayEquals(a.inputsAt(t)[s], b.inputsAt(t)[s]);
            }
        }
    }

    @Test
    void accuracyPerLagCountsEachBlockOnItsOwn() {
        RecallTask task = new RecallTask(3, 2, 6);
        Batch batch = task.batch(4, new Random(1));
        double[][][] predictions = new double[6][4][];
        for (int t = 0; t < 6; t++) {
            for (int b = 0; b < 4; b++) {
                double[] out = batch.valuesAt(t) == null ? new double[6] : batch.valuesAt(t)[b].clone();
                if (t >= 2) {
                    // lag 2 wrong everywhere: move the 1 of block 1 to the next symbol
                    int right = BatchAssertions.symbol(java.util.Arrays.copyOfRange(out, 3, 6));
                    out[3 + right] = 0;
                    out[3 + (right + 1) % 3] = 1;
                }
                predictions[t][b] = out;
            }
        }
        assertArrayEquals(new double[] {1.0, 0.0}, task.accuracyPerLag(predictions, batch), 1e-12);
    }

    @Test
    void badParametersAndForeignBatchesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RecallTask(1, 2, 10));
        assertThrows(IllegalArgumentException.class, () -> new RecallTask(4, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new RecallTask(4, 5, 5));
        RecallTask task = new RecallTask(4, 2, 10);
        Batch delay = new DelayTask(4, 2, 10).batch(2, new Random(1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> task.accuracyPerLag(new double[10][2][8], delay));
        assertEquals("the batch is not from this task: expected real-valued targets of width 8 (2 lags × 4 symbols)",
                e.getMessage());
    }

    @Test
    void describesItself() {
        RecallTask task = new RecallTask(4, 3, 20);
        assertEquals(4, task.inputSize());
        assertEquals(12, task.outputSize());
        assertEquals(false, task.isClassification());
        assertEquals("Recall: at every step, name each of the last 3 symbols (4 symbols, 20 steps; no target for the"
                + " first 3). Guessing scores 1/4 for every lag.", task.description());
    }
}
