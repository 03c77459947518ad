package org.rnnlab.kernel.display;

import org.apache.commons.text.StringEscapeUtils;

/**
 * The kernel's one HTML escaper, for every piece of text put into {@code text/html} (tables, matrices,
 * {@code %vars}, Javadoc, progress bars): Apache Commons Text's {@code StringEscapeUtils.escapeHtml4}, which
 * escapes {@code < > & "} and writes characters that have an HTML 4 name as that entity.
 */
public final class Html {
    private Html() {
    }

    /** {@code text} escaped for HTML element content and quoted attribute values; null becomes "". */
    public static String escape(String text) {
        return text == null ? "" : StringEscapeUtils.escapeHtml4(text);
    }
}
