package org.rnnlab.plot;

import org.apache.commons.text.translate.EntityArrays;

/**
 * The one HTML escaper of the library's notebook output (tables, matrices, {@link TextHeat}): character for
 * character what Commons Text's {@code StringEscapeUtils.escapeHtml4} writes, which is also what the RNN Lab kernel
 * uses, so a table looks the same whichever of them draws it. {@code < > & "} and every character with an HTML 4
 * name become that entity; an apostrophe stays as it is (the library writes attributes in double quotes).
 *
 * <p>It looks the characters up in Commons Text's own entity tables rather than calling {@code escapeHtml4},
 * whose class needs a recent Commons Lang: IJava 1.3.0 has Commons Lang 3.8.1 on its own class path, which wins
 * over a notebook's, and {@code StringEscapeUtils} then fails to load.
 */
public final class Html {
    private Html() {
    }

    /** The text with its HTML-significant and named characters as entities; null is "". */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            String c = String.valueOf(text.charAt(i));
            CharSequence entity = EntityArrays.BASIC_ESCAPE.get(c);
            if (entity == null) {
                entity = EntityArrays.ISO8859_1_ESCAPE.get(c);
            }
            if (entity == null) {
                entity = EntityArrays.HTML40_EXTENDED_ESCAPE.get(c);
            }
            out.append(entity == null ? c : entity);
        }
        return out.toString();
    }
}
