package org.rnnlab.kernel.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TopLevelSplitterTest {

    private static String first(String code) {
        int n = TopLevelSplitter.firstUnit(code);
        return n < 0 ? code : code.substring(0, n);
    }

    @Test
    void aMethodWithAnArrowSwitchEndsAtItsClosingBrace() {
        String method = "String f(String k){ switch(k){ case \"a\" -> { return \"A\"; } default -> throw new X(k); } }";
        assertEquals(method, first(method + "\nString[] kinds = {\"a\"};"));
    }

    @Test
    void aStatementEndsAtItsSemicolonEvenAfterBraces() {
        assertEquals("int[] a = {1, 2};", first("int[] a = {1, 2};\nint b = 3;"));
        assertEquals("Runnable r = () -> { run(); };", first("Runnable r = () -> { run(); };\nr.run();"));
    }

    @Test
    void elseCatchAndFinallyContinueTheStatement() {
        String ifElse = "if (x) { a(); } else { b(); }";
        assertEquals(ifElse, first(ifElse + "\nc();"));
        String tryCatch = "try { a(); } catch (Exception e) { b(); } finally { c(); }";
        assertEquals(tryCatch, first(tryCatch + "\nd();"));
    }

    @Test
    void bracesAndSemicolonsInStringsAndCommentsDoNotCount() {
        assertEquals("String s = \"};\";", first("String s = \"};\"; // };\nint x;"));
        assertEquals("char c = '}';", first("char c = '}';\nint y;"));
        assertEquals("/* ; } */ int z = 1;", first("/* ; } */ int z = 1;\nint w;"));
    }

    @Test
    void aSingleUnitIsTheWholeCode() {
        assertEquals(-1, TopLevelSplitter.firstUnit("int x = 1;"));
        assertEquals(-1, TopLevelSplitter.firstUnit("void f() { }  // done"));
    }
}
