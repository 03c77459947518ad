package org.rnnlab.kernel.api;

/**
 * Thrown inside a running cell when the user presses interrupt. It is an {@link Error} so that the usual
 * {@code catch (Exception e)} in notebook or library code does not swallow it.
 */
public final class CellInterruptedError extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates the error with a message that tells the student what happened to their state. */
    public CellInterruptedError() {
        super("the cell was interrupted; variables defined by earlier cells keep their values");
    }
}
