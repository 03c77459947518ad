package org.rnnlab.kernel.exec;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.rnnlab.kernel.api.CellControl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs cells in the kernel's own JVM (so their live objects can be rendered) on one long-lived cell thread,
 * and stops them on request.
 *
 * <p>Stopping: {@link #stop()} sets {@link CellControl}'s flag, which the woven checks turn into a
 * {@link org.rnnlab.kernel.api.CellInterruptedError} at the next loop iteration or method call, and
 * interrupts the thread (for {@code sleep}, {@code wait}, I/O). On JDK 17 to 19, where it still exists,
 * {@code Thread.stop} is the last resort after a grace period, for library code stuck in a loop without calls.
 *
 * <p>The value of the last snippet and the exception it threw are kept as objects, so the kernel can render
 * the real value and report the real exception (JShell itself only passes strings back).
 */
public final class NotebookExecutionControl extends DirectExecutionControl {
    /** How long cooperative code (checking {@code Thread.interrupted()}) gets before the woven checks fire. */
    private static final long COOPERATIVE_GRACE_MILLIS = 500;
    /** How long after that {@code Thread.stop} waits, on JDKs that still have it. */
    private static final long STOP_GRACE_MILLIS = 1500;

    private final NotebookClassLoader loader;
    private final ThreadPoolExecutor cellExecutor;
    private final AtomicReference<Object> lastValue = new AtomicReference<>();
    private final AtomicReference<Throwable> lastThrown = new AtomicReference<>();
    private volatile Thread cellThread;
    private volatile boolean running;
    private volatile boolean interruptRequested;
    private final java.util.concurrent.atomic.AtomicLong invocations = new java.util.concurrent.atomic.AtomicLong();

    private NotebookExecutionControl(NotebookClassLoader loader) {
        super(new NotebookLoaderDelegate(loader));
        this.loader = loader;
        this.cellExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(null, task, "notebook-cell", 64L * 1024 * 1024);
                    t.setDaemon(true);
                    t.setContextClassLoader(loader);
                    cellThread = t;
                    return t;
                });
    }

    /** Creates a control with a fresh notebook class loader. */
    public static NotebookExecutionControl create() {
        return new NotebookExecutionControl(new NotebookClassLoader());
    }

    /** The loader of the notebook's classes (cells and added jars). */
    public NotebookClassLoader classLoader() {
        return loader;
    }

    /** A JShell execution-engine provider that hands out this control. */
    public ExecutionControlProvider provider() {
        NotebookExecutionControl self = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "rnnlab-notebook";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return self;
            }
        };
    }

    /** Runs an arbitrary task on the cell thread (with the notebook's class loader as context loader). */
    public <T> T runOnCellThread(java.util.concurrent.Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        cellExecutor.execute(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        lastValue.set(null);
        lastThrown.set(null);
        Future<Object> future = cellExecutor.submit(() -> {
            Thread.interrupted();
            invocations.incrementAndGet();
            running = true;
            if (interruptRequested) {
                // the interrupt came while this snippet was being compiled: it applies to the snippet now
                interruptRunning(Thread.currentThread());
            }
            try {
                return doitMethod.invoke(null);
            } finally {
                running = false;
            }
        });
        Object value;
        try {
            value = waitFor(future);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            Throwable userThrown = cause instanceof InvocationTargetException ? cause.getCause() : cause;
            lastThrown.set(userThrown);
            if (cause instanceof InvocationTargetException) {
                throw (InvocationTargetException) cause;
            }
            throw new InvocationTargetException(cause);
        }
        lastValue.set(value);
        return valueString(value);
    }

    private static Object waitFor(Future<Object> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The value the last snippet produced (null for statements and declarations without value). */
    public Object takeLastValue() {
        return lastValue.getAndSet(null);
    }

    /** The exception the last snippet threw, as the real object, or null. */
    public Throwable takeLastThrown() {
        return lastThrown.getAndSet(null);
    }

    /** Whether user code is running on the cell thread right now. */
    public boolean isRunning() {
        return running;
    }

    /** Whether an interrupt was requested since {@link #clearInterrupt()}. */
    public boolean isInterruptRequested() {
        return interruptRequested;
    }

    /** Forgets an interrupt request; called before each cell. */
    public void clearInterrupt() {
        interruptRequested = false;
        CellControl.clearStop();
    }

    /**
     * Stops the running cell, politely first: the cell thread is interrupted, so code that watches for that
     * (a {@code sleep}, or the library's training loop, which returns the history so far) stops on its own.
     * If the cell is still running after a short grace, the woven checks are switched on; on JDK 17–19,
     * {@code Thread.stop} follows as a last resort. An interrupt that comes while no snippet runs (the cell's next
     * snippet is being compiled) is applied the same way when that snippet starts; {@link #clearInterrupt()} at
     * the start of the next cell forgets it.
     */
    @Override
    public void stop() {
        interruptRequested = true;
        Thread t = cellThread;
        if (t == null || !running) {
            return;
        }
        interruptRunning(t);
    }

    private void interruptRunning(Thread t) {
        long invocation = invocations.get();
        t.interrupt();
        Thread stopper = new Thread(() -> escalate(t, invocation), "notebook-cell-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    private boolean stillRunning(long invocation) {
        return running && invocations.get() == invocation && interruptRequested;
    }

    private boolean waitWhileRunning(long invocation, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (!stillRunning(invocation)) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return stillRunning(invocation);
    }

    private void escalate(Thread t, long invocation) {
        if (!waitWhileRunning(invocation, COOPERATIVE_GRACE_MILLIS)) {
            return;
        }
        CellControl.requestStop();
        if (Runtime.version().feature() >= 20 || !waitWhileRunning(invocation, STOP_GRACE_MILLIS)) {
            return;
        }
        if (stillRunning(invocation)) {
            try {
                Thread.class.getMethod("stop").invoke(t);
            } catch (ReflectiveOperationException | UnsupportedOperationException e) {
                // Thread.stop is unavailable here: the woven checks remain the only way to stop the cell
            }
        }
    }

    @Override
    public void close() {
        cellExecutor.shutdownNow();
    }
}
