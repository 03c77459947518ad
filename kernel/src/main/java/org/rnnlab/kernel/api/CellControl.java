package org.rnnlab.kernel.api;

/**
 * The hooks that notebook code is compiled against so that a cell can be stopped and cannot end the kernel.
 *
 * <p>The kernel rewrites the bytecode of every class a notebook loads (cells and {@code %maven} libraries):
 * a call to {@link #check()} is woven in at method entry and, in cell code, before every backward jump, and
 * calls to {@code System.exit}/{@code Runtime.exit}/{@code Runtime.halt} are redirected to {@link #exit(int)}.
 * An interrupt then only sets a flag; the next check throws {@link CellInterruptedError} in the running cell.
 * This works the same on every JDK, unlike {@code Thread.stop}, which is gone from JDK 20 on.
 */
public final class CellControl {
    private static volatile boolean stopRequested;

    private CellControl() {
    }

    /** Throws {@link CellInterruptedError} when an interrupt has been requested for the running cell. */
    public static void check() {
        if (stopRequested) {
            throw new CellInterruptedError();
        }
    }

    /** Replaces {@code System.exit(status)} in notebook code: ends the cell, never the kernel. */
    public static void exit(int status) {
        throw new CellExitError(status);
    }

    /** Replaces {@code Runtime.getRuntime().exit(status)} in notebook code. */
    public static void exit(Runtime runtime, int status) {
        throw new CellExitError(status);
    }

    /** Replaces {@code Runtime.getRuntime().halt(status)} in notebook code. */
    public static void halt(Runtime runtime, int status) {
        throw new CellExitError(status);
    }

    /** Asks the running cell to stop at its next check. Called by the kernel on an interrupt request. */
    public static void requestStop() {
        stopRequested = true;
    }

    /** Clears a stop request; the kernel calls this before each cell. */
    public static void clearStop() {
        stopRequested = false;
    }

    /** Whether a stop has been requested and not yet cleared. */
    public static boolean isStopRequested() {
        return stopRequested;
    }
}
