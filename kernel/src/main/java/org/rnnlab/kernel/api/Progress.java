package org.rnnlab.kernel.api;

import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

/**
 * A progress bar shown in the cell's output and updated in place (Jupyter's update_display_data).
 *
 * <p>It is a plain {@code java.util.function} callback so that library code reports progress without
 * depending on the kernel: {@link #accept(int)} takes the number of steps done, {@link #accept(double)} the
 * fraction done and {@link #accept(String)} a status text (for example the latest loss). Updates are sent at
 * most ten times a second, plus the one that reaches the total; an update held back by that limit is sent
 * when the cell ends, however it ends (normally, by an exception or by an interrupt), so the bar always
 * finishes on the last state it was given. Each call also checks for an interrupt, so a long library loop
 * that reports progress stops promptly when the user presses interrupt.
 *
 * <p>Count steps done, not step indices: a callback that gets a 0-based index (such as the library's
 * {@code History.Step.step()}) passes {@code index + 1}, so the last step fills the bar.
 */
public final class Progress implements IntConsumer, DoubleConsumer, Consumer<String> {
    private static final long MIN_UPDATE_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final int total;
    private final String displayId;
    private int done;
    private String status = "";
    private long lastUpdate;
    /** Whether the notebook shows an older state than this object holds (an update was held back). */
    private boolean heldBack;
    /** Handed to the kernel with every held-back update; the kernel keeps it once and runs it when the cell ends. */
    private final Runnable showLatestAtCellEnd = this::showLatest;

    Progress(String label, int total) {
        if (total <= 0) {
            throw new IllegalArgumentException("progress total must be positive, got " + total);
        }
        this.label = label == null ? "" : label;
        this.total = total;
        this.displayId = Notebook.display(bundle());
        this.lastUpdate = System.nanoTime();
    }

    /** Steps done so far (0..total). */
    @Override
    public synchronized void accept(int stepsDone) {
        CellControl.check();
        done = Math.max(0, Math.min(total, stepsDone));
        refresh(done == total);
    }

    /** Fraction done so far (0..1). */
    @Override
    public void accept(double fraction) {
        accept((int) Math.round(Math.max(0, Math.min(1, fraction)) * total));
    }

    /** A status text shown after the bar, e.g. {@code "loss 0.213"}. */
    @Override
    public synchronized void accept(String statusText) {
        CellControl.check();
        status = statusText == null ? "" : statusText;
        refresh(false);
    }

    /** Advances by one step. */
    public synchronized void step() {
        accept(done + 1);
    }

    /** Sets steps and status at once. */
    public synchronized void update(int stepsDone, String statusText) {
        status = statusText == null ? "" : statusText;
        accept(stepsDone);
    }

    /** Steps done so far. */
    public synchronized int done() {
        return done;
    }

    private void refresh(boolean force) {
        long now = System.nanoTime();
        if (force || now - lastUpdate >= MIN_UPDATE_NANOS) {
            lastUpdate = now;
            heldBack = false;
            Notebook.updateDisplay(displayId, bundle());
        } else {
            heldBack = true;
            Notebook.backend().atCellEnd(showLatestAtCellEnd);
        }
    }

    /** Sends the state held back by the rate limit, if any; the kernel calls this when the cell ends. */
    private synchronized void showLatest() {
        if (heldBack) {
            heldBack = false;
            lastUpdate = System.nanoTime();
            Notebook.updateDisplay(displayId, bundle());
        }
    }

    /** The bar as text, e.g. {@code training [#######-------]  12/40  loss 0.3}. */
    String text() {
        int filled = (int) ((long) done * BAR_WIDTH / total);
        StringBuilder sb = new StringBuilder();
        if (!label.isEmpty()) {
            sb.append(label).append(' ');
        }
        sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
                .append(done).append('/').append(total);
        if (!status.isEmpty()) {
            sb.append("  ").append(status);
        }
        return sb.toString();
    }

    private DisplayBundle bundle() {
        int percent = (int) ((long) done * 100 / total);
        String html = "<div style=\"font-family:monospace\">" + escape(label)
                + " <progress value=\"" + done + "\" max=\"" + total + "\" style=\"width:40%\"></progress> "
                + done + "/" + total + " (" + percent + "%) " + escape(status) + "</div>";
        return new DisplayBundle().put("text/plain", text()).put("text/html", html);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
