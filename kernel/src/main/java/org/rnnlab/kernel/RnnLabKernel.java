package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
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
import org.rnnlab.kernel.api.MimeRenderer;
import org.rnnlab.kernel.api.Notebook;
import org.rnnlab.kernel.api.NotebookBackend;
import org.rnnlab.kernel.display.RegistryRenderer;
import org.rnnlab.kernel.display.RendererRegistry;
import org.rnnlab.kernel.errors.CellError;
import org.rnnlab.kernel.magic.Magics;
import org.rnnlab.kernel.protocol.KernelStdinChannel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The RNN Lab Java kernel: the Jupyter protocol side (execute, history, completion, inspection, interrupt and
 * shutdown requests on the base library's {@link BaseKernel}), keyboard input, and the notebook API's display
 * functions ({@link NotebookBackend}). The work is done by its parts:
 *
 * <ul>
 *   <li>{@link JShellSession}: JShell, started in the background as the kernel starts, its class path,
 *       evaluation, and the answers of code analysis (completeness, completion, documentation);</li>
 *   <li>{@link CellRunner}: the pipeline a cell goes through (magics and snippets in order, interrupt, value,
 *       errors trimmed to the cell's code);</li>
 *   <li>{@link Magics}: the registry of magics, one class per magic;</li>
 *   <li>{@link RendererRegistry}: renderers keyed by class name, to which notebook libraries can add
 *       ({@link Notebook#registerRenderer}).</li>
 * </ul>
 */
public final class RnnLabKernel extends BaseKernel implements NotebookBackend {
    /** Kernel version (the project's). */
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = Logger.getLogger("rnnlab.kernel");

    private final CellHistory history;
    private final RendererRegistry renderers;
    private final Magics magics = Magics.standard();
    private final CellStreams streams;
    private final JShellSession session;
    private final CellRunner runner;

    private volatile ReplyEnvironment currentEnv;
    /** The execute request of the running cell: whether it allows input, and the context to ask in. */
    private volatile Message<ExecuteRequest> currentRequest;
    private final CellInput input = new CellInput(this::nextInputLine);
    private volatile KernelStdinChannel stdin;
    /** The one thread that talks to the stdin socket, so that interrupting a cell never interrupts JeroMQ. */
    private ExecutorService stdinThread;
    /** Whether the running cell has been told that this client takes no input. */
    private volatile boolean toldNoInput;

    /**
     * @param kernelLog where the kernel's own messages go (the process's original stderr, never a notebook)
     */
    public RnnLabKernel(PrintStream kernelLog) {
        this(kernelLog, new CellHistory(), RendererRegistry.withBuiltIns());
    }

    /**
     * The base library requires a {@code Renderer} (it rejects null, and registers its own renderers into it):
     * it gets a {@link RegistryRenderer}, which drops those registrations and renders through {@code renderers}.
     */
    private RnnLabKernel(PrintStream kernelLog, CellHistory history, RendererRegistry renderers) {
        super("rnnlab-java", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java",
                        "text/x-java", "script"),
                List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/"
                        + Runtime.version().feature() + "/docs/api/")),
                history, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new RegistryRenderer(renderers), null,
                null, false, new StringStyler.Builder().build());
        this.history = history;
        this.renderers = renderers;
        this.streams = new CellStreams(() -> currentEnv, kernelLog);
        this.session = new JShellSession(streams.out, streams.err);
        this.runner = new CellRunner(session, magics, renderers);
    }

    /** The magics registry: a magic registered here is listed by {@code %lsmagic} and runs in cells. */
    public Magics magics() {
        return magics;
    }

    /** The renderers, by class name. */
    public RendererRegistry renderers() {
        return renderers;
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
    public void startInBackground() {
        session.startInBackground();
    }

    /** Starts JShell on this thread (for the warm-up run and tests). */
    void startJShell() {
        session.start();
    }

    /** Evaluates the default imports not evaluated yet (on the shell thread, like every JShell use). */
    void finishImports() {
        session.finishImports();
    }

    /** Work for idle moments of the shell thread. */
    public void onIdle() {
        session.finishImports();
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
            DisplayBundle result = runner.runCell(code, count);
            streams.flush();
            if (result != null && !silent) {
                env.publish(new PublishExecuteResult(count, RegistryRenderer.toDisplayData(result)));
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
        } catch (RuntimeException | Error e) {
            // A failure of the kernel itself, outside the cell's code (which CellError reports). Every
            // execute_request must still get its reply: without one, JupyterLab shows the cell queued for ever.
            LOG.log(Level.WARNING, "cell " + count + " failed inside the kernel", e);
            streams.flush();
            List<String> traceback = List.of("The kernel failed while handling this cell (not in your code): " + e,
                    "Run the cell again; if it fails again, restart the kernel (Kernel -> Restart).");
            env.publish(new PublishError(e.getClass().getName(), String.valueOf(e.getMessage()), traceback));
            ErrorReply reply = new ErrorReply(e.getClass().getName(), String.valueOf(e.getMessage()), traceback);
            reply.setExecutionCount(count);
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
        session.control().stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        CellControl.requestStop();
        session.close();
        super.onShutdown(isRestarting);
    }

    // ---------------------------------------------------------------- cells

    /**
     * Runs one cell ({@link CellRunner#runCell}).
     *
     * @return the rendered value of the cell's last expression, or null
     * @throws CellError a compile error, an exception from the cell, or a failed magic
     */
    DisplayBundle runCell(String code, int count) throws CellError {
        return runner.runCell(code, count);
    }

    /**
     * Evaluates code as a cell would (magics included) and returns the rendered value of its last expression;
     * for {@code getKernelInstance().evalRaw(...)} from notebook code.
     */
    @Override
    public Object evalRaw(String code) {
        try {
            return runner.runCode(code);
        } catch (CellError e) {
            throw new IllegalStateException(e.ename() + ": " + e.evalue());
        }
    }

    // ---------------------------------------------------------------- analysis requests

    @Override
    public String isComplete(String code) {
        switch (session.completeness(code)) {
            case COMPLETE:
                return IS_COMPLETE_YES;
            case INCOMPLETE:
                return "    ";
            case INVALID:
                return IS_COMPLETE_BAD;
            default:
                return IS_COMPLETE_MAYBE;
        }
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
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
        JShellSession.Completion completion = session.complete(code, cursor);
        return completion == null ? null
                : new ReplacementOptions(completion.matches(), completion.start(), completion.end());
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        JShellSession.Documentation doc = session.inspect(code, at);
        if (doc == null) {
            return null;
        }
        DisplayData data = new DisplayData(doc.text());
        if (doc.html() != null) {
            data.putData("text/html", doc.html());
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
        return renderers.render(value).retain(mimeTypes);
    }

    @Override
    public String display(Object value, String... mimeTypes) {
        String id = UUID.randomUUID().toString();
        runner.noteDisplayId(id);
        DisplayData data = RegistryRenderer.toDisplayData(render(value, mimeTypes));
        data.setDisplayId(id);
        publish(() -> new PublishDisplayData(data));
        return id;
    }

    @Override
    public void updateDisplay(String displayId, Object value, String... mimeTypes) {
        DisplayData data = RegistryRenderer.toDisplayData(render(value, mimeTypes));
        data.setDisplayId(displayId);
        publish(() -> new PublishUpdateDisplayData(data));
    }

    @Override
    public void clearOutput(boolean wait) {
        publish(() -> wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
    }

    @Override
    public void atCellEnd(Runnable task) {
        runner.atCellEnd(task);
    }

    @Override
    public void registerRenderer(String className, MimeRenderer renderer) {
        renderers.register(className, renderer);
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
}
