package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnlab.kernel.api.CellExitError;
import org.rnnlab.kernel.api.CellInterruptedError;
import org.rnnlab.kernel.errors.CellError;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's cell evaluation in process, without a Jupyter connection. */
class RnnLabKernelTest {
    private static RnnLabKernel kernel;
    private static int count = 100;

    @BeforeAll
    static void start() {
        kernel = new RnnLabKernel(System.err);
        org.rnnlab.kernel.api.Notebook.install(kernel);
        kernel.startJShell();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    private static Object run(String code) throws CellError {
        var bundle = kernel.runCell(code, ++count);
        return bundle == null ? null : bundle.get("text/plain");
    }

    @Test
    void lastExpressionOfTheCellIsItsValueAndStatePersists() throws Exception {
        assertNull(run("int answerBase = 20;"));
        assertEquals("42", run("int twice = answerBase * 2;\ntwice + 2"));
        assertEquals("[1, 2]", run("List.of(1, 2)"));
        assertNull(run("System.out.print(\"\");"));
    }

    @Test
    void compileErrorsNameLineAndColumnOfTheCell() {
        CellError e = assertThrows(CellError.class, () -> run("int ok = 1;\nint bad = \"text\";"));

        assertEquals("CompilationException", e.ename());
        assertTrue(e.evalue().startsWith("line 2, column 11"), e.evalue());
    }

    @Test
    void runtimeExceptionsKeepTheirClassAndPointAtTheCell() {
        CellError e = assertThrows(CellError.class, () -> run("Object o = null;\no.hashCode()"));

        assertEquals("java.lang.NullPointerException", e.ename());
        String trace = String.join("\n", e.traceback());
        assertTrue(trace.contains("line 2)"), trace);
        assertTrue(e.evalue().contains("because \"o\" is null"), e.evalue());
        assertTrue(!trace.contains("jdk.jshell") && !trace.contains("REPL."), trace);
    }

    /** Runs {@code code} in a cell on another thread, interrupts the kernel half a second later, returns the error. */
    private CellError interruptedWhileRunning(String code) throws Exception {
        CompletableFuture<CellError> cell = CompletableFuture.supplyAsync(() -> {
            try {
                run(code);
                return null;
            } catch (CellError e) {
                return e;
            }
        });
        Thread.sleep(500);
        kernel.interrupt();
        return cell.get(20, TimeUnit.SECONDS);
    }

    @Test
    void interruptStopsATightLoopAndKeepsEarlierState() throws Exception {
        run("int survivor = 5;");
        CellError e = interruptedWhileRunning("while (true) {}");
        assertEquals(CellInterruptedError.class.getName(), e.ename());
        assertEquals("6", run("survivor + 1"));
    }

    @Test
    void codeThatStopsOnItsOwnKeepsItsResultAndTheNextCellIsNotInterrupted() throws Exception {
        CellError e = interruptedWhileRunning(
                "long partial = 0;\nwhile (!Thread.currentThread().isInterrupted()) { partial++; }\npartial = -1;");
        assertEquals(CellInterruptedError.class.getName(), e.ename());
        assertTrue(e.traceback().get(1).contains("line 2"), e.traceback().toString());
        assertEquals("true", run("partial > 0"));
        assertEquals("done", run("Thread.sleep(5);\n\"done\""));
    }

    @Test
    void systemExitEndsOnlyTheCell() throws Exception {
        CellError e = assertThrows(CellError.class, () -> run("System.exit(0);"));

        assertEquals(CellExitError.class.getName(), e.ename());
        assertEquals("2", run("1 + 1"));
    }

    @Test
    void assertionsAreOn() {
        CellError e = assertThrows(CellError.class, () -> run("assert false : \"on\";"));

        assertEquals("java.lang.AssertionError", e.ename());
    }

    @Test
    void isCompleteFollowsJavaSyntax() {
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("int x = 1;\n%vars"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(BaseKernel.IS_COMPLETE_BAD, kernel.isComplete("int x = ;"));
    }

    @Test
    void completionWorksOnTheSnippetUnderTheCursor() {
        String code = "int first = 1;\nMath.sq";

        ReplacementOptions options = kernel.complete(code, code.length());

        assertTrue(options.getReplacements().contains("sqrt("));
        assertEquals(code.length() - 2, options.getSourceStart());
    }

    @Test
    void inspectionShowsSignatures() {
        var data = kernel.inspect("Math.max(1, 2)", 6, false);

        assertTrue(data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN).toString()
                .contains("max(int a, int b)"));
    }

    @Test
    void aMagicRegisteredWithTheKernelIsListedAndRuns() throws Exception {
        kernel.magics().register(new org.rnnlab.kernel.magic.Magic.Line() {
            @Override
            public String name() {
                return "shout";
            }

            @Override
            public String help() {
                return "the rest of the line in capitals: %shout text";
            }

            @Override
            public Object run(org.rnnlab.kernel.magic.MagicContext context, String args) throws Exception {
                context.runCode("int shouted = " + args.length() + ";");
                return args.toUpperCase(java.util.Locale.ROOT);
            }
        });

        java.io.ByteArrayOutputStream listed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(listed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertNull(run("%lsmagic"));
        } finally {
            System.setOut(out);
        }
        assertTrue(listed.toString(java.nio.charset.StandardCharsets.UTF_8)
                .contains("%shout        the rest of the line in capitals: %shout text"), listed.toString());
        assertEquals("HELLO", run("int before = 1;\n%shout hello"));
        assertEquals("5", run("shouted"));
        assertTrue(kernel.complete("%sh", 3).getReplacements().contains("%shout"));
    }

    /** A value class of "another library": loaded by its own class loader, unknown to the kernel. */
    public static final class Celsius {
        final double degrees;

        public Celsius(double degrees) {
            this.degrees = degrees;
        }

        @Override
        public String toString() {
            return degrees + " C";
        }
    }

    @Test
    void aRendererRegisteredByAnotherLibraryRendersItsValuesInCellsAndDisplays() throws Exception {
        kernel.registerRenderer("org.rnnlab.kernel.RnnLabKernelTest$Celsius", value -> new org.rnnlab.kernel.api
                .DisplayBundle().put("text/html", "<b>" + value + "</b>").put("text/plain", "thermometer " + value));

        assertEquals("thermometer 21.5 C", kernel.render(new Celsius(21.5)).get("text/plain"));
        assertEquals("<b>21.5 C</b>", kernel.render(new Celsius(21.5), "text/html").get("text/html"));
        assertEquals("thermometer 3.0 C", kernel.getRenderer().render(new Celsius(3)).getData(
                org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        // through the notebook API, as a library on the notebook's class path would, for a value made in a cell
        assertNull(run("org.rnnlab.kernel.api.Notebook.registerRenderer(\"java.time.Duration\","
                + " d -> new org.rnnlab.kernel.api.DisplayBundle().put(\"text/plain\", \"lasting \" + d));"));
        assertEquals("lasting PT2S", run("java.time.Duration.ofSeconds(2)"));
    }

    @Test
    void magicsRunBetweenCodeInOrder() throws Exception {
        assertEquals("45", run("%%time\nint t = 0;\nfor (int i = 0; i < 10; i++) t += i;\nt"));
        CellError e = assertThrows(CellError.class, () -> run("%nosuch"));
        assertEquals("UnknownMagic", e.ename());
    }
}
