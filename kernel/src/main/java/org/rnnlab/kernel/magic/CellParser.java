package org.rnnlab.kernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Splits a cell into Java code and magics, IJava style.
 *
 * <p>A cell whose first line starts with {@code %%name} is a cell magic applied to the rest of the cell.
 * Otherwise a line starting with {@code %name} is a line magic, run in order with the code around it, but
 * only where the code before it is complete (so a continued expression such as {@code a\n % b} stays code).
 * Offsets are kept so that errors can point at lines of the original cell.
 */
public final class CellParser {
    private CellParser() {
    }

    /** One piece of a cell. */
    public interface Part {
        /** Offset of the piece in the cell's text. */
        int offset();
    }

    /** Java code, to be evaluated by JShell. */
    public record Code(String text, int offset) implements Part {
    }

    /** A line magic such as {@code %maven g:a:v}. */
    public record LineMagic(String name, String args, int offset) implements Part {
    }

    /** A cell magic such as {@code %%time}: the name, the rest of its line, and the cell body below it. */
    public record CellMagic(String name, String args, String body, int offset, int bodyOffset) implements Part {
    }

    /**
     * Parses a cell.
     *
     * @param cell             the cell's source
     * @param codeIsComplete   tells whether a piece of code is complete (ends at a statement boundary)
     * @return the pieces in order; a single {@link CellMagic} when the cell starts with {@code %%}
     */
    public static List<Part> parse(String cell, Predicate<String> codeIsComplete) {
        List<Part> parts = new ArrayList<>();
        int firstNonBlank = 0;
        while (firstNonBlank < cell.length() && Character.isWhitespace(cell.charAt(firstNonBlank))) {
            firstNonBlank++;
        }
        if (cell.startsWith("%%", firstNonBlank)) {
            int eol = cell.indexOf('\n', firstNonBlank);
            String header = eol < 0 ? cell.substring(firstNonBlank + 2) : cell.substring(firstNonBlank + 2, eol);
            String body = eol < 0 ? "" : cell.substring(eol + 1);
            String[] nameArgs = splitNameArgs(header);
            parts.add(new CellMagic(nameArgs[0], nameArgs[1], body, firstNonBlank, eol < 0 ? cell.length() : eol + 1));
            return parts;
        }
        StringBuilder code = new StringBuilder();
        int codeStart = 0;
        int pos = 0;
        while (pos < cell.length()) {
            int eol = cell.indexOf('\n', pos);
            int next = eol < 0 ? cell.length() : eol + 1;
            String line = cell.substring(pos, eol < 0 ? cell.length() : eol);
            String trimmed = line.strip();
            boolean magic = trimmed.startsWith("%") && !trimmed.startsWith("%%")
                    && trimmed.length() > 1 && Character.isJavaIdentifierStart(trimmed.charAt(1))
                    && (code.toString().isBlank() || codeIsComplete.test(code.toString()));
            if (magic) {
                if (!code.toString().isBlank()) {
                    parts.add(new Code(code.toString(), codeStart));
                }
                code.setLength(0);
                String[] nameArgs = splitNameArgs(trimmed.substring(1));
                parts.add(new LineMagic(nameArgs[0], nameArgs[1], pos + line.indexOf('%')));
                codeStart = next;
            } else {
                if (code.length() == 0) {
                    codeStart = pos;
                }
                code.append(cell, pos, next);
            }
            pos = next;
        }
        if (!code.toString().isBlank()) {
            parts.add(new Code(code.toString(), codeStart));
        }
        return parts;
    }

    private static String[] splitNameArgs(String header) {
        String h = header.strip();
        int space = 0;
        while (space < h.length() && !Character.isWhitespace(h.charAt(space))) {
            space++;
        }
        return new String[] {h.substring(0, space), h.substring(space).strip()};
    }

    /**
     * Splits magic arguments like a shell: on whitespace, with single or double quotes keeping spaces.
     */
    public static List<String> splitArgs(String args) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (char ch : args.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inToken = true;
            } else if (Character.isWhitespace(ch)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(ch);
                inToken = true;
            }
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Replaces magic lines by blanks of the same length, so code analysis keeps the cell's offsets. */
    public static String blankMagics(String cell) {
        StringBuilder sb = new StringBuilder(cell.length());
        int pos = 0;
        while (pos < cell.length()) {
            int eol = cell.indexOf('\n', pos);
            int end = eol < 0 ? cell.length() : eol;
            String line = cell.substring(pos, end);
            if (line.strip().startsWith("%")) {
                sb.append(" ".repeat(line.length()));
            } else {
                sb.append(line);
            }
            if (eol >= 0) {
                sb.append('\n');
            }
            pos = end + 1;
        }
        return sb.toString();
    }
}
