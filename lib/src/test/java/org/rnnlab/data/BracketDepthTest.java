package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BracketDepthTest {

    @Test
    void targetIsTheNestingDepthCountedFromTheInputs() {
        Batch batch = new BracketDepth(60, 4).batch(30, new Random(12));
        int[] depthCounts = new int[5];
        for (int b = 0; b < 30; b++) {
            int depth = 0;
            for (int t = 0; t < 60; t++) {
                char c = BracketDepth.ALPHABET.charAt(BatchAssertions.symbol(batch.inputsAt(t)[b]));
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                assertTrue(depth >= 0 && depth <= 4, "depth stays within 0..maxDepth, got " + depth);
                assertEquals(depth, batch.labelsAt(t)[b]);
                depthCounts[depth]++;
            }
        }
        for (int count : depthCounts) {
            assertTrue(count > 0, "every depth occurs");
        }
    }

    @Test
    void outputClassesAreTheDepthsZeroToMaxDepth() {
        assertEquals(4, new BracketDepth(10, 3).outputSize());
        assertEquals(4, new BracketDepth(10, 3).inputSize());
    }

    @Test
    void maxDepthBelowOneIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BracketDepth(10, 0));
        assertEquals("maxDepth = 0 is too small: it must be at least 1", e.getMessage());
    }
}
