package org.rnnlab.kernel.magic;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagicsTest {

    @Test
    void registeredMagicsRunAndUnknownOnesListTheKnownOnes() throws Exception {
        Magics magics = new Magics()
                .line("echo", "print its arguments", (context, args) -> "echo " + args)
                .cell("twice", "repeat the body", (context, args, body, offset) -> body + body);

        assertEquals("echo hi", magics.lineMagic("echo").run(null, "hi"));
        assertEquals("abab", magics.cellMagic("twice").runCell(null, "", "ab", 0));
        Magics.UnknownMagicException e = assertThrows(Magics.UnknownMagicException.class, () -> magics.lineMagic("nope"));
        assertTrue(e.getMessage().startsWith("%nope is not a magic"));
        assertTrue(e.getMessage().contains("%echo"));
        assertTrue(magics.describe().contains("%%twice"));
    }

    @Test
    void theStandardMagicsAreOneClassEachWithTheirOwnHelp() {
        Magics magics = Magics.standard();

        assertEquals(List.of("classpath", "jars", "load", "lsmagic", "maven", "mavenRepo", "time", "vars"),
                List.copyOf(magics.lineNames()));
        assertEquals(List.of("time"), List.copyOf(magics.cellNames()));
        String listing = magics.describe();
        assertTrue(listing.contains("%time         time one line of code: %time expression"), listing);
        assertTrue(listing.contains("%%time        time the whole cell"), listing);
        assertThrows(IllegalArgumentException.class, () -> magics.line("no good", "", (c, a) -> null));
    }

    @Test
    void formatsWallTime() {
        assertEquals("Wall time: 12.5 ms", TimeMagic.format(12_500_000L));
        assertEquals("Wall time: 1.50 s", TimeMagic.format(1_500_000_000L));
    }

    @Test
    void varsIsATableWithEscapedHtmlAndCutValues() {
        var bundle = VarsMagic.table(List.of(new MagicContext.Variable("xs", "List<Integer>", "[1, 2]"),
                new MagicContext.Variable("s", "String", "\"" + "a".repeat(80) + "\"")));

        String plain = bundle.get("text/plain").toString();
        assertTrue(plain.startsWith("Name  Type           Value\nxs    List<Integer>  [1, 2]"), plain);
        assertTrue(plain.endsWith("..."), plain);
        assertTrue(bundle.get("text/html").toString().contains("<td>List&lt;Integer&gt;</td>"));
        assertEquals("No variables defined yet.", VarsMagic.table(List.of()).get("text/plain"));
    }

    @Test
    void jarsGlobsExpandToSortedExistingFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib/sub"));
        Files.writeString(dir.resolve("lib/b.jar"), "");
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/readme.txt"), "");
        Files.writeString(dir.resolve("lib/sub/c.jar"), "");

        assertEquals(List.of(dir.resolve("lib/a.jar").toFile(), dir.resolve("lib/b.jar").toFile()),
                Globs.expand(dir + "/lib/*.jar"));
        assertEquals(3, Globs.expand(dir + "/lib/**.jar").size());
        assertEquals(List.of(), Globs.expand(dir + "/nothing/*.jar"));
    }

    @Test
    void loadReadsTheCodeCellsOfANotebook() {
        String notebook = "{\"cells\": ["
                + "{\"cell_type\": \"markdown\", \"source\": [\"# hi\"]},"
                + "{\"cell_type\": \"code\", \"source\": [\"int a = 1;\\n\", \"a\"]},"
                + "{\"cell_type\": \"code\", \"source\": \"%vars\"}], \"nbformat\": 4}";

        assertEquals(List.of("int a = 1;\na", "%vars"), LoadSources.notebookCodeCells(notebook));
    }
}
