package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemporalOrderTest {

    @Test
    void classAtTheLastStepNamesTheOrderOfXAndY() {
        TemporalOrder task = new TemporalOrder(40);
        Batch batch = task.batch(64, new Random(3));
        int[] classCounts = new int[4];
        for (int b = 0; b < 64; b++) {
            StringBuilder sequence = new StringBuilder();
            for (int t = 0; t < 40; t++) {
                sequence.append(TemporalOrder.ALPHABET.charAt(BatchAssertions.symbol(batch.inputsAt(t)[b])));
            }
            String relevant = sequence.toString().replaceAll("[^XY]", "");
            int expected = switch (relevant) {
                case "XX" -> 0;
                case "XY" -> 1;
                case "YX" -> 2;
                case "YY" -> 3;
                default -> throw new AssertionError("expected two relevant symbols in " + sequence);
            };
            assertEquals(expected, batch.labelsAt(39)[b]);
            classCounts[expected]++;
            assertEquals('B', sequence.charAt(0));
            assertEquals('E', sequence.charAt(39));
            assertTrue(sequence.substring(1, 39).replaceAll("[abcdXY]", "").isEmpty(), sequence.toString());
        }
        for (int c : classCounts) {
            assertTrue(c > 5, "every class occurs");
        }
    }

    @Test
    void relevantSymbolsLieInTheirWindowsAndOnlyTheLastStepHasATarget() {
        TemporalOrder task = new TemporalOrder(100);
        assertEquals(new TemporalOrder(100, 10, 20, 50, 60), task);
        Batch batch = task.batch(200, new Random(6));
        for (int b = 0; b < 200; b++) {
            for (int t = 0; t < 100; t++) {
                int symbol = BatchAssertions.symbol(batch.inputsAt(t)[b]);
                boolean relevant = symbol == 4 || symbol == 5;
                boolean inWindow = (t >= 10 && t <= 20) || (t >= 50 && t <= 60);
                assertTrue(!relevant || inWindow, "X or Y at step " + t);
                if (t < 99) {
                    assertEquals(Batch.NO_TARGET, batch.labelsAt(t)[b]);
                }
            }
        }
    }

    @Test
    void defaultWindowsFitEvenTheShortestSequence() {
        Batch batch = new TemporalOrder(4).batch(8, new Random(1));
        for (int b = 0; b < 8; b++) {
            assertTrue(BatchAssertions.symbol(batch.inputsAt(1)[b]) >= 4);
            assertTrue(BatchAssertions.symbol(batch.inputsAt(2)[b]) >= 4);
        }
    }

    @Test
    void overlappingWindowsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TemporalOrder(50, 5, 20, 15, 30));
        assertEquals("secondFrom = 15 is outside the allowed range [21, 48]: the second window starts after "
                + "firstTo = 20 and before the final E", e.getMessage());
    }

    @Test
    void tooShortSequenceIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TemporalOrder(3));
        assertEquals("length = 3 is too small: it must be at least 4", e.getMessage());
    }
}
