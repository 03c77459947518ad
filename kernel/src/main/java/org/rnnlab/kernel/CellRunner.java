package org.rnnlab.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.rnnlab.kernel.api.CellInterruptedError;
import org.rnnlab.kernel.api.DisplayBundle;
import org.rnnlab.kernel.display.RendererRegistry;
import org.rnnlab.kernel.errors.CellError;
import org.rnnlab.kernel.errors.ErrorFormatter;
import org.rnnlab.kernel.errors.ErrorFormatter.SnippetOrigin;
import org.rnnlab.kernel.exec.NotebookExecutionControl;
import org.rnnlab.kernel.exec.TopLevelSplitter;
import org.rnnlab.kernel.magic.CellParser;
import org.rnnlab.kernel.magic.MagicContext;
import org.rnnlab.kernel.magic.Magics;
import org.rnnlab.kernel.maven.MavenResolver;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The pipeline a cell goes through: split into magics and code ({@link CellParser}); magics run from the
 * {@link Magics} registry, code cut into snippets and evaluated one by one by the {@link JShellSession}, in
 * order; the value of the last expression rendered by the {@link RendererRegistry}; an interrupt noticed between
 * snippets; compile errors and exceptions turned into errors that point at the cell's own lines
 * ({@link ErrorFormatter}); after an {@code OutOfMemoryError}, the cell's variables released; and, however the
 * cell ends, the tasks registered for its end. Magics see the runner as their {@link MagicContext}.
 */
final class CellRunner implements MagicContext {
    private static final Logger LOG = Logger.getLogger("rnnlab.kernel");
    private static final Set<String> PRIMITIVES = Set.of("int", "long", "double", "float", "short", "byte", "char",
            "boolean");

    private final JShellSession session;
    private final NotebookExecutionControl control;
    private final Magics magics;
    private final RendererRegistry renderers;
    private final Map<String, SnippetOrigin> snippetOrigins = new ConcurrentHashMap<>();
    private final ErrorFormatter errors = new ErrorFormatter(snippetOrigins::get);
    /** Display ids handed out during the running cell: a cell ending in {@code display(x)} shows x, not its id. */
    private final Set<String> cellDisplayIds = ConcurrentHashMap.newKeySet();
    /** What must run when the running cell ends, such as showing a progress bar's held-back last state. */
    private final Set<Runnable> cellEndTasks = ConcurrentHashMap.newKeySet();
    /** Variables declared by the running cell, released if the cell runs out of memory. */
    private final List<VarSnippet> cellVars = new ArrayList<>();
    private MavenResolver resolver;
    private String cellSource = "";
    private int cellCount;

    CellRunner(JShellSession session, Magics magics, RendererRegistry renderers) {
        this.session = session;
        this.control = session.control();
        this.magics = magics;
        this.renderers = renderers;
    }

    /**
     * Runs one cell: its magics and code in order.
     *
     * @return the rendered value of the cell's last expression, or null
     * @throws CellError a compile error, an exception from the cell, or a failed magic
     */
    DisplayBundle runCell(String code, int count) throws CellError {
        session.awaitReady();
        control.clearInterrupt();
        cellDisplayIds.clear();
        cellVars.clear();
        String previousSource = cellSource;
        int previousCount = cellCount;
        cellSource = code;
        cellCount = count;
        try {
            return runParts(code, 0);
        } catch (CellError e) {
            if (OutOfMemoryError.class.getName().equals(e.ename())) {
                throw releaseCellVariables(e);
            }
            throw e;
        } finally {
            cellSource = previousSource;
            cellCount = previousCount;
            runCellEndTasks();
            control.clearInterrupt();
        }
    }

    /** Notes a display id handed out by the running cell (so a cell ending in {@code display(x)} does not show the id). */
    void noteDisplayId(String id) {
        cellDisplayIds.add(id);
    }

    /** Runs {@code task} once when the running cell ends (see {@code NotebookBackend.atCellEnd}). */
    void atCellEnd(Runnable task) {
        cellEndTasks.add(task);
    }

    /**
     * Runs the tasks registered by {@link #atCellEnd} during the cell, on this (shell) thread, after the cell's
     * code has stopped; a failing task is logged and does not keep the others from running.
     */
    private void runCellEndTasks() {
        for (var it = cellEndTasks.iterator(); it.hasNext(); ) {
            Runnable task = it.next();
            it.remove();
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a task at the end of the cell failed", e);
            }
        }
    }

    // ---------------------------------------------------------------- MagicContext

    @Override
    public Magics magics() {
        return magics;
    }

    @Override
    public synchronized MavenResolver resolver() {
        if (resolver == null) {
            resolver = MavenResolver.fromUserSettings();
        }
        return resolver;
    }

    @Override
    public Set<String> classpath() {
        return session.classpath();
    }

    @Override
    public int addToClasspath(List<File> files) {
        return session.addToClasspath(files);
    }

    @Override
    public DisplayBundle runCode(String code) throws CellError {
        String outerSource = cellSource;
        cellSource = code;
        try {
            return runParts(code, 0);
        } finally {
            cellSource = outerSource;
        }
    }

    @Override
    public DisplayBundle runBody(String body, int bodyOffset) throws CellError {
        return runParts(body, bodyOffset);
    }

    @Override
    public List<Variable> variables() {
        return session.variables().map(v -> {
            String value;
            try {
                value = session.varValue(v);
            } catch (RuntimeException e) {
                value = "<" + e.getClass().getSimpleName() + ">";
            }
            return new Variable(v.name(), v.typeName(), value);
        }).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- the pipeline

    private DisplayBundle runParts(String text, int baseOffset) throws CellError {
        DisplayBundle last = null;
        for (CellParser.Part part : CellParser.parse(text, this::isCompleteCode)) {
            if (part instanceof CellParser.Code) {
                CellParser.Code c = (CellParser.Code) part;
                last = evalCode(c.text(), baseOffset + c.offset());
            } else if (part instanceof CellParser.LineMagic) {
                CellParser.LineMagic m = (CellParser.LineMagic) part;
                last = asBundle(runMagic("%" + m.name(), () -> magics.lineMagic(m.name()).run(this, m.args())));
            } else {
                CellParser.CellMagic m = (CellParser.CellMagic) part;
                int bodyOffset = baseOffset + m.bodyOffset();
                last = asBundle(runMagic("%%" + m.name(),
                        () -> magics.cellMagic(m.name()).runCell(this, m.args(), m.body(), bodyOffset)));
            }
        }
        return last;
    }

    /** Whether {@code code} ends at a statement boundary (used to tell magics from code). */
    private boolean isCompleteCode(String code) {
        return session.completeness(code) == JShellSession.Completeness.COMPLETE;
    }

    private interface MagicCall {
        Object call() throws Exception;
    }

    private Object runMagic(String name, MagicCall call) throws CellError {
        try {
            return call.call();
        } catch (CellError e) {
            throw e;
        } catch (Magics.UnknownMagicException e) {
            throw new CellError("UnknownMagic", e.getMessage().split("\n")[0], List.of(e.getMessage().split("\n")));
        } catch (MavenResolver.MavenResolutionException e) {
            throw new CellError(e.getClass().getName(), e.getMessage().split("\n")[0], List.of(e.getMessage().split("\n")));
        } catch (Exception | Error e) {
            List<String> tb = new ArrayList<>();
            tb.add(name + " failed: " + e);
            throw new CellError(e.getClass().getName(), String.valueOf(e.getMessage()), tb);
        }
    }

    private DisplayBundle asBundle(Object magicResult) {
        return magicResult == null ? null : renderers.render(magicResult);
    }

    /** Evaluates Java code that starts at {@code offset} of the current cell, snippet by snippet. */
    private DisplayBundle evalCode(String code, int offset) throws CellError {
        String remaining = code;
        int consumed = 0;
        Object value = null;
        while (!remaining.isBlank()) {
            String source;
            String rest;
            int lead;
            if (isSingleLineExpression(remaining)) {
                source = remaining;
                rest = "";
                lead = 0;
            } else {
                SourceCodeAnalysis.CompletionInfo info = session.analyzeCompletion(remaining);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break;
                }
                boolean complete = info.completeness().isComplete();
                source = complete ? info.source() : remaining;
                rest = complete ? info.remaining() : "";
                if (info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN && rest.isBlank()) {
                    int unit = TopLevelSplitter.firstUnit(remaining);
                    if (unit > 0) {
                        source = remaining.substring(0, unit);
                        rest = remaining.substring(unit);
                    }
                }
                lead = leadingOffset(remaining, source);
            }
            int start = offset + consumed + lead;
            value = null;
            for (SnippetEvent ev : session.eval(source)) {
                if (ev.causeSnippet() != null) {
                    continue;
                }
                Object v = checkEvent(ev, start, source);
                if (isValueSnippet(ev.snippet()) && v != null && !(v instanceof PrintStream)
                        && !(v instanceof String && cellDisplayIds.contains(v))) {
                    value = v;
                }
            }
            if (control.isInterruptRequested()) {
                throw interruptedAfter(start + leadingWhitespace(source));
            }
            consumed += remaining.length() - rest.length();
            remaining = rest;
        }
        return value == null ? null : renderers.render(value);
    }

    /**
     * The error for a cell whose code noticed the interrupt itself and returned normally (as the library's
     * training loop does, with the history so far): what that statement assigned is kept, the rest of the cell
     * does not run.
     */
    private CellError interruptedAfter(int start) {
        String message = "the cell was interrupted; variables defined by earlier cells keep their values";
        return new CellError(CellInterruptedError.class.getName(), message,
                List.of("Interrupted: " + message + ".",
                        "The statement at line " + lineOf(cellSource, start) + " finished early and kept its result;"
                                + " the rest of the cell did not run."));
    }

    /**
     * Looks at the outcome of one evaluated snippet: records where it came from, throws its compile error or
     * exception, and returns the value it produced (null if none).
     */
    private Object checkEvent(SnippetEvent ev, int start, String source) throws CellError {
        Snippet snippet = ev.snippet();
        if (snippet instanceof VarSnippet && ev.status() == Snippet.Status.VALID) {
            cellVars.add((VarSnippet) snippet);
        }
        snippetOrigins.put(snippet.id(),
                new SnippetOrigin(cellCount, lineOf(cellSource, start + leadingWhitespace(source))));
        if (ev.status() == Snippet.Status.REJECTED) {
            throw compileError(snippet, start);
        }
        if (ev.exception() != null) {
            throw runtimeError(ev.exception());
        }
        return control.takeLastValue();
    }

    /**
     * Whether code is one line without statement separators or blocks (such as {@code 1+1} or
     * {@code chart}): then it is a single snippet and needs no splitting.
     */
    static boolean isSingleLineExpression(String code) {
        String c = code.strip();
        if (c.isEmpty() || c.startsWith("//") || c.startsWith("/*")) {
            return false;
        }
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (ch == ';' || ch == '{' || ch == '}' || ch == '\n' || ch == '"' || ch == '\'' || ch == '/') {
                return false;
            }
        }
        return true;
    }

    /**
     * After an {@code OutOfMemoryError}: sets the reference variables the failed cell declared to null, so
     * the memory they hold is freed and the kernel can go on.
     */
    private CellError releaseCellVariables(CellError oom) {
        List<String> released = new ArrayList<>();
        for (VarSnippet v : cellVars) {
            if (session.status(v) == Snippet.Status.VALID && !PRIMITIVES.contains(v.typeName())) {
                session.clear(v);
                released.add(v.name());
            }
        }
        cellVars.clear();
        System.gc();
        if (released.isEmpty()) {
            return oom;
        }
        List<String> tb = new ArrayList<>(oom.traceback());
        tb.add("Variables declared in this cell were set to null to free their memory: " + String.join(", ", released) + ".");
        return new CellError(oom.ename(), oom.evalue(), tb);
    }

    private static boolean isValueSnippet(Snippet snippet) {
        switch (snippet.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND:
            case VAR_VALUE_SUBKIND:
            case OTHER_EXPRESSION_SUBKIND:
                return true;
            default:
                return false;
        }
    }

    /** Where {@code source} (a snippet as JShell analysed it) starts within {@code remaining}. */
    static int leadingOffset(String remaining, String source) {
        String probe = source.strip();
        if (probe.endsWith(";")) {
            probe = probe.substring(0, probe.length() - 1);
        }
        probe = probe.substring(0, Math.min(probe.length(), 24));
        int idx = probe.isEmpty() ? -1 : remaining.indexOf(probe);
        if (idx >= 0) {
            return Math.max(0, idx - source.indexOf(probe));
        }
        return 0;
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private CellError compileError(Snippet snippet, int start) {
        List<Diag> diags = session.errors(snippet);
        if (diags.isEmpty()) {
            return ErrorFormatter.compileError(cellSource, start, "the code could not be compiled");
        }
        Diag d = diags.get(0);
        long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : Math.max(0, d.getPosition());
        String message = d.getMessage(Locale.ENGLISH);
        if (diags.size() > 1) {
            message += "\n(" + (diags.size() - 1) + " more error" + (diags.size() > 2 ? "s" : "") + " in this statement)";
        }
        return ErrorFormatter.compileError(cellSource, start + (int) pos, message);
    }

    private CellError runtimeError(JShellException e) {
        Throwable real = control.takeLastThrown();
        if (real != null) {
            List<StackTraceElement[]> translated = new ArrayList<>();
            for (Throwable j = e; j != null && translated.size() < 32; j = j.getCause()) {
                translated.add(j.getStackTrace());
            }
            return errors.runtimeError(real, translated);
        }
        if (e instanceof UnresolvedReferenceException) {
            Snippet s = ((UnresolvedReferenceException) e).getSnippet();
            String missing = session.unresolvedDependencies((DeclarationSnippet) s).collect(Collectors.joining(", "));
            String msg = "'" + s.source().strip().split("\n")[0] + "' cannot be used until "
                    + (missing.isEmpty() ? "its missing parts are" : missing + " " + (missing.contains(",") ? "are" : "is"))
                    + " declared";
            return new CellError(e.getClass().getName(), msg, List.of("UnresolvedReferenceException: " + msg));
        }
        String cls = e instanceof EvalException ? ((EvalException) e).getExceptionClassName() : e.getClass().getName();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        return new CellError(cls, msg, List.of(cls + ": " + msg));
    }
}
