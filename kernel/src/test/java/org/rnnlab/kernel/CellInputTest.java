package org.rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Scanner;
import org.junit.jupiter.api.Test;

/** {@code System.in} of a cell: each line typed into the notebook, with its line break, asked for only when needed. */
class CellInputTest {
    /** Lines to hand out, and how many times one was asked for. */
    private static final class Typed implements CellInput.Lines {
        final Deque<String> lines;
        int asked;

        Typed(String... lines) {
            this.lines = new ArrayDeque<>(List.of(lines));
        }

        @Override
        public String next() {
            asked++;
            return lines.poll();
        }
    }

    @Test
    void scannerAndReaderSeeEachTypedLineAndThenEndOfInput() throws IOException {
        Typed typed = new Typed("Ada", "42 7", "Grace Hopper");
        CellInput in = new CellInput(typed);
        Scanner scanner = new Scanner(in, StandardCharsets.UTF_8);
        assertEquals("Ada", scanner.nextLine());
        assertEquals(42, scanner.nextInt());
        assertEquals(7, scanner.nextInt());
        scanner.nextLine();
        assertEquals("Grace Hopper", scanner.nextLine());
        assertFalse(scanner.hasNextLine());
        assertThrows(NoSuchElementException.class, scanner::nextLine);
    }

    @Test
    void aLineIsAskedForOnlyWhenEverythingTypedBeforeHasBeenRead() throws IOException {
        Typed typed = new Typed("héllo", "second");
        CellInput in = new CellInput(typed);
        assertEquals(0, typed.asked, "nothing is asked before a read");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        assertEquals("héllo", reader.readLine());
        assertEquals(1, typed.asked, "one read, one question");
        assertEquals("second", reader.readLine());
        assertEquals(null, reader.readLine());
    }

    @Test
    void clearForgetsWhatAnEarlierCellLeftUnread() throws IOException {
        CellInput in = new CellInput(new Typed("abc", "next"));
        assertEquals('a', in.read());
        assertEquals(3, in.available(), "b, c and the line break are left");
        in.clear();
        assertEquals(0, in.available());
        byte[] b = new byte[10];
        assertEquals(5, in.read(b, 0, 10));
        assertEquals("next\n", new String(b, 0, 5, StandardCharsets.UTF_8));
        assertEquals(-1, in.read());
    }
}
