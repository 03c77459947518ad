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
                .line("echo", "print its arguments", args -> "echo " + args)
                .cell("twice", "repeat the body", (args, body) -> body + body);

        assertEquals("echo hi", magics.lineMagic("echo").run("hi"));
        assertEquals("abab", magics.cellMagic("twice").run("", "ab"));
        Magics.UnknownMagicException e = assertThrows(Magics.UnknownMagicException.class, () -> magics.lineMagic("nope"));
        assertTrue(e.getMessage().startsWith("%nope is not a magic"));
        assertTrue(e.getMessage().contains("%echo"));
        assertTrue(magics.describe().contains("%%twice"));
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
