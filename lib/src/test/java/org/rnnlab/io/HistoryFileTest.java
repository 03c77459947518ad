package org.rnnlab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.data.DelayTask;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.train.History;
import org.rnnlab.train.Trainer;

class HistoryFileTest {
    @TempDir
    Path dir;

    @Test
    void aSavedHistoryLoadsBackBitForBit() {
        SequenceModel m = SequenceModel.builder(4).lstm(6).output(4, Loss.CROSS_ENTROPY).seed(3).build();
        History h = new Trainer(m).clipNorm(0.5).batchSize(4).seed(1).fit(new DelayTask(4, 2, 10), 15);
        Path file = dir.resolve("sub/h.csv");
        HistoryFile.save(h, file);
        History back = HistoryFile.load(file);
        assertEquals(h.size(), back.size());
        assertArrayEquals(h.losses(), back.losses(), 0.0);
        assertArrayEquals(h.gradNorms(), back.gradNorms(), 0.0);
        assertArrayEquals(h.clippedNorms(), back.clippedNorms(), 0.0);
        assertEquals(h.steps(), back.steps());
        assertNull(back.stoppedBecause());
    }

    @Test
    void theReasonForAnEarlyStopIsKept() {
        History h = new History();
        h.add(new History.Step(0, 0, 1.5, 0.0, 2.0, 1.0));
        h.stop("training diverged at update 1", false);
        HistoryFile.save(h, dir.resolve("d.csv"));
        History back = HistoryFile.load(dir.resolve("d.csv"));
        assertEquals("training diverged at update 1", back.stoppedBecause());
        assertFalse(back.interrupted());
        assertTrue(back.steps().get(0).clipped());

        h.stop("interrupted after 1 updates", true);
        HistoryFile.save(h, dir.resolve("i.csv"));
        assertTrue(HistoryFile.load(dir.resolve("i.csv")).interrupted());
    }

    @Test
    void badFilesAreErrorsThatNameTheFile() throws IOException {
        Path missing = dir.resolve("missing.csv");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryFile.load(missing)).getMessage()
                .contains("no history file"));
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryFile.load(other)).getMessage()
                .contains("is not a history file"));
        Path broken = Files.writeString(dir.resolve("broken.csv"), HistoryFile.HEADER + "\n0,0,1.0,0.0\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryFile.load(broken)).getMessage()
                .contains("line 2 has 4 fields"));
        Path words = Files.writeString(dir.resolve("words.csv"), HistoryFile.HEADER + "\n0,0,x,0,0,0\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryFile.load(words)).getMessage()
                .contains("line 2 is not a row of numbers"));
    }
}
