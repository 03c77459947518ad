package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.rnnlab.kernel.install.Installer;
import org.rnnlab.kernel.protocol.KernelConnection;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Entry point of the kernel jar.
 *
 * <pre>
 * java -jar rnnlab-kernel.jar install [--user | --sys-prefix | --prefix DIR] [--heap 1g] ...   install the kernelspec
 * java -jar rnnlab-kernel.jar CONNECTION_FILE                                                   run (Jupyter does this)
 * </pre>
 */
public final class Main {
    /** Held strongly so its level survives garbage collection of unused loggers. */
    private static final Logger RESOLVER_LOG = Logger.getLogger("org.rnnlab.kernel.shaded.aether");

    private Main() {
    }

    /** Runs the installer or the kernel, see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && "install".equals(args[0])) {
            System.exit(Installer.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length == 1 && "warmup".equals(args[0])) {
            warmup();
            System.exit(0);
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java -jar rnnlab-kernel.jar install [--user|--sys-prefix|--prefix DIR] [--heap SIZE]");
            System.err.println("       java -jar rnnlab-kernel.jar CONNECTION_FILE   (started by Jupyter)");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isReadable(connectionFile)) {
            System.err.println("cannot read the connection file " + connectionFile.toAbsolutePath()
                    + "; the kernel is meant to be started by Jupyter, which writes that file");
            System.exit(2);
        }
        try {
            run(KernelConnectionProperties.parse(Files.readString(connectionFile, StandardCharsets.UTF_8)));
        } catch (Exception | Error e) {
            // Without this, a kernel that fails to start (a port of its connection file taken meanwhile, which
            // happens when many servers start kernels at once) keeps running for ever: its heartbeat thread is
            // not a daemon, and the parent watch has not started. Jupyter then starts another kernel.
            System.err.println("the kernel could not start or serve: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** Serves one notebook over the given connection until it shuts the kernel down. */
    static void run(KernelConnectionProperties props) throws Exception {
        PrintStream kernelLog = prepareJvm();
        ParentWatch.startFromEnvironment(System.getenv(), Main::exitWithoutStarter);
        RnnLabKernel kernel = new RnnLabKernel(kernelLog);
        kernel.startInBackground();
        KernelConnection connection = new KernelConnection(props);
        System.setOut(kernel.cellOut());
        System.setErr(kernel.cellErr());
        System.setIn(kernel.cellIn());
        kernel.useStdin(connection.stdin());
        kernel.becomeHandlerForConnection(connection);
        connection.setShellIdleTask(kernel::onIdle);
        connection.connect();
        kernel.onStartup();
        connection.waitUntilClose();
    }

    /**
     * Ends the JVM because the process that started the kernel is gone (see {@link ParentWatch}). Shutdown hooks
     * run as usual, but one that hangs cannot keep the orphaned kernel alive: the JVM halts 3 s later regardless.
     */
    private static void exitWithoutStarter() {
        Logger.getLogger("rnnlab.kernel").warning("the process that started this kernel (" + ParentWatch.VARIABLE
                + "=" + System.getenv(ParentWatch.VARIABLE) + ") is gone: the kernel exits");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        }, "halt-without-starter");
        halt.setDaemon(true);
        halt.start();
        System.exit(1);
    }

    /**
     * Sets the JVM up for serving notebooks and returns the kernel log (the process's stderr, which Jupyter
     * shows in its server console, never in a notebook).
     */
    static PrintStream prepareJvm() {
        PrintStream kernelLog = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setProperty("java.awt.headless", "true");
        // SLF4J 2 reports "no providers" at WARN level; only real errors may reach a notebook
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new StreamHandler(kernelLog, new SimpleFormatter()) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        Level level = Level.WARNING;
        String configured = System.getenv("RNNLAB_KERNEL_LOG");
        if (configured != null && !configured.isBlank()) {
            level = Level.parse(configured.trim().toUpperCase(java.util.Locale.ROOT));
        }
        handler.setLevel(level);
        root.setLevel(level);
        root.addHandler(handler);
        // Maven Resolver reports each failed download with a stack trace; the notebook gets a clear summary
        RESOLVER_LOG.setLevel(Level.SEVERE);
        return kernelLog;
    }

    /**
     * Exercises the kernel once without a client (used by the installer to record a class-data-sharing
     * archive, which makes later starts faster).
     */
    static void warmup() throws Exception {
        PrintStream kernelLog = prepareJvm();
        KernelConnectionProperties props = new KernelConnectionProperties("127.0.0.1", freePort(), freePort(),
                freePort(), freePort(), freePort(), "tcp", "hmac-sha256", UUID.randomUUID().toString());
        KernelConnection connection = new KernelConnection(props);
        RnnLabKernel kernel = new RnnLabKernel(kernelLog);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.startJShell();
        kernel.finishImports();
        kernel.runCell("int warm = 6 * 7;\nwarm", 1);
        kernel.runCell("var list = new ArrayList<Integer>(); for (int i = 0; i < 3; i++) list.add(i); list", 2);
        kernel.isComplete("for (int i = 0; i < 3; i++) {");
        kernel.complete("Math.ma", 7);
        kernel.render(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_ARGB));
        connection.close();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
