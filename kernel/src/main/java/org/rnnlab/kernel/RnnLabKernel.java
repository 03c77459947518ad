package org.rnnlab.kernel;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.rnnlab.kernel.api.CellControl;
import org.rnnlab.kernel.api.CellInterruptedError;
import org.rnnlab.kernel.api.DisplayBundle;
import org.rnnlab.kernel.api.Notebook;
import org.rnnlab.kernel.api.NotebookBackend;
import org.rnnlab.kernel.display.JavadocText;
import org.rnnlab.kernel.display.Renderers;
import org.rnnlab.kernel.errors.CellError;
import org.rnnlab.kernel.errors.ErrorFormatter;
import org.rnnlab.kernel.errors.ErrorFormatter.SnippetOrigin;
import org.rnnlab.kernel.exec.NotebookExecutionControl;
import org.rnnlab.kernel.exec.TopLevelSplitter;
import org.rnnlab.kernel.magic.CellParser;
import org.rnnlab.kernel.magic.Globs;
import org.rnnlab.kernel.magic.LoadSources;
import org.rnnlab.kernel.magic.Magics;
import org.rnnlab.kernel.maven.MavenResolver;
import org.rnnlab.kernel.protocol.KernelStdinChannel;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The RNN Lab Java kernel: notebook cells evaluated by JShell in this JVM, with rich display, magics and
 * readable errors, on the Jupyter protocol layer of the base library ({@link BaseKernel}).
 *
 * <p>A cell is split into Java code and magics ({@link CellParser}); the code is cut into JShell snippets
 * and evaluated one by one on the cell thread ({@link NotebookExecutionControl}); the value of a final
 * expression is rendered ({@link Renderers}) as the cell's result. JShell itself is started in the
 * background when the kernel starts, so the kernel answers {@code kernel_info} at once and the first cell
 * does not pay for compiler start-up.
 */
public final class RnnLabKernel extends BaseKernel implements NotebookBackend {
    /** Kernel version (the project's). */
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = Logger.getLogger("rnnlab.kernel");

    /** The notebook API, imported into every notebook. */
    static final String NOTEBOOK_IMPORT = "import static org.rnnlab.kernel.api.Notebook.*;";
    /** The other imports every notebook starts with: JShell's defaults. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.concurrent.*;", "import java.util.regex.*;");

    private final NotebookExecutionControl control = NotebookExecutionControl.create();
    private final CellHistory history;
    private final Magics magics = new Magics();
    private final Map<String, SnippetOrigin> snippetOrigins = new ConcurrentHashMap<>();
    private final ErrorFormatter errors = new ErrorFormatter(snippetOrigins::get);
    private final Set<String> classpath = new LinkedHashSet<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CellStreams streams;
    private final java.util.Queue<String> pendingImports = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Display ids handed out during the running cell: a cell ending in {@code display(x)} shows x, not its id. */
    private final Set<String> cellDisplayIds = ConcurrentHashMap.newKeySet();
    /** What must run when the running cell ends, such as showing a progress bar's held-back last state. */
    private final Set<Runnable> cellEndTasks = ConcurrentHashMap.newKeySet();
    /** Variables declared by the running cell, released if the cell runs out of memory. */
    private final List<VarSnippet> cellVars = new ArrayList<>();

    private volatile JShell jshell;
    private volatile SourceCodeAnalysis analysis;
    private volatile Throwable startupFailure;
    private volatile ReplyEnvironment currentEnv;
    /** The execute request of the running cell: whether it allows input, and the context to ask in. */
    private volatile Message<ExecuteRequest> currentRequest;
    private final CellInput input = new CellInput(this::nextInputLine);
    private volatile KernelStdinChannel stdin;
    /** The one thread that talks to the stdin socket, so that interrupting a cell never interrupts JeroMQ. */
    private ExecutorService stdinThread;
    /** Whether the running cell has been told that this client takes no input. */
    private volatile boolean toldNoInput;
    private MavenResolver resolver;
    private String cellSource = "";
    private int cellCount;
    /** Offset in the cell of the body of the cell magic being run (for error positions). */
    private int magicBodyOffset;

    /**
     * @param kernelLog where the kernel's own messages go (the process's original stderr, never a notebook)
     */
    public RnnLabKernel(PrintStream kernelLog) {
        this(kernelLog, new CellHistory());
    }

    private RnnLabKernel(PrintStream kernelLog, CellHistory history) {
        super("rnnlab-java", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java",
                        "text/x-java", "script"),
                List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/"
                        + Runtime.version().feature() + "/docs/api/")),
                history, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null, null, false,
                new StringStyler.Builder().build());
        this.history = history;
        this.streams = new CellStreams(() -> currentEnv, kernelLog);
        control.classLoader().setDefaultAssertionStatus(true);
        registerMagics();
    }

    /** The print streams that become {@code System.out} and {@code System.err} of the kernel JVM. */
    public PrintStream cellOut() {
        return streams.out;
    }

    /** See {@link #cellOut()}. */
    public PrintStream cellErr() {
        return streams.err;
    }

    /**
     * The stream that becomes {@code System.in} of the kernel JVM: a read asks the notebook for a line when the
     * client allows input ({@code allow_stdin}), and is at end of input at once when it does not (as when a notebook
     * is run headless), with a note on the cell's stderr.
     */
    public java.io.InputStream cellIn() {
        return input;
    }

    /** Lets cells ask the user for input on this channel (see {@link #cellIn()}). */
    public synchronized void useStdin(KernelStdinChannel channel) {
        if (stdinThread == null) {
            stdinThread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "jupyter-stdin");
                t.setDaemon(true);
                return t;
            });
        }
        this.stdin = channel;                                        // last: a cell that sees it sees the thread
    }

    /**
     * The next line the user types, for {@link #cellIn()}; null (end of input) when the client takes no input. The
     * question is asked on the stdin thread and this (cell) thread waits for it; an interrupt gives the question up
     * and ends the cell like any interrupt.
     */
    private String nextInputLine() throws IOException {
        Message<ExecuteRequest> request = currentRequest;
        KernelStdinChannel channel = stdin;
        if (request == null || channel == null || !request.getContent().isStdinEnabled()) {
            if (!toldNoInput) {
                toldNoInput = true;
                streams.err.println("System.in is empty here: this notebook client takes no keyboard input"
                        + " (allow_stdin is false, as when a notebook is run headless). Give the input as a variable"
                        + " in a cell instead.");
            }
            return null;
        }
        streams.flush();                                             // a prompt without a line break shows first
        AtomicBoolean givenUp = new AtomicBoolean();
        Future<String> answer = stdinThread.submit(() -> channel.ask(request, "", false, givenUp::get));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            throw new CellInterruptedError();
        } catch (ExecutionException e) {
            throw new IOException("could not read a line from the notebook: " + e.getCause(), e.getCause());
        } finally {
            givenUp.set(true);
        }
    }

    @Override
    public void onStartup() {
        super.onStartup();
        Notebook.install(this);
        startInBackground();
    }

    /**
     * Starts JShell on a background thread (once). Called as early as possible, so the compiler warms up
     * while the JVM is still connecting to the client.
     */
    public synchronized void startInBackground() {
        if (starter != null) {
            return;
        }
        starter = new Thread(this::startJShell, "jshell-start");
        starter.setDaemon(true);
        starter.start();
    }

    private Thread starter;

    /**
     * Starts JShell (in the background, while the client connects): the notebook API import, which pays for
     * the compiler's start-up, and one expression to warm the evaluation path. The other default imports
     * wait in {@link #pendingImports} and are evaluated when the kernel is idle (usually before the first cell
     * arrives), or else before the first snippet of the first cell, a completion or an inspection. Never after a
     * student's snippet: an import added then can make JShell recompile the student's earlier declarations, and a
     * recompiled variable loses its value (lessons saw variables of earlier cells read null).
     */
    void startJShell() {
        long t0 = System.nanoTime();
        try {
            JShell shell = JShell.builder()
                    .executionEngine(control.provider(), Map.of())
                    .out(streams.out)
                    .err(streams.err)
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

    /** Work for idle moments of the shell thread. */
    public void onIdle() {
        finishImports();
    }

    private void awaitReady() throws CellError {
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

    // ---------------------------------------------------------------- protocol handlers

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfo(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(),
                getHelpLinks()));
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        long started = System.nanoTime();
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        boolean silent = request.isSilent();
        int count = silent || !request.shouldStoreHistory() ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(code, count));
        }
        currentEnv = env;
        currentRequest = message;
        toldNoInput = false;
        input.clear();
        commManager.setMessageContext(message);
        try {
            DisplayBundle result = runCell(code, count);
            streams.flush();
            if (result != null && !silent) {
                env.publish(new PublishExecuteResult(count, toDisplayData(result)));
            }
            if (!silent && request.shouldStoreHistory()) {
                history.add(count, code, result == null ? "" : String.valueOf(result.get("text/plain")));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (CellError e) {
            streams.flush();
            env.publish(new PublishError(e.ename(), e.evalue(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.ename(), e.evalue(), e.traceback());
            reply.setExecutionCount(count);
            if (!silent && request.shouldStoreHistory()) {
                history.add(count, code, "");
            }
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
        LOG.fine(() -> String.format("cell %d handled in %.1f ms", count, (System.nanoTime() - started) / 1e6));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries;
        switch (request.getAccessType()) {
            case TAIL:
                entries = history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
                break;
            case RANGE:
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                entries = history.lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
                break;
            default:
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                if (search.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                entries = history.search(search.getPattern(), search.getMaxReturnLength(), flags);
                break;
        }
        env.reply(new HistoryAnswer(entries));
    }

    @Override
    public void interrupt() {
        control.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        CellControl.requestStop();
        JShell shell = jshell;
        if (shell != null) {
            try {
                shell.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing JShell", e);
            }
        }
        super.onShutdown(isRestarting);
    }

    // ---------------------------------------------------------------- cells

    /**
     * Runs one cell: its magics and code in order.
     *
     * @return the rendered value of the cell's last expression, or null
     * @throws CellError a compile error, an exception from the cell, or a failed magic
     */
    DisplayBundle runCell(String code, int count) throws CellError {
        awaitReady();
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

    private DisplayBundle runParts(String text, int baseOffset) throws CellError {
        DisplayBundle last = null;
        for (CellParser.Part part : CellParser.parse(text, this::isCompleteCode)) {
            if (part instanceof CellParser.Code) {
                CellParser.Code c = (CellParser.Code) part;
                last = evalCode(c.text(), baseOffset + c.offset());
            } else if (part instanceof CellParser.LineMagic) {
                CellParser.LineMagic m = (CellParser.LineMagic) part;
                last = asBundle(runMagic("%" + m.name(), () -> magics.lineMagic(m.name()).run(m.args())));
            } else {
                CellParser.CellMagic m = (CellParser.CellMagic) part;
                magicBodyOffset = baseOffset + m.bodyOffset();
                last = asBundle(runMagic("%%" + m.name(), () -> magics.cellMagic(m.name()).run(m.args(), m.body())));
            }
        }
        return last;
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
        return magicResult == null ? null : render(magicResult);
    }

    /** Evaluates Java code that starts at {@code offset} of the current cell, snippet by snippet. */
    private DisplayBundle evalCode(String code, int offset) throws CellError {
        finishImports();
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
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
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
            List<SnippetEvent> events = jshell.eval(source);
            for (SnippetEvent ev : events) {
                if (ev.causeSnippet() != null) {
                    continue;
                }
                Object v = checkEvent(ev, start, source);
                if (isValueSnippet(ev.snippet()) && v != null && !(v instanceof java.io.PrintStream)
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
        return value == null ? null : render(value);
    }

    /**
     * The error for a cell whose code noticed the interrupt itself and returned normally (as the library's
     * training loop does, with the history so far): what that statement assigned is kept, the rest of the cell
     * does not run.
     */
    private CellError interruptedAfter(int start) {
        String message = "the cell was interrupted; variables defined by earlier cells keep their values";
        return new CellError(org.rnnlab.kernel.api.CellInterruptedError.class.getName(), message,
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
            if (jshell.status(v) == Snippet.Status.VALID && !PRIMITIVES.contains(v.typeName())) {
                jshell.eval(v.name() + " = null;");
                control.takeLastValue();
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

    private static final Set<String> PRIMITIVES = Set.of("int", "long", "double", "float", "short", "byte", "char", "boolean");

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
        List<Diag> diags = jshell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
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
            String missing = jshell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s)
                    .collect(Collectors.joining(", "));
            String msg = "'" + s.source().strip().split("\n")[0] + "' cannot be used until "
                    + (missing.isEmpty() ? "its missing parts are" : missing + " " + (missing.contains(",") ? "are" : "is"))
                    + " declared";
            return new CellError(e.getClass().getName(), msg, List.of("UnresolvedReferenceException: " + msg));
        }
        String cls = e instanceof EvalException ? ((EvalException) e).getExceptionClassName() : e.getClass().getName();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        return new CellError(cls, msg, List.of(cls + ": " + msg));
    }

    /**
     * Evaluates code as a cell would (magics included) and returns the rendered value of its last expression;
     * for {@code getKernelInstance().evalRaw(...)} from notebook code.
     */
    @Override
    public Object evalRaw(String code) {
        try {
            return runNested(code);
        } catch (CellError e) {
            throw new IllegalStateException(e.ename() + ": " + e.evalue());
        }
    }

    /** Whether {@code code} ends at a statement boundary (used to tell magics from code). */
    boolean isCompleteCode(String code) {
        return IS_COMPLETE_YES.equals(isComplete(code));
    }

    // ---------------------------------------------------------------- analysis requests

    @Override
    public String isComplete(String code) {
        try {
            awaitReady();
        } catch (CellError e) {
            return IS_COMPLETE_MAYBE;
        }
        String remaining = CellParser.blankMagics(code);
        while (true) {
            if (remaining.isBlank()) {
                return IS_COMPLETE_YES;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    if (info.remaining().length() >= remaining.length()) {
                        return IS_COMPLETE_YES;
                    }
                    remaining = info.remaining();
                    break;
                case EMPTY:
                    return IS_COMPLETE_YES;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                default:
                    return IS_COMPLETE_BAD;
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

    @Override
    public ReplacementOptions complete(String code, int at) {
        try {
            awaitReady();
        } catch (CellError e) {
            return null;
        }
        finishImports();
        int cursor = Math.max(0, Math.min(at, code.length()));
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String linePrefix = code.substring(lineStart, cursor);
        if (linePrefix.strip().startsWith("%")) {
            String typed = linePrefix.strip();
            boolean cellMagic = typed.startsWith("%%");
            String stem = typed.substring(cellMagic ? 2 : 1);
            if (stem.chars().allMatch(Character::isJavaIdentifierPart)) {
                List<String> names = (cellMagic ? magics.cellNames() : magics.lineNames()).stream()
                        .filter(n -> n.startsWith(stem)).map(n -> (cellMagic ? "%%" : "%") + n)
                        .collect(Collectors.toList());
                return new ReplacementOptions(names, lineStart + linePrefix.indexOf('%'), cursor);
            }
            return null;
        }
        String src = CellParser.blankMagics(code);
        int start = snippetStart(src, cursor);
        int[] anchor = new int[1];
        List<String> matches = analysis.completionSuggestions(src.substring(start, cursor), cursor - start, anchor)
                .stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().collect(Collectors.toList());
        return new ReplacementOptions(matches, start + anchor[0], cursor);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        try {
            awaitReady();
        } catch (CellError e) {
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
            html.append("<pre>").append(Renderers.escape(d.signature())).append("</pre>");
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
        DisplayData data = new DisplayData(text.toString());
        if (documented) {
            data.putData("text/html", html.toString());
        }
        return data;
    }

    // ---------------------------------------------------------------- display (NotebookBackend)

    @Override
    public DisplayBundle render(Object value, String... mimeTypes) {
        if (mimeTypes != null && mimeTypes.length > 0 && value instanceof CharSequence) {
            DisplayBundle asGiven = new DisplayBundle();
            for (String mime : mimeTypes) {
                asGiven.put(mime, value.toString());
            }
            return asGiven;
        }
        return Renderers.render(value).retain(mimeTypes);
    }

    @Override
    public String display(Object value, String... mimeTypes) {
        String id = UUID.randomUUID().toString();
        cellDisplayIds.add(id);
        DisplayData data = toDisplayData(render(value, mimeTypes));
        data.setDisplayId(id);
        publish(() -> new PublishDisplayData(data));
        return id;
    }

    @Override
    public void updateDisplay(String displayId, Object value, String... mimeTypes) {
        DisplayData data = toDisplayData(render(value, mimeTypes));
        data.setDisplayId(displayId);
        publish(() -> new PublishUpdateDisplayData(data));
    }

    @Override
    public void clearOutput(boolean wait) {
        publish(() -> wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
    }

    @Override
    public void atCellEnd(Runnable task) {
        cellEndTasks.add(task);
    }

    @Override
    public Object kernel() {
        return this;
    }

    private interface Content {
        Object make();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void publish(Content content) {
        streams.flush();
        ReplyEnvironment env = currentEnv;
        if (env == null) {
            LOG.info("display outside a cell ignored");
            return;
        }
        env.publish((org.dflib.jjava.jupyter.messages.ContentType) content.make());
    }

    static DisplayData toDisplayData(DisplayBundle bundle) {
        DisplayData data = new DisplayData();
        bundle.data().forEach(data::putData);
        bundle.metadata().forEach(data::putMetaData);
        return data;
    }

    // ---------------------------------------------------------------- magics

    private synchronized MavenResolver resolver() {
        if (resolver == null) {
            resolver = new MavenResolver(MavenResolver.defaultLocalRepository());
        }
        return resolver;
    }

    /** Adds jars or class folders to the notebook's class path (compiler and class loader). */
    void addToClasspath(List<File> files) {
        for (File f : files) {
            String path = f.getAbsolutePath();
            if (classpath.add(path)) {
                jshell.addToClasspath(path);
            }
        }
    }

    private void registerMagics() {
        magics.line("maven", "add Maven artifacts and their dependencies: %maven group:artifact:version ...", args -> {
            List<String> coords = CellParser.splitArgs(args);
            if (coords.isEmpty()) {
                throw new IllegalArgumentException("give coordinates, e.g. %maven tech.tablesaw:tablesaw-core:0.44.4");
            }
            for (String c : coords) {
                List<File> files = resolver().resolve(c);
                int before = classpath.size();
                addToClasspath(files);
                System.out.println("Added " + c + " (" + (classpath.size() - before) + " new jar"
                        + (classpath.size() - before == 1 ? "" : "s") + " on the class path)");
            }
            return null;
        });
        magics.line("mavenRepo", "add a Maven repository for %maven: %mavenRepo id url", args -> {
            List<String> a = CellParser.splitArgs(args);
            if (a.size() != 2) {
                throw new IllegalArgumentException("write %mavenRepo id url, e.g. %mavenRepo local file:///tmp/repo");
            }
            resolver().addRepository(a.get(0), a.get(1));
            return null;
        });
        magics.line("jars", "add jars to the class path (globs allowed): %jars lib/*.jar", args -> {
            List<File> files = new ArrayList<>();
            for (String pattern : CellParser.splitArgs(args)) {
                List<File> found = Globs.expand(pattern);
                if (found.isEmpty()) {
                    throw new IllegalArgumentException("no file matches '" + pattern + "' (relative to "
                            + Path.of("").toAbsolutePath() + ")");
                }
                files.addAll(found);
            }
            addToClasspath(files);
            return null;
        });
        magics.line("classpath", "show the class path, or add folders/jars to it: %classpath [path ...]", args -> {
            List<String> paths = CellParser.splitArgs(args);
            if (paths.isEmpty()) {
                classpath.forEach(System.out::println);
                return null;
            }
            List<File> files = new ArrayList<>();
            for (String p : paths) {
                File f = new File(p);
                if (!f.exists()) {
                    throw new IllegalArgumentException(f.getAbsolutePath() + " does not exist");
                }
                files.add(f);
            }
            addToClasspath(files);
            return null;
        });
        magics.line("load", "run a .jsh/.java file, or the code cells of a notebook: %load file", args -> {
            List<String> a = CellParser.splitArgs(args);
            if (a.size() != 1) {
                throw new IllegalArgumentException("write %load path/to/file.jsh (or .java, .ipynb)");
            }
            Path file = Path.of(a.get(0));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file.toAbsolutePath() + " is not a file");
            }
            DisplayBundle last = null;
            for (String cell : LoadSources.cells(file)) {
                last = runNested(cell);
            }
            return last;
        });
        magics.line("time", "time one line of code: %time expression", args -> {
            long t0 = System.nanoTime();
            try {
                return runNested(args);
            } finally {
                System.out.println(formatTime(System.nanoTime() - t0));
            }
        });
        magics.cell("time", "time the whole cell", (args, body) -> {
            long t0 = System.nanoTime();
            int offset = magicBodyOffset;
            try {
                return runParts(body, offset);
            } finally {
                System.out.println(formatTime(System.nanoTime() - t0));
            }
        });
        magics.line("lsmagic", "list the magics", args -> {
            System.out.print(magics.describe());
            return null;
        });
        magics.line("vars", "list the variables defined, with their types and values", args -> varsTable());
    }

    private DisplayBundle runNested(String code) throws CellError {
        String outerSource = cellSource;
        cellSource = code;
        try {
            return runParts(code, 0);
        } finally {
            cellSource = outerSource;
        }
    }

    static String formatTime(long nanos) {
        double ms = nanos / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "Wall time: %.1f ms", ms)
                : String.format(Locale.ROOT, "Wall time: %.2f s", ms / 1000);
    }

    private DisplayBundle varsTable() {
        List<String[]> rows = new ArrayList<>();
        jshell.variables().filter(v -> jshell.status(v) == Snippet.Status.VALID)
                .filter(v -> !v.name().startsWith("$"))
                .forEach((VarSnippet v) -> {
                    String value;
                    try {
                        value = jshell.varValue(v);
                    } catch (RuntimeException e) {
                        value = "<" + e.getClass().getSimpleName() + ">";
                    }
                    value = value.replaceAll("\\s+", " ");
                    if (value.length() > 60) {
                        value = value.substring(0, 57) + "...";
                    }
                    rows.add(new String[] {v.name(), v.typeName(), value});
                });
        if (rows.isEmpty()) {
            return new DisplayBundle().put("text/plain", "No variables defined yet.");
        }
        int[] width = {4, 4, 5};
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        String fmt = "%-" + width[0] + "s  %-" + width[1] + "s  %s";
        StringBuilder plain = new StringBuilder(String.format(fmt, "Name", "Type", "Value"));
        StringBuilder html = new StringBuilder("<table><thead><tr><th>Name</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        for (String[] r : rows) {
            plain.append('\n').append(String.format(fmt, r[0], r[1], r[2]));
            html.append("<tr><td>").append(Renderers.escape(r[0])).append("</td><td>").append(Renderers.escape(r[1]))
                    .append("</td><td>").append(Renderers.escape(r[2])).append("</td></tr>");
        }
        html.append("</tbody></table>");
        return new DisplayBundle().put("text/plain", plain.toString()).put("text/html", html.toString());
    }
}
