package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DelayTaskTest {

    @Test
    void delayTargetIsTheSymbolSeenDelayStepsAgo() {
        DelayTask task = new DelayTask(6, 4, 20);
        Batch batch = task.batch(10, new Random(5));
        for (int t = 0; t < 20; t++) {
            for (int b = 0; b < 10; b++) {
                int label = batch.labelsAt(t)[b];
                if (t < 4) {
                    assertEquals(Batch.NO_TARGET, label, "no target before the delay");
                } else {
                    assertEquals(BatchAssertions.symbol(batch.inputsAt(t - 4)[b]), label);
                }
            }
        }
    }

    @Test
    void zeroDelayEchoesTheCurrentSymbol() {
        Batch batch = new DelayTask(3, 0, 5).batch(4, new Random(1));
        for (int t = 0; t < 5; t++) {
            for (int b = 0; b < 4; b++) {
                assertEquals(BatchAssertions.symbol(batch.inputsAt(t)[b]), batch.labelsAt(t)[b]);
            }
        }
    }

    @Test
    void allSymbolsAppearRoughlyEqually() {
        Batch batch = new DelayTask(4, 1, 100).batch(40, new Random(9));
        int[] counts = new int[4];
        for (int t = 0; t < 100; t++) {
            for (double[] x : batch.inputsAt(t)) {
                counts[BatchAssertions.symbol(x)]++;
            }
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 1000) < 100, "count " + c);
        }
    }

    @Test
    void delayNotShorterThanTheSequenceIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DelayTask(4, 10, 10));
        assertEquals("delay = 10 is outside the allowed range [0, 9]: the delay must be shorter than the "
                + "sequence length 10", e.getMessage());
    }

    @Test
    void fewerThanTwoSymbolsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DelayTask(1, 0, 10));
        assertEquals("symbols = 1 is too small: it must be at least 2", e.getMessage());
    }

    @Test
    void isAValueComparedByItsParameters() {
        assertEquals(new DelayTask(4, 2, 10), new DelayTask(4, 2, 10));
        assertEquals("DelayTask[symbols=4, delay=2, length=10]", new DelayTask(4, 2, 10).toString());
    }
}
