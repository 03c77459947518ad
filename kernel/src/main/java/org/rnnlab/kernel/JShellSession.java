package org.rnnlab.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.rnnlab.kernel.display.Html;
import org.rnnlab.kernel.display.JavadocText;
import org.rnnlab.kernel.errors.CellError;
import org.rnnlab.kernel.exec.NotebookExecutionControl;
import org.rnnlab.kernel.magic.CellParser;

import java.io.File;
import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The notebook's JShell: its start-up (in the background, as the JVM starts), its class path, the evaluation of
 * snippets in this JVM ({@link NotebookExecutionControl}, which also holds the interrupt), and what code analysis
 * answers: whether code is complete, completions, and documentation for inspection.
 *
 * <p>Only the notebook-API import is evaluated at start-up; JShell's default imports wait in a queue and are
 * evaluated when the kernel is idle ({@link #finishImports()}, usually before the first cell arrives), or else
 * before the first snippet of the first cell, a completion or an inspection. Never after a student's snippet: an
 * import added then can make JShell recompile the student's earlier declarations, and a recompiled variable loses
 * its value (lesson builds under heavy load saw variables of earlier cells read null, in classes recompiled with a
 * B suffix).
 */
public final class JShellSession {
    private static final Logger LOG = Logger.getLogger("rnnlab.kernel");

    /** The notebook API, imported into every notebook. */
    static final String NOTEBOOK_IMPORT = "import static org.rnnlab.kernel.api.Notebook.*;";
    /** The other imports every notebook starts with: JShell's defaults. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.concurrent.*;", "import java.util.regex.*;");

    /** How complete a piece of code is, for Jupyter's {@code is_complete_request} and for telling magics from code. */
    public enum Completeness {
        /** Ends at a statement boundary. */
        COMPLETE,
        /** Needs more lines. */
        INCOMPLETE,
        /** Cannot become valid code. */
        INVALID,
        /** Not known (JShell did not start). */
        UNKNOWN
    }

    /** Completion candidates replacing {@code [start, end)} of the code. */
    public record Completion(List<String> matches, int start, int end) {
    }

    /** What inspection shows: plain text, and HTML when there is Javadoc (else null). */
    public record Documentation(String text, String html) {
    }

    private final NotebookExecutionControl control = NotebookExecutionControl.create();
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Queue<String> pendingImports = new ConcurrentLinkedQueue<>();
    private final Set<String> classpath = Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile JShell jshell;
    private volatile SourceCodeAnalysis analysis;
    private volatile Throwable startupFailure;
    private Thread starter;

    /** A session whose notebook code prints to {@code out} and {@code err}. Nothing starts yet. */
    JShellSession(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        control.classLoader().setDefaultAssertionStatus(true);
    }

    /** The execution engine: last value, last exception, interrupt. */
    NotebookExecutionControl control() {
        return control;
    }

    /**
     * Starts JShell on a background thread (once). Called as early as possible, so the compiler warms up
     * while the JVM is still connecting to the client.
     */
    synchronized void startInBackground() {
        if (starter != null) {
            return;
        }
        starter = new Thread(this::start, "jshell-start");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * Starts JShell on this thread: the notebook API import, which pays for the compiler's start-up, and one
     * expression to warm the evaluation path; the default imports are queued.
     */
    void start() {
        long t0 = System.nanoTime();
        try {
            JShell shell = JShell.builder()
                    .executionEngine(control.provider(), Map.of())
                    .out(out)
                    .err(err)
                    .build();
            long t1 = System.nanoTime();
            evalImport(shell, NOTEBOOK_IMPORT);
            SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
            sca.analyzeCompletion("1+1");
            shell.eval("1+1");
            control.takeLastValue();
            pendingImports.addAll(DEFAULT_IMPORTS);
            this.analysis = sca;
            this.jshell = shell;
            long t2 = System.nanoTime();
            LOG.fine(() -> String.format("JShell built in %d ms, API import and warm-up cell in %d ms",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000));
        } catch (Throwable t) {
            startupFailure = t;
            LOG.log(Level.SEVERE, "JShell could not start", t);
        } finally {
            ready.countDown();
        }
    }

    private static void evalImport(JShell shell, String imp) {
        for (SnippetEvent ev : shell.eval(imp)) {
            if (ev.status() == Snippet.Status.REJECTED) {
                LOG.warning("default import failed: " + imp);
            }
        }
    }

    /** Evaluates the default imports not evaluated yet (on the shell thread, like every JShell use). */
    void finishImports() {
        if (jshell == null) {
            return;
        }
        String imp;
        while ((imp = pendingImports.poll()) != null) {
            evalImport(jshell, imp);
        }
    }

    /** Waits until JShell has started; an error for the notebook if it could not. */
    void awaitReady() throws CellError {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (jshell == null) {
            throw new CellError("KernelStartupError", "JShell could not start: " + startupFailure,
                    List.of("JShell could not start in this JVM: " + startupFailure,
                            "The kernel needs a full JDK (with the jdk.jshell and jdk.compiler modules), "
                                    + "not a JRE. Reinstall the kernel with a JDK's java (install --java PATH)."));
        }
    }

    private boolean awaitQuietly() {
        try {
            awaitReady();
            return true;
        } catch (CellError e) {
            return false;
        }
    }

    /** Closes JShell, if it started. */
    void close() {
        JShell shell = jshell;
        if (shell != null) {
            try {
                shell.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing JShell", e);
            }
        }
    }

    // ---------------------------------------------------------------- class path

    /** Adds jars or class folders to the class path (compiler and class loader); returns how many were new. */
    int addToClasspath(List<File> files) {
        int added = 0;
        for (File f : files) {
            String path = f.getAbsolutePath();
            if (classpath.add(path)) {
                jshell.addToClasspath(path);
                added++;
            }
        }
        return added;
    }

    /** The class path added so far, in order (a copy). */
    Set<String> classpath() {
        synchronized (classpath) {
            return new LinkedHashSet<>(classpath);
        }
    }

    // ---------------------------------------------------------------- evaluation

    /** Evaluates one snippet, after the default imports if any are still queued (see the class comment). */
    List<SnippetEvent> eval(String source) {
        finishImports();
        return jshell.eval(source);
    }

    /** JShell's analysis of where the first snippet of {@code code} ends. */
    SourceCodeAnalysis.CompletionInfo analyzeCompletion(String code) {
        return analysis.analyzeCompletion(code);
    }

    Snippet.Status status(Snippet snippet) {
        return jshell.status(snippet);
    }

    /** The compile errors of a snippet. */
    List<Diag> errors(Snippet snippet) {
        return jshell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
    }

    /** What a declaration still needs to be declared before it can be used. */
    Stream<String> unresolvedDependencies(DeclarationSnippet snippet) {
        return jshell.unresolvedDependencies(snippet);
    }

    /** The valid variables the notebook declared (not JShell's {@code $1} temporaries), in order. */
    Stream<VarSnippet> variables() {
        return jshell.variables().filter(v -> jshell.status(v) == Snippet.Status.VALID)
                .filter(v -> !v.name().startsWith("$"));
    }

    /** A variable's value as JShell prints it. */
    String varValue(VarSnippet v) {
        return jshell.varValue(v);
    }

    /** Sets a reference variable to null (to free what it holds). */
    void clear(VarSnippet v) {
        jshell.eval(v.name() + " = null;");
        control.takeLastValue();
    }

    // ---------------------------------------------------------------- analysis

    /** Whether notebook code (magic lines are ignored) is complete, needs more lines, or cannot be valid. */
    Completeness completeness(String code) {
        if (!awaitQuietly()) {
            return Completeness.UNKNOWN;
        }
        String remaining = CellParser.blankMagics(code);
        while (true) {
            if (remaining.isBlank()) {
                return Completeness.COMPLETE;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    if (info.remaining().length() >= remaining.length()) {
                        return Completeness.COMPLETE;
                    }
                    remaining = info.remaining();
                    break;
                case EMPTY:
                    return Completeness.COMPLETE;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return Completeness.INCOMPLETE;
                default:
                    return Completeness.INVALID;
            }
        }
    }

    /** Offset where the snippet containing {@code at} begins, so analysis sees one snippet only. */
    private int snippetStart(String src, int at) {
        String remaining = src.substring(0, at);
        int pos = 0;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                break;
            }
            int consumed = remaining.length() - info.remaining().length();
            if (consumed <= 0) {
                break;
            }
            pos += consumed;
            remaining = info.remaining();
        }
        return pos;
    }

    /** Java completions at {@code cursor} (magic lines are blanked), or null when JShell did not start. */
    Completion complete(String code, int cursor) {
        if (!awaitQuietly()) {
            return null;
        }
        finishImports();
        String src = CellParser.blankMagics(code);
        int start = snippetStart(src, cursor);
        int[] anchor = new int[1];
        List<String> matches = analysis.completionSuggestions(src.substring(start, cursor), cursor - start, anchor)
                .stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().collect(Collectors.toList());
        return new Completion(matches, start + anchor[0], cursor);
    }

    /**
     * The signatures and Javadoc of what is at {@code at} (each overload), else the type of the expression there;
     * null if nothing is known.
     */
    Documentation inspect(String code, int at) {
        if (!awaitQuietly()) {
            return null;
        }
        finishImports();
        String src = CellParser.blankMagics(code);
        int end = Math.max(0, Math.min(at, src.length()));
        while (end < src.length() && Character.isJavaIdentifierPart(src.charAt(end))) {
            end++;
        }
        int start = snippetStart(src, end);
        String piece = src.substring(start, end);
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(piece, piece.length(), true);
        if (docs.isEmpty() && !piece.isBlank()) {
            docs = analysis.documentation(piece + "(", piece.length() + 1, true);
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        boolean documented = false;
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
                html.append("<hr>");
            }
            text.append(d.signature());
            html.append("<pre>").append(Html.escape(d.signature())).append("</pre>");
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                JavadocText doc = JavadocText.of(d.javadoc());
                text.append("\n").append(doc.plain());
                html.append("<div>").append(doc.html()).append("</div>");
                documented = true;
            }
        }
        if (text.length() == 0) {
            String type = analysis.analyzeType(piece, piece.length());
            if (type == null || type.isBlank()) {
                return null;
            }
            text.append(piece.strip()).append(" : ").append(type);
        }
        return new Documentation(text.toString(), documented ? html.toString() : null);
    }
}
