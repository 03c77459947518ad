package org.rnnlab.kernel.magic;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The registry of magics, by name: the kernel's own ({@link #standard()}) and any registered later, by the kernel
 * or by code that has the kernel ({@code getKernelInstance()}). {@code %lsmagic} lists what is registered here,
 * with each magic's own help text; a magic registered under a name already taken replaces the earlier one.
 */
public final class Magics {
    /** A line magic as a lambda, for {@link #line(String, String, LineHandler)}. */
    @FunctionalInterface
    public interface LineHandler {
        /** @return a value to show as the magic's result, or null */
        Object run(MagicContext context, String args) throws Exception;
    }

    /** A cell magic as a lambda, for {@link #cell(String, String, CellHandler)}. */
    @FunctionalInterface
    public interface CellHandler {
        /** @return a value to show as the cell's result, or null */
        Object run(MagicContext context, String args, String body, int bodyOffset) throws Exception;
    }

    private final Map<String, Magic.Line> lines = new ConcurrentSkipListMap<>();
    private final Map<String, Magic.Cell> cells = new ConcurrentSkipListMap<>();

    /** The kernel's magics. */
    public static Magics standard() {
        return new Magics().registerAll(List.of(new MavenMagic(), new MavenRepoMagic(), new JarsMagic(),
                new ClasspathMagic(), new LoadMagic(), new TimeMagic(), new LsMagic(), new VarsMagic()));
    }

    /** Registers a magic: as a line magic, a cell magic, or both, as it implements {@link Magic.Line}/{@link Magic.Cell}. */
    public Magics register(Magic magic) {
        String name = magic.name();
        if (name == null || name.isEmpty() || !name.chars().allMatch(Character::isJavaIdentifierPart)) {
            throw new IllegalArgumentException("a magic's name is letters, digits and _ only: '" + name + "'");
        }
        if (!(magic instanceof Magic.Line) && !(magic instanceof Magic.Cell)) {
            throw new IllegalArgumentException(magic.getClass().getName() + " is neither a Magic.Line nor a Magic.Cell");
        }
        if (magic instanceof Magic.Line) {
            lines.put(name, (Magic.Line) magic);
        }
        if (magic instanceof Magic.Cell) {
            cells.put(name, (Magic.Cell) magic);
        }
        return this;
    }

    /** Registers several magics. */
    public Magics registerAll(List<? extends Magic> magics) {
        magics.forEach(this::register);
        return this;
    }

    /** Registers a line magic {@code %name} given as a lambda. */
    public Magics line(String name, String help, LineHandler handler) {
        return register(new Magic.Line() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String help() {
                return help;
            }

            @Override
            public Object run(MagicContext context, String args) throws Exception {
                return handler.run(context, args);
            }
        });
    }

    /** Registers a cell magic {@code %%name} given as a lambda. */
    public Magics cell(String name, String help, CellHandler handler) {
        return register(new Magic.Cell() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String help() {
                return help;
            }

            @Override
            public Object runCell(MagicContext context, String args, String body, int bodyOffset) throws Exception {
                return handler.run(context, args, body, bodyOffset);
            }
        });
    }

    /** The line magic called {@code name}. */
    public Magic.Line lineMagic(String name) throws UnknownMagicException {
        Magic.Line l = lines.get(name);
        if (l == null) {
            throw new UnknownMagicException("%" + name, describe());
        }
        return l;
    }

    /** The cell magic called {@code name}. */
    public Magic.Cell cellMagic(String name) throws UnknownMagicException {
        Magic.Cell c = cells.get(name);
        if (c == null) {
            throw new UnknownMagicException("%%" + name, describe());
        }
        return c;
    }

    /** Names of the line magics, sorted. */
    public Set<String> lineNames() {
        return lines.keySet();
    }

    /** Names of the cell magics, sorted. */
    public Set<String> cellNames() {
        return cells.keySet();
    }

    /** All magics with their help texts, one per line (the text of {@code %lsmagic}). */
    public String describe() {
        StringBuilder sb = new StringBuilder("Line magics:\n");
        lines.forEach((name, l) -> sb.append(String.format("  %%%-12s %s%n", name, l.help())));
        sb.append("Cell magics:\n");
        cells.forEach((name, c) -> sb.append(String.format("  %%%%%-11s %s%n", name, c.cellHelp())));
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
