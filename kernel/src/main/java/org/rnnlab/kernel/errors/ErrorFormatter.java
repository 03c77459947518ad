package org.rnnlab.kernel.errors;

import org.rnnlab.kernel.api.CellExitError;
import org.rnnlab.kernel.api.CellInterruptedError;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import java.util.function.Function;

/**
 * Writes errors the way a student can read them.
 *
 * <p>Compile errors point at the line and column of the cell, with the line and a caret. Runtime exceptions
 * keep their real class name and message; their stack trace is cut below the cell's own code (no JShell,
 * reflection or kernel frames), and frames of cell code name the cell and line instead of JShell's generated
 * wrapper classes ({@code REPL.$JShell$12.do_it$}).
 */
public final class ErrorFormatter {
    /** Name used for compile errors (as IJava does). */
    public static final String COMPILATION = "CompilationException";
    private static final int MAX_FRAMES = 40;
    private static final String SNIPPET_CLASS_PREFIX = "REPL.";

    /** Where a snippet came from: the cell's execution count and the snippet's first line in the cell. */
    public record SnippetOrigin(int executionCount, int firstLine) {
    }

    private final Function<String, SnippetOrigin> snippetOrigins;

    /**
     * @param snippetOrigins finds where a JShell snippet id came from (null when unknown)
     */
    public ErrorFormatter(Function<String, SnippetOrigin> snippetOrigins) {
        this.snippetOrigins = snippetOrigins;
    }

    /**
     * A compile error at an offset of the cell.
     *
     * @param cell    the cell's source
     * @param start   offset where the error starts
     * @param message the compiler's message (may have several lines)
     */
    public static CellError compileError(String cell, int start, String message) {
        int line = 1;
        int lineStart = 0;
        int clamped = Math.max(0, Math.min(start, cell.length()));
        for (int i = 0; i < clamped; i++) {
            if (cell.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int lineEnd = cell.indexOf('\n', lineStart);
        String text = cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd);
        int column = clamped - lineStart + 1;
        List<String> tb = new ArrayList<>();
        tb.add("Compile error at line " + line + ", column " + column + ":");
        for (String m : message.split("\n")) {
            tb.add("  " + m);
        }
        tb.add("");
        tb.add(String.format("%4d | %s", line, text));
        tb.add("       " + " ".repeat(Math.max(0, column - 1)) + "^");
        String first = message.split("\n")[0];
        return new CellError(COMPILATION, "line " + line + ", column " + column + ": " + first, tb);
    }

    /** A runtime exception thrown by cell code, as the real object. */
    public CellError runtimeError(Throwable t) {
        return runtimeError(t, List.of());
    }

    /**
     * A runtime exception thrown by cell code.
     *
     * @param t          the real exception object (its class, message and causes are reported)
     * @param frameChain JShell's stack traces for {@code t} and its causes, in which frames of cell code carry
     *                   the snippet id and the line within the snippet; used instead of {@code t}'s own
     *                   frames (which name JShell's generated wrapper source) where available
     */
    public CellError runtimeError(Throwable t, List<StackTraceElement[]> frameChain) {
        if (t instanceof CellInterruptedError) {
            List<String> tb = new ArrayList<>();
            tb.add("Interrupted: " + t.getMessage() + ".");
            String where = firstUserFrame(frameChain.isEmpty() || frameChain.get(0) == null
                    ? t.getStackTrace() : frameChain.get(0));
            if (where != null) {
                tb.add("It stopped " + where + ".");
            }
            return new CellError(t.getClass().getName(), t.getMessage(), tb);
        }
        if (t instanceof CellExitError) {
            return new CellError(t.getClass().getName(), t.getMessage(), List.of(t.getMessage()));
        }
        List<String> tb = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = t;
        boolean first = true;
        int level = 0;
        while (current != null && seen.add(current)) {
            tb.add((first ? "" : "Caused by: ") + describe(current));
            StackTraceElement[] frames = level < frameChain.size() && frameChain.get(level) != null
                    ? frameChain.get(level) : current.getStackTrace();
            level++;
            for (String frame : userFrames(frames)) {
                tb.add("    at " + frame);
            }
            first = false;
            current = current.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            tb.add("");
            tb.add("The kernel's heap is limited to " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB (reinstall with --heap to change it). Memory held by this cell was released; "
                    + "set large variables of earlier cells to null, or restart the kernel, to free more.");
        }
        return new CellError(t.getClass().getName(), t.getMessage() == null ? "" : clean(t.getMessage()), tb);
    }

    /** {@code Class: message}, with JShell's wrapper-class names taken out of the message. */
    static String describe(Throwable t) {
        String message = t.getLocalizedMessage();
        return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + clean(message);
    }

    /**
     * Removes JShell's generated class names from a message, e.g. the JVM's helpful
     * {@code because "REPL.$JShell$12.o" is null} becomes {@code because "o" is null}.
     */
    static String clean(String message) {
        return message.replaceAll("REPL\\.\\$JShell\\$\\d+[.$]", "");
    }

    /** The frames worth showing: down to the last frame of cell code, cell frames renamed. */
    List<String> userFrames(StackTraceElement[] frames) {
        int lastUser = -1;
        for (int i = 0; i < frames.length; i++) {
            if (isCellFrame(frames[i])) {
                lastUser = i;
            }
        }
        int end = lastUser >= 0 ? lastUser + 1 : firstMachineryFrame(frames);
        int begin = 0;
        while (begin < end && frames[begin].getClassName().startsWith("org.rnnlab.kernel.api.CellControl")) {
            begin++;
        }
        List<String> out = new ArrayList<>();
        for (int i = begin; i < end; i++) {
            if (out.size() == MAX_FRAMES) {
                out.add("... " + (end - i) + " more");
                break;
            }
            out.add(describe(frames[i]));
        }
        return out;
    }

    private static int firstMachineryFrame(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            String c = frames[i].getClassName();
            if (c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")
                    || c.startsWith("org.rnnlab.kernel.") && !c.startsWith("org.rnnlab.kernel.api.")
                    || c.startsWith("jdk.jshell.") || c.startsWith("java.util.concurrent.")) {
                return i;
            }
        }
        return frames.length;
    }

    private String firstUserFrame(StackTraceElement[] frames) {
        for (StackTraceElement e : frames) {
            if (isCellFrame(e)) {
                return "at " + describe(e);
            }
        }
        return null;
    }

    /** Whether a frame is in cell code (JShell names such frames' file {@code #<snippet id>}). */
    static boolean isCellFrame(StackTraceElement e) {
        return e.getClassName().startsWith(SNIPPET_CLASS_PREFIX)
                || e.getFileName() != null && e.getFileName().startsWith("#");
    }

    /** One frame: cell code as {@code name (cell [n], line k)}, other code as the JVM writes it. */
    String describe(StackTraceElement e) {
        if (!isCellFrame(e)) {
            return e.toString();
        }
        String cls = e.getClassName();
        String method = e.getMethodName();
        if (cls.startsWith(SNIPPET_CLASS_PREFIX)) {
            String owner = cls.substring(SNIPPET_CLASS_PREFIX.length());
            int marker = owner.indexOf("$JShell$");
            int dollar = marker < 0 ? -1 : owner.indexOf('$', marker + "$JShell$".length());
            cls = dollar > 0 ? owner.substring(dollar + 1).replace('$', '.') : "";
        }
        String name;
        if ("do_it$".equals(method) || method.isEmpty() && cls.isEmpty()) {
            name = "<cell>";
        } else {
            name = cls.isEmpty() ? method : cls + "." + method;
        }
        String file = e.getFileName();
        SnippetOrigin origin = file != null && file.startsWith("#") ? snippetOrigins.apply(file.substring(1)) : null;
        if (origin == null) {
            return name + " (" + (file == null ? "cell" : file) + ":" + e.getLineNumber() + ")";
        }
        int line = origin.firstLine() + Math.max(1, e.getLineNumber()) - 1;
        return name + " (cell [" + origin.executionCount() + "], line " + line + ")";
    }
}
