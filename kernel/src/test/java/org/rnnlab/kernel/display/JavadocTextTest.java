package org.rnnlab.kernel.display;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavadocTextTest {
    /** Math.max(int, int) as JShell gives it: one space after each line's '*', inline and block tags. */
    private static final String MAX = " Returns the greater of two {@code int} values. That is, the\n"
            + " result is the argument closer to the value of\n"
            + " {@link Integer#MAX_VALUE}. If the arguments have the same value,\n"
            + " the result is that same value.\n"
            + "\n"
            + " @param   a   an argument.\n"
            + " @param   b   another argument.\n"
            + " @return  the larger of {@code a} and {@code b}.\n";

    @Test
    void plainTextHasNoMarkupAndKeepsParagraphsAndTags() {
        assertEquals("Returns the greater of two int values. That is, the result is the argument closer to the value"
                        + " of Integer.MAX_VALUE. If the arguments have the same value, the result is that same value.\n"
                        + "\n"
                        + "Parameters:\n"
                        + "  a - an argument.\n"
                        + "  b - another argument.\n"
                        + "Returns:\n"
                        + "  the larger of a and b.",
                JavadocText.of(MAX).plain());
    }

    @Test
    void htmlMarksCodeAndListsTheBlockTags() {
        String html = JavadocText.of(MAX).html();

        assertTrue(html.contains("two <code>int</code> values"), html);
        assertTrue(html.contains("<code>Integer.MAX_VALUE</code>"), html);
        assertTrue(html.contains("<dl><dt>Parameters:</dt><dd><code>a</code> - an argument.</dd>"), html);
        assertFalse(html.contains("{@"), html);
    }

    @Test
    void paragraphsListsAndPreformattedTextSurviveAsLayout() {
        String raw = "First &amp; foremost: a &lt; b.\n<p>Second\n   paragraph.\n<ul>\n<li>one\n<li>two</ul>\n"
                + "<pre>\n  x = 1;\n  y = 2;\n</pre>\nAfter&nbsp;all &#8212; &#x3c0;.";

        assertEquals("First & foremost: a < b.\n\nSecond paragraph.\n\n  - one\n  - two\n\n  x = 1;\n  y = 2;\n\n"
                + "After all \u2014 \u03c0.", JavadocText.of(raw).plain());
    }

    @Test
    void inlineTagsBecomeTheirText() {
        String raw = "See {@link java.util.List#sort(java.util.Comparator) sorting}, {@linkplain #max(int, int)},"
                + " {@code Map<K, V> m = new HashMap<>() {{ }};} {@literal a<b} {@value Integer#MAX_VALUE}"
                + " {@systemProperty user.home}.";

        assertEquals("See sorting, max(int, int), Map<K, V> m = new HashMap<>() {{ }}; a<b Integer.MAX_VALUE user.home.",
                JavadocText.of(raw).plain());
        assertTrue(JavadocText.of(raw).html().contains("<code>Map&lt;K, V&gt; m = new HashMap&lt;&gt;() {{ }};</code>"));
    }

    @Test
    void throwsAndSeeNameTheirClassesShortAndLinksLoseTheirTargets() {
        String raw = "Reads <a href=\"../io/File.html\">a file</a>.\n"
                + "@throws java.io.IOException if it cannot be read\n"
                + "@see java.lang.Object#toString()\n"
                + "@since 1.5";

        JavadocText doc = JavadocText.of(raw);

        assertEquals("Reads a file.\n\nThrows:\n  IOException - if it cannot be read\nSince:\n  1.5\nSee Also:\n"
                + "  Object.toString()", doc.plain());
        assertFalse(doc.html().contains("href"), doc.html());
    }

    @Test
    void aBlockTagInsideAnInlineTagIsNotABlockTag() {
        String raw = "Use {@code\n@Override\nvoid run()} here.";

        assertEquals("Use @Override void run() here.", JavadocText.of(raw).plain());
    }
}
