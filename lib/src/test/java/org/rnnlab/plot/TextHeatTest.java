package org.rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class TextHeatTest {

    private static int count(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void htmlHasOneSpanPerCharacterIncludingSpacesAndNewlines() {
        String text = "ab c\nd";
        String html = TextHeat.of(text, new double[text.length()]).toHtml();
        assertEquals(text.length(), count(html, "<span"));
        assertEquals(text.length(), count(html, "</span>"));
        assertTrue(html.contains("white-space:pre-wrap"), html);
        assertTrue(html.contains("monospace"), html);
        assertTrue(html.contains(">\n</span>"), html);
    }

    @Test
    void htmlEscapesMarkupAndQuotes() {
        String text = "<b>&\"'";
        String html = TextHeat.of(text, new double[text.length()]).toHtml();
        assertFalse(html.contains("<b>"), html);
        assertTrue(html.contains("&lt;"));
        assertTrue(html.contains("&gt;"));
        assertTrue(html.contains("&amp;"));
        assertTrue(html.contains("&quot;"));
        assertTrue(html.contains(">'</span>"), "an apostrophe needs no entity in element text: " + html);
        assertEquals(text.length(), count(html, "<span"));
    }

    @Test
    void backgroundEncodesActivationBlueForNegativeRedForPositive() {
        String html = TextHeat.of("ab", new double[] {-1, 1}).toHtml();
        assertTrue(html.contains(String.format("background-color:#%06x", Palette.diverging(-1).getRGB() & 0xFFFFFF)));
        assertTrue(html.contains(String.format("background-color:#%06x", Palette.diverging(1).getRGB() & 0xFFFFFF)));
        assertTrue(html.contains("color:#fff"), "dark backgrounds get white text");
    }

    @Test
    void oneActivationPerCodePointSoEmojiStayWhole() {
        String text = "a😀";
        String html = TextHeat.of(text, new double[] {0, 0.5}).toHtml();
        assertEquals(2, count(html, "<span"));
        assertTrue(html.contains("😀</span>"));
    }

    @Test
    void lengthMismatchAndNaNAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextHeat.of("abc", new double[2]));
        assertTrue(e.getMessage().contains("3 characters but activation has 2"), e.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () ->
                TextHeat.of("ab", new double[] {0, Double.NaN}));
        assertTrue(nan.getMessage().contains("activation 1"), nan.getMessage());
    }

    @Test
    void toStringMarksStrongActivationsUnderEachLine() {
        String s = TextHeat.of("abcd\nef", new double[] {0.9, -0.9, 0.3, 0, 0, 1, -1}).toString();
        assertEquals("abcd\n+-.\nef\n+-\n", s);
    }
}
