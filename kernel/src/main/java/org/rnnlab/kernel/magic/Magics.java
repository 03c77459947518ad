package org.rnnlab.kernel.magic;

import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of magics: each has a name, a one-line description (shown by {@code %lsmagic}) and a handler.
 */
public final class Magics {
    /** A line magic: receives the rest of its line. */
    @FunctionalInterface
    public interface LineHandler {
        /** @return a value to show as the magic's result, or null */
        Object run(String args) throws Exception;
    }

    /** A cell magic: receives the rest of the first line and the cell body. */
    @FunctionalInterface
    public interface CellHandler {
        /** @return a value to show as the cell's result, or null */
        Object run(String args, String body) throws Exception;
    }

    private record Line(String help, LineHandler handler) {
    }

    private record Cell(String help, CellHandler handler) {
    }

    private final Map<String, Line> lines = new TreeMap<>();
    private final Map<String, Cell> cells = new TreeMap<>();

    /** Registers a line magic {@code %name}. */
    public Magics line(String name, String help, LineHandler handler) {
        lines.put(name, new Line(help, handler));
        return this;
    }

    /** Registers a cell magic {@code %%name}. */
    public Magics cell(String name, String help, CellHandler handler) {
        cells.put(name, new Cell(help, handler));
        return this;
    }

    /** The line magic called {@code name}. */
    public LineHandler lineMagic(String name) throws UnknownMagicException {
        Line l = lines.get(name);
        if (l == null) {
            throw new UnknownMagicException("%" + name, describe());
        }
        return l.handler();
    }

    /** The cell magic called {@code name}. */
    public CellHandler cellMagic(String name) throws UnknownMagicException {
        Cell c = cells.get(name);
        if (c == null) {
            throw new UnknownMagicException("%%" + name, describe());
        }
        return c.handler();
    }

    /** Names of the line magics. */
    public java.util.Set<String> lineNames() {
        return lines.keySet();
    }

    /** Names of the cell magics. */
    public java.util.Set<String> cellNames() {
        return cells.keySet();
    }

    /** All magics with their descriptions, one per line (the text of {@code %lsmagic}). */
    public String describe() {
        StringBuilder sb = new StringBuilder("Line magics:\n");
        lines.forEach((name, l) -> sb.append(String.format("  %%%-12s %s%n", name, l.help())));
        sb.append("Cell magics:\n");
        cells.forEach((name, c) -> sb.append(String.format("  %%%%%-11s %s%n", name, c.help())));
        return sb.toString();
    }

    /** Thrown for a magic name that is not registered; the message lists the ones that are. */
    public static final class UnknownMagicException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownMagicException(String name, String known) {
            super(name + " is not a magic of this kernel. Available:\n" + known);
        }
    }
}
