package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeneratedTextTest {

    @Test
    void sameSeedGivesTheSameTextOfTheRequestedLength() {
        String text = GeneratedText.generate(5000, 3);
        assertEquals(5000, text.length());
        assertEquals(text, GeneratedText.generate(5000, 3));
        assertNotEquals(text, GeneratedText.generate(5000, 4));
    }

    @Test
    void everyCompleteLineHasBalancedBracketsAndClosedQuotes() {
        String text = GeneratedText.generate(20_000, 8);
        int[] depth = GeneratedText.bracketDepth(text);
        boolean[] quoted = GeneratedText.insideQuotes(text);
        int deepest = 0;
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            deepest = Math.max(deepest, depth[i]);
            if (text.charAt(i) == '\n') {
                assertEquals(0, depth[i], "line ends at depth 0");
                assertFalse(quoted[i - 1], "line ends outside quotes");
                assertEquals('}', text.charAt(i - 1));
                lines++;
            }
        }
        assertEquals(GeneratedText.MAX_DEPTH, deepest);
        assertTrue(lines > 50);
    }

    @Test
    void bracketDepthCountsOpeningAndClosingOutsideQuotes() {
        String text = "{a: [1, \"(x]\"], b: (2)}";
        int[] expected = {1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 0};
        assertArrayEquals(expected, GeneratedText.bracketDepth(text));
        assertArrayEquals(new int[] {0, 0, 1}, GeneratedText.bracketDepth(")]("));
    }

    @Test
    void insideQuotesRunsFromTheOpeningQuoteToBeforeTheClosingOne() {
        String text = "a \"b\\\"c\" d\n\"e";
        boolean[] expected = {false, false, true, true, true, true, true, false, false, false, false, true, true};
        assertArrayEquals(expected, GeneratedText.insideQuotes(text));
        assertArrayEquals(new boolean[] {true, true, false, false}, GeneratedText.insideQuotes("\"x\ny"));
    }
}
