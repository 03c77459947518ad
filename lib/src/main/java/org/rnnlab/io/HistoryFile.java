package org.rnnlab.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rnnlab.train.History;

/**
 * Saves a training {@link History} to a small CSV file and reads it back, so a lesson that ships a model trained
 * offline (see {@link ModelFile}) can also show how that training went: its learning curve, loss spikes, clipping.
 *
 * <p>Format: a header line {@value #HEADER}, then one line per update. Numbers are written with
 * {@link Double#toString(double)}, which reads back to the same double bit for bit, so a loaded history draws
 * exactly the curve the training produced. A history that stopped early keeps its reason in a last line
 * {@code # stopped: reason} (or {@code # interrupted: reason} when the stop button ended it).
 */
public final class HistoryFile {
    /** The first line of every history file. */
    public static final String HEADER = "step,epoch,loss,penalty,gradNorm,clippedNorm";
    private static final String STOPPED = "# stopped: ";
    private static final String INTERRUPTED = "# interrupted: ";

    private HistoryFile() {
    }

    /** Writes the history to {@code file} (replacing it), creating missing folders. */
    public static void save(History history, Path file) {
        if (history == null) {
            throw new IllegalArgumentException("history is null: pass the History returned by training");
        }
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (History.Step s : history.steps()) {
            sb.append(s.step()).append(',').append(s.epoch()).append(',').append(s.loss()).append(',')
                    .append(s.penalty()).append(',').append(s.gradNorm()).append(',').append(s.clippedNorm())
                    .append('\n');
        }
        if (history.stoppedBecause() != null) {
            sb.append(history.interrupted() ? INTERRUPTED : STOPPED)
                    .append(history.stoppedBecause().replace('\n', ' ')).append('\n');
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the history to " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads a history saved by {@link #save}; a file of another shape is an error naming the file and line. */
    public static History load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no history file at " + file.toAbsolutePath()
                    + " (check the path; the working directory is " + Path.of("").toAbsolutePath() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a history file (its first line "
                    + "should be '" + HEADER + "'); save one with HistoryFile.save(history, path)");
        }
        History h = new History();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.startsWith(STOPPED) || line.startsWith(INTERRUPTED)) {
                boolean byInterrupt = line.startsWith(INTERRUPTED);
                h.stop(line.substring((byInterrupt ? INTERRUPTED : STOPPED).length()), byInterrupt);
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != 6) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line %d has %d fields, expected 6 (%s)", file.toAbsolutePath(), n + 1, f.length, HEADER));
            }
            try {
                h.add(new History.Step(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file.toAbsolutePath() + " line " + (n + 1) + " is not a row of "
                        + "numbers: " + line, e);
            }
        }
        return h;
    }
}
