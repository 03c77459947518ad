package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code System.out} and {@code System.err} of the kernel JVM while it serves a notebook: what notebook code
 * prints goes, line by line, to the output of the cell that is running (or ran last).
 *
 * <p>Library start-up chatter that is not the student's output is kept out of the notebook's stderr (a grader
 * counts stderr as failure): SLF4J's "no providers"/"defaulting to no-operation" notes (lines starting
 * {@code SLF4J:} or {@code SLF4J(W):}/{@code SLF4J(I):}) are sent to the kernel log instead.
 */
final class CellStreams {
    private final Supplier<ReplyEnvironment> currentEnv;
    private final PrintStream kernelLog;
    final PrintStream out;
    final PrintStream err;
    private final CellOutput outSink;
    private final CellOutput errSink;

    CellStreams(Supplier<ReplyEnvironment> currentEnv, PrintStream kernelLog) {
        this.currentEnv = currentEnv;
        this.kernelLog = kernelLog;
        this.outSink = new CellOutput(PublishStream.StreamType.OUT);
        this.errSink = new CellOutput(PublishStream.StreamType.ERR);
        this.out = new PrintStream(outSink, true, StandardCharsets.UTF_8);
        this.err = new PrintStream(errSink, true, StandardCharsets.UTF_8);
    }

    /** Sends whatever is buffered (a {@code print} without newline) to the cell. */
    void flush() {
        out.flush();
        err.flush();
    }

    /** Whether a stderr line is library noise rather than the notebook's own output. */
    static boolean isLibraryNoise(String line) {
        return line.startsWith("SLF4J: ") || line.startsWith("SLF4J(W): ") || line.startsWith("SLF4J(I): ")
                || line.startsWith("SLF4J(D): ");
    }

    private final class CellOutput extends OutputStream {
        private final PublishStream.StreamType type;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        CellOutput(PublishStream.StreamType type) {
            this.type = type;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (buffer.size() == 0) {
                return;
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            if (type == PublishStream.StreamType.ERR) {
                text = dropNoise(text);
                if (text.isEmpty()) {
                    return;
                }
            }
            ReplyEnvironment env = currentEnv.get();
            if (env == null) {
                kernelLog.print(text);
                kernelLog.flush();
                return;
            }
            env.publish(new PublishStream(type, text));
        }

        private String dropNoise(String text) {
            StringBuilder kept = new StringBuilder(text.length());
            for (String line : text.split("(?<=\n)")) {
                if (isLibraryNoise(line)) {
                    kernelLog.print(line);
                } else {
                    kept.append(line);
                }
            }
            return kept.toString();
        }
    }
}
