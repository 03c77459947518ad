package org.rnnlab.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's watch on the process that started it, on real processes: a shell and its child. */
class ParentWatchTest {
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatWasStarted() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void onlyAPositivePidCounts() {
        assertEquals(OptionalLong.of(1234), ParentWatch.parsePid(" 1234\n"));
        for (String notAPid : new String[] {null, "", "  ", "abc", "12x", "0", "-5", "99999999999999999999"}) {
            assertTrue(ParentWatch.parsePid(notAPid).isEmpty(), String.valueOf(notAPid));
        }
    }

    @Test
    void nothingIsWatchedWithoutAUsableVariable() {
        Runnable mustNotRun = () -> {
            throw new AssertionError("no watch expected");
        };
        assertFalse(ParentWatch.startFromEnvironment(Map.of(), mustNotRun));
        assertFalse(ParentWatch.startFromEnvironment(Map.of(ParentWatch.VARIABLE, "not a pid"), mustNotRun));
    }

    @Test
    void aProcessWhoseStarterEndsNoticesWithinAMoment() throws Exception {
        ProcessHandle[] shellAndChild = shellWithChild();
        ParentWatch watch = new ParentWatch(shellAndChild[1], shellAndChild[0].pid());
        assertFalse(watch.starterGone(), "the starter is still running");

        shellAndChild[0].destroyForcibly();

        assertTrue(becomesTrue(watch), "the starter ended, so its child must see it gone");
    }

    @Test
    void aStarterThatIsNoAncestorOnlyCountsThroughAChangeOfParent() throws Exception {
        ProcessHandle[] shellAndChild = shellWithChild();
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        started.add(unrelated.toHandle());
        ParentWatch watch = new ParentWatch(shellAndChild[1], unrelated.pid());

        unrelated.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertFalse(watch.starterGone(), "a process that never was an ancestor ended: no reason to exit");

        shellAndChild[0].destroyForcibly();
        assertTrue(becomesTrue(watch), "the parent changed, so the one that started the process is gone");
    }

    /** A shell, and a {@code sleep} it started; both are killed after the test. */
    private ProcessHandle[] shellWithChild() throws IOException {
        Process shell = new ProcessBuilder("bash", "-c", "sleep 60 & echo $!; wait").start();
        started.add(shell.toHandle());
        try (var out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
            ProcessHandle child = ProcessHandle.of(Long.parseLong(out.readLine().strip())).orElseThrow();
            started.add(child);
            return new ProcessHandle[] {shell.toHandle(), child};
        }
    }

    private static boolean becomesTrue(ParentWatch watch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (watch.starterGone()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
