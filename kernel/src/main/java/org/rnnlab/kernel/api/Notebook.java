package org.rnnlab.kernel.api;

import java.util.Objects;

/**
 * The notebook API, statically imported into every notebook ({@code import static
 * org.rnnlab.kernel.api.Notebook.*}): the same names as IJava's, plus {@link #clearOutput()} and
 * {@link #progress(String, int)}.
 *
 * <pre>{@code
 * display(chart);                          // show now, keep computing
 * String id = display("starting");         // remember where it is shown ...
 * updateDisplay(id, "epoch 3, loss 0.21"); // ... and replace it in place
 * var p = progress("training", epochs);    // a bar; p is an IntConsumer/DoubleConsumer/Consumer<String>
 * }</pre>
 */
public final class Notebook {
    private static volatile NotebookBackend backend;

    private Notebook() {
    }

    /** Installs the kernel behind this API. Called once by the kernel at start. */
    public static void install(NotebookBackend kernelBackend) {
        backend = Objects.requireNonNull(kernelBackend);
    }

    static NotebookBackend backend() {
        NotebookBackend b = backend;
        if (b == null) {
            throw new IllegalStateException("no notebook kernel is running: display() and friends only work "
                    + "inside a Jupyter notebook on the RNN Lab Java kernel");
        }
        return b;
    }

    /** Shows a value in the cell's output now, rendered as richly as the kernel can; returns its display id. */
    public static String display(Object value) {
        return backend().display(value);
    }

    /** Shows a value rendered only as the given MIME types (e.g. {@code "text/html"}); returns its display id. */
    public static String display(Object value, String... mimeTypes) {
        return backend().display(value, mimeTypes);
    }

    /** Replaces the output shown under {@code displayId} with a new value. */
    public static void updateDisplay(String displayId, Object value) {
        backend().updateDisplay(displayId, value);
    }

    /** Replaces the output shown under {@code displayId}, rendered only as the given MIME types. */
    public static void updateDisplay(String displayId, Object value, String... mimeTypes) {
        backend().updateDisplay(displayId, value, mimeTypes);
    }

    /** Renders a value to its MIME bundle without showing it; the bundle shows when it is a cell's value. */
    public static DisplayBundle render(Object value) {
        return backend().render(value);
    }

    /** Renders a value only as the given MIME types. */
    public static DisplayBundle render(Object value, String... mimeTypes) {
        return backend().render(value, mimeTypes);
    }

    /** Clears the output of the running cell at once. */
    public static void clearOutput() {
        backend().clearOutput(false);
    }

    /** Clears the output of the running cell; with {@code wait}, just before the next output (no flicker). */
    public static void clearOutput(boolean wait) {
        backend().clearOutput(wait);
    }

    /** The running kernel (for advanced use; IJava compatibility). */
    public static Object getKernelInstance() {
        return backend().kernel();
    }

    /**
     * A progress bar that updates in place. Pass it to library code as a plain
     * {@link java.util.function.IntConsumer} (steps done), {@link java.util.function.DoubleConsumer}
     * (fraction done) or {@link java.util.function.Consumer Consumer&lt;String&gt;} (status line).
     */
    public static Progress progress(String label, int total) {
        return new Progress(label, total);
    }

    /** A progress bar without a label. */
    public static Progress progress(int total) {
        return new Progress("", total);
    }
}
