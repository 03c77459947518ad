package org.rnnlab.kernel.errors;

import org.junit.jupiter.api.Test;
import org.rnnlab.kernel.api.CellInterruptedError;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorFormatterTest {
    private final ErrorFormatter formatter = new ErrorFormatter(
            Map.of("12", new ErrorFormatter.SnippetOrigin(3, 2), "9", new ErrorFormatter.SnippetOrigin(2, 1))::get);

    private static StackTraceElement frame(String cls, String method, String file, int line) {
        return new StackTraceElement(cls, method, file, line);
    }

    @Test
    void compileErrorPointsAtLineAndColumnWithCaret() {
        CellError e = ErrorFormatter.compileError("int a = 1;\nString s = 42;", 22, "incompatible types");

        assertEquals("CompilationException", e.ename());
        assertEquals("line 2, column 12: incompatible types", e.evalue());
        assertEquals(List.of("Compile error at line 2, column 12:", "  incompatible types", "",
                "   2 | String s = 42;", "                  ^"), e.traceback());
    }

    @Test
    void runtimeTraceIsCutBelowCellCodeAndNamesCellsAndLines() {
        RuntimeException boom = new IllegalStateException("bad state");
        StackTraceElement[] translated = {
                frame("java.util.Objects", "requireNonNull", "Objects.java", 233),
                frame("", "helper", "#9", 2),
                frame("", "", "#12", 1),
                frame("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", null, -2),
                frame("org.rnnlab.kernel.exec.NotebookExecutionControl", "lambda$invoke$1", "X.java", 10),
                frame("java.lang.Thread", "run", "Thread.java", 833)};

        CellError e = formatter.runtimeError(boom, List.<StackTraceElement[]>of(translated));

        assertEquals("java.lang.IllegalStateException", e.ename());
        assertEquals("bad state", e.evalue());
        assertEquals(List.of("java.lang.IllegalStateException: bad state",
                "    at java.base/java.util.Objects.requireNonNull(Objects.java:233)".replace("java.base/", ""),
                "    at helper (cell [2], line 2)",
                "    at <cell> (cell [3], line 2)"), e.traceback());
    }

    @Test
    void wrapperClassFramesAreRenamedToTheUsersClass() {
        Throwable t = new ArithmeticException("/ by zero");
        t.setStackTrace(new StackTraceElement[] {
                frame("REPL.$JShell$14$Model", "step", "$JShell$14.java", 5),
                frame("REPL.$JShell$15", "do_it$", "$JShell$15.java", 8),
                frame("java.lang.reflect.Method", "invoke", "Method.java", 568)});

        List<String> tb = formatter.runtimeError(t).traceback();

        assertEquals(3, tb.size());
        assertTrue(tb.get(1).contains("Model.step"));
        assertTrue(tb.get(2).contains("<cell>"));
        assertFalse(String.join("\n", tb).contains("REPL."));
    }

    @Test
    void causesAreReportedWithTheirOwnTrimmedFrames() {
        Exception cause = new java.io.IOException("disk");
        cause.setStackTrace(new StackTraceElement[] {frame("REPL.$JShell$3", "do_it$", "x", 1),
                frame("jdk.jshell.execution.DirectExecutionControl", "invoke", "y", 1)});
        RuntimeException top = new RuntimeException("wrapped", cause);
        top.setStackTrace(cause.getStackTrace());

        List<String> tb = formatter.runtimeError(top).traceback();

        assertTrue(tb.contains("Caused by: java.io.IOException: disk"));
        assertFalse(String.join("\n", tb).contains("jdk.jshell"));
    }

    @Test
    void interruptSaysWhereTheCellStopped() {
        CellInterruptedError stop = new CellInterruptedError();
        StackTraceElement[] translated = {frame("org.rnnlab.kernel.api.CellControl", "check", "CellControl.java", 25),
                frame("", "", "#12", 3)};

        CellError e = formatter.runtimeError(stop, List.<StackTraceElement[]>of(translated));

        assertEquals(CellInterruptedError.class.getName(), e.ename());
        assertTrue(e.traceback().get(0).startsWith("Interrupted:"));
        assertEquals("It stopped at <cell> (cell [3], line 4).", e.traceback().get(1));
    }

    @Test
    void veryDeepTracesAreShortened() {
        Throwable t = new StackOverflowError();
        StackTraceElement[] frames = new StackTraceElement[1000];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame("", "recurse", "#9", 1);
        }
        t.setStackTrace(frames);

        List<String> tb = formatter.runtimeError(t).traceback();

        assertTrue(tb.size() < 50);
        assertTrue(tb.get(tb.size() - 1).contains("more"));
    }
}
