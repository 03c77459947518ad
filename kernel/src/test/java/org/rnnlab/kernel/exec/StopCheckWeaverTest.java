package org.rnnlab.kernel.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rnnlab.kernel.api.CellControl;
import org.rnnlab.kernel.api.CellExitError;
import org.rnnlab.kernel.api.CellInterruptedError;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StopCheckWeaverTest {

    /** Code as a student writes it; loaded woven, below. */
    public static final class Sample {
        public static long spin() {
            long n = 0;
            while (true) {
                n++;
            }
        }

        public static int quit() {
            System.exit(3);
            return 0;
        }

        public static int sum(int upTo) {
            int s = 0;
            for (int i = 1; i <= upTo; i++) {
                s += i;
            }
            return s;
        }
    }

    private static Class<?> woven(boolean backwardJumps) throws Exception {
        String name = Sample.class.getName();
        byte[] original;
        try (InputStream in = Sample.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
            original = in.readAllBytes();
        }
        byte[] bytes = StopCheckWeaver.weave(original, backwardJumps);
        return new ClassLoader(StopCheckWeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        }.loadClass(name);
    }

    @AfterEach
    void clear() {
        CellControl.clearStop();
    }

    @Test
    void wovenLoopStopsWhenStopIsRequested() throws Exception {
        Method spin = woven(true).getMethod("spin");
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                spin.invoke(null);
                return null;
            } catch (InvocationTargetException e) {
                return e.getCause();
            } catch (IllegalAccessException e) {
                return e;
            }
        });
        Thread.sleep(200);
        CellControl.requestStop();

        assertInstanceOf(CellInterruptedError.class, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void systemExitBecomesACellError() throws Exception {
        Method quit = woven(false).getMethod("quit");

        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> quit.invoke(null));

        assertEquals(3, assertInstanceOf(CellExitError.class, e.getCause()).status());
    }

    @Test
    void wovenCodeComputesTheSameResults() throws Exception {
        assertEquals(5050, woven(true).getMethod("sum", int.class).invoke(null, 100));
        assertEquals(5050, woven(false).getMethod("sum", int.class).invoke(null, 100));
    }

    @Test
    void unparsableBytesAreLeftAlone() {
        byte[] junk = {1, 2, 3};

        assertEquals(junk, StopCheckWeaver.weave(junk, true));
    }
}
