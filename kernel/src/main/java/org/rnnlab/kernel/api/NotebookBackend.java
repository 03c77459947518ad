package org.rnnlab.kernel.api;

/**
 * What {@link Notebook} needs from the running kernel. Implemented by the kernel; notebook code uses the
 * static methods of {@link Notebook} instead.
 */
public interface NotebookBackend {
    /** Renders a value into all the MIME types the kernel knows for it, or only the requested ones. */
    DisplayBundle render(Object value, String... mimeTypes);

    /** Publishes a value as display data of the current cell; returns the display id for later updates. */
    String display(Object value, String... mimeTypes);

    /** Replaces what an earlier {@link #display} showed. */
    void updateDisplay(String displayId, Object value, String... mimeTypes);

    /** Clears the current cell's output; with {@code wait}, only when the next output arrives. */
    void clearOutput(boolean wait);

    /**
     * Runs {@code task} once when the running cell ends, however it ends (normally, by an exception or by an
     * interrupt), before the cell's result or error is shown; outside a cell, when the next cell ends. Adding the
     * same task again before then has no further effect. This is how a display that holds updates back, such as
     * {@link Progress}, shows its last state.
     */
    void atCellEnd(Runnable task);

    /** The kernel object itself. */
    Object kernel();
}
