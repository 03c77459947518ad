package org.rnnlab.kernel.exec;

/**
 * Finds where the first top-level statement or declaration of a cell ends, for the cases JShell's own source
 * analysis cannot decide. JDK 17's {@code SourceCodeAnalysis.analyzeCompletion} answers UNKNOWN for a cell whose
 * method uses an arrow-form {@code switch} ({@code case "a" -> …}) and hands back the whole rest of the cell as one
 * snippet, so everything after the method was dropped or misreported. JDK 21 and later split such cells correctly.
 *
 * <p>The scan skips strings, text blocks, character literals and comments, tracks (), [] and {} and ends a unit at
 * a {@code ;} outside all brackets, or at a {@code }} that closes the outermost block unless the code goes on with
 * {@code else}, {@code catch}, {@code finally}, {@code while} or punctuation that continues the statement.
 */
public final class TopLevelSplitter {
    private TopLevelSplitter() {
    }

    /** The length of the first top-level unit of {@code code}, or −1 when it is the whole of the code. */
    public static int firstUnit(String code) {
        int depth = 0;
        int n = code.length();
        int i = 0;
        while (i < n) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
                i = lineEnd(code, i);
                continue;
            }
            if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (c == '"' && code.startsWith("\"\"\"", i)) {
                int end = code.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                continue;
            }
            if (c == '"' || c == '\'') {
                i = quoteEnd(code, i, c);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth = Math.max(0, depth - 1);
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
                if (depth == 0 && endsHere(code, i + 1)) {
                    return restIsCode(code, i + 1) ? i + 1 : -1;
                }
            } else if (c == ';' && depth == 0) {
                return restIsCode(code, i + 1) ? i + 1 : -1;
            }
            i++;
        }
        return -1;
    }

    private static boolean endsHere(String code, int from) {
        String rest = code.substring(from).stripLeading();
        if (rest.isEmpty()) {
            return true;
        }
        char next = rest.charAt(0);
        if (";,).]}:?=+-*/&|^%<>!".indexOf(next) >= 0) {
            return false;
        }
        for (String word : new String[] {"else", "catch", "finally", "while"}) {
            if (rest.startsWith(word) && (rest.length() == word.length()
                    || !Character.isJavaIdentifierPart(rest.charAt(word.length())))) {
                return false;
            }
        }
        return true;
    }

    private static boolean restIsCode(String code, int from) {
        int i = from;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (code.startsWith("//", i)) {
                i = lineEnd(code, i);
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? code.length() : end + 2;
            } else {
                return true;
            }
        }
        return false;
    }

    private static int lineEnd(String code, int from) {
        int end = code.indexOf('\n', from);
        return end < 0 ? code.length() : end;
    }

    private static int quoteEnd(String code, int from, char quote) {
        int i = from + 1;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote || c == '\n') {
                return i + 1;
            }
            i++;
        }
        return code.length();
    }
}
