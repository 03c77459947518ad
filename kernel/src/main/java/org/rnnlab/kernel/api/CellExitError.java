package org.rnnlab.kernel.api;

/**
 * Thrown in place of {@code System.exit(status)} in notebook code: the cell ends with this error and the
 * kernel, with all notebook state, stays alive. Restart the kernel from the notebook to start afresh.
 */
public final class CellExitError extends Error {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** @param status the exit status the code asked for */
    public CellExitError(int status) {
        super("System.exit(" + status + ") was called; the kernel keeps running "
                + "(use Kernel > Restart in the notebook to start afresh)");
        this.status = status;
    }

    /** The exit status the code asked for. */
    public int status() {
        return status;
    }
}
