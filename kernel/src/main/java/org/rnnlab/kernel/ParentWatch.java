package org.rnnlab.kernel;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Ends the kernel when the process that started it is gone, as Python kernels do.
 *
 * <p>Jupyter puts the pid of the process that starts a kernel (the notebook server, nbclient's Python, ...)
 * into the kernel's environment as {@code JPY_PARENT_PID}. A server that exits without shutting its kernels
 * down (killed, crashed, its terminal closed) would otherwise leave this JVM running under init, holding its
 * heap and ports for nobody. A daemon thread therefore looks once a second at this process's ancestors:
 * <ul>
 *   <li>when the process named by {@code JPY_PARENT_PID} was an ancestor at start, the kernel ends as soon as it
 *   is no longer one: it ended, and its children went to init or to a subreaper;</li>
 *   <li>in any case the kernel ends when its own parent changes, which only happens when the parent ended
 *   (ipykernel's "parent became init" rule, which also covers a launcher in between, and a variable that names
 *   no ancestor, as when the kernel runs in another pid namespace than the process that set it).</li>
 * </ul>
 * Without the variable, or with one that is not a pid, nothing is watched: the kernel was started by hand or
 * on purpose independently of its starter.
 */
final class ParentWatch {
    /** The variable Jupyter sets for every kernel it starts (not for an "independent" one). */
    static final String VARIABLE = "JPY_PARENT_PID";
    private static final long PERIOD_MILLIS = 1000;
    private static final int MAX_DEPTH = 64;
    private static final Logger LOG = Logger.getLogger("rnnlab.kernel");

    private final ProcessHandle self;
    private final long starter;
    private final boolean starterWasAncestor;
    private final long originalParent;

    /**
     * Notes where {@code self} stands now: its parent, and whether {@code starter} is among its ancestors.
     *
     * @param self    the process to watch from (this JVM, except in tests)
     * @param starter the pid given in {@code JPY_PARENT_PID}
     */
    ParentWatch(ProcessHandle self, long starter) {
        this.self = self;
        this.starter = starter;
        this.originalParent = parentPid(self);
        this.starterWasAncestor = isAncestor(self, starter);
    }

    /**
     * Starts watching on a daemon thread when the environment names the kernel's starter; {@code onGone} runs
     * once, on that thread, when it is gone. Everything, even reading the process table the first time, happens
     * on that thread, so the kernel's start does not wait for it.
     *
     * @return whether a watch was started (false when the variable is absent or not a pid)
     */
    static boolean startFromEnvironment(Map<String, String> environment, Runnable onGone) {
        OptionalLong pid = parsePid(environment.get(VARIABLE));
        if (pid.isEmpty()) {
            return false;
        }
        Thread thread = new Thread(() -> new ParentWatch(ProcessHandle.current(), pid.getAsLong()).run(onGone),
                "parent-watch");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** The pid in {@code value}, or empty when it is absent, blank, not a number or not positive. */
    static OptionalLong parsePid(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long pid = Long.parseLong(value.strip());
            return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Polls {@link #starterGone()} once a second and runs {@code onGone} when it says so. */
    void run(Runnable onGone) {
        LOG.fine(() -> "watching for the end of process " + starter + " (" + VARIABLE + "), "
                + (starterWasAncestor ? "an ancestor" : "not an ancestor") + "; parent " + originalParent);
        try {
            while (!starterGone()) {
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (InterruptedException e) {
            return;
        }
        onGone.run();
    }

    /** Whether the process that started the kernel is gone (see the class comment for the rules). */
    boolean starterGone() {
        return parentPid(self) != originalParent || starterWasAncestor && !isAncestor(self, starter);
    }

    private static long parentPid(ProcessHandle process) {
        return process.parent().map(ProcessHandle::pid).orElse(-1L);
    }

    private static boolean isAncestor(ProcessHandle process, long pid) {
        Optional<ProcessHandle> up = process.parent();
        for (int depth = 0; up.isPresent() && depth < MAX_DEPTH; depth++) {
            if (up.get().pid() == pid) {
                return true;
            }
            up = up.get().parent();
        }
        return false;
    }
}
