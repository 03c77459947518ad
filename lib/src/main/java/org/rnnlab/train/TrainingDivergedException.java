package org.rnnlab.train;

/**
 * Training produced a loss or gradient that is not a finite number: the weights blew up. The message says at
 * which update and what to try; {@link #history()} holds the updates up to that point (for a plot).
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient History history;

    public TrainingDivergedException(String message, History history) {
        super(message);
        this.history = history;
    }

    /** The updates before training diverged. */
    public History history() {
        return history;
    }
}
