package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers the data tests share: reading one-hot inputs back and comparing batches element by element. */
final class BatchAssertions {
    private BatchAssertions() {
    }

    /** The index of the single 1 in a one-hot vector (fails if the vector is not one-hot). */
    static int symbol(double[] oneHot) {
        int index = -1;
        for (int i = 0; i < oneHot.length; i++) {
            if (oneHot[i] == 1.0) {
                if (index >= 0) {
                    fail("two ones in a one-hot vector");
                }
                index = i;
            } else if (oneHot[i] != 0.0) {
                fail("a one-hot vector holds " + oneHot[i]);
            }
        }
        if (index < 0) {
            fail("a one-hot vector with no 1");
        }
        return index;
    }

    static void assertSameData(Batch expected, Batch actual) {
        assertEquals(expected.length(), actual.length());
        assertEquals(expected.size(), actual.size());
        for (int t = 0; t < expected.length(); t++) {
            assertArrayEquals(expected.inputsAt(t), actual.inputsAt(t), "inputs at step " + t);
            assertArrayEquals(expected.labelsAt(t), actual.labelsAt(t), "labels at step " + t);
            assertArrayEquals(expected.valuesAt(t), actual.valuesAt(t), "values at step " + t);
        }
    }
}
