package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellHistoryTest {

    private static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getInput).collect(Collectors.toList());
    }

    @Test
    void searchMatchesGlobsNewestLastAndCanBeUnique() {
        CellHistory h = new CellHistory();
        h.add(1, "6*7", "42");
        h.add(2, "x = 1", "");
        h.add(3, "6*7", "42");
        h.add(4, "6*8", "48");

        assertEquals(List.of("6*7", "6*7", "6*8"), inputs(h.search("6*", 10, EnumSet.noneOf(ResultFlag.class))));
        assertEquals(List.of("6*7", "6*8"), inputs(h.search("6*", 10, EnumSet.of(ResultFlag.UNIQUE))));
        assertEquals(List.of("6*8"), inputs(h.search("6*", 1, EnumSet.noneOf(ResultFlag.class))));
        assertEquals(List.of("x = 1", "6*7", "6*8"), inputs(h.lookupTail(3, EnumSet.noneOf(ResultFlag.class))));
        assertEquals(List.of("x = 1"), inputs(h.lookupRange(1, 2, 3, EnumSet.noneOf(ResultFlag.class))));
    }

    @Test
    void libraryNoiseIsRecognisedButUserOutputIsNot() {
        assertEquals(true, CellStreams.isLibraryNoise("SLF4J(W): No SLF4J providers were found.\n"));
        assertEquals(true, CellStreams.isLibraryNoise("SLF4J: Failed to load class \"org.slf4j.impl.StaticLoggerBinder\".\n"));
        assertEquals(false, CellStreams.isLibraryNoise("SLF4J is a logging facade\n"));
        assertEquals(false, CellStreams.isLibraryNoise("loss: 0.3\n"));
    }
}
