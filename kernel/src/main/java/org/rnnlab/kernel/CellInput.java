package org.rnnlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a cell reads from {@code System.in}: the lines the user types into the notebook's input box, one line per
 * question, each followed by a line break, so that {@code new Scanner(System.in).nextLine()} and
 * {@code BufferedReader.readLine()} work as in a terminal. A line is asked for only when a read finds nothing left.
 */
final class CellInput extends InputStream {

    /** Where lines come from. */
    interface Lines {
        /** The next line the user typed, without its line break; null for end of input. */
        String next() throws IOException;
    }

    private final Lines lines;
    private byte[] buffer = new byte[0];
    private int position;

    CellInput(Lines lines) {
        this.lines = lines;
    }

    @Override
    public synchronized int read() throws IOException {
        return fill() ? buffer[position++] & 0xff : -1;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return buffer.length - position;
    }

    /** Forgets what was typed but not read, so that a cell does not read the rest of an earlier cell's line. */
    synchronized void clear() {
        buffer = new byte[0];
        position = 0;
    }

    /** True when unread bytes are buffered, after asking for a line if there were none; false at end of input. */
    private boolean fill() throws IOException {
        if (position < buffer.length) {
            return true;
        }
        String line = lines.next();
        if (line == null) {
            return false;
        }
        buffer = (line + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }
}
