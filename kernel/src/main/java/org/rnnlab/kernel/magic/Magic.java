package org.rnnlab.kernel.magic;

/**
 * A magic of the kernel: one class per magic, registered in {@link Magics} (which {@code %lsmagic} lists).
 * A magic is a line magic ({@link Line}, {@code %name args} on a line of its own), a cell magic ({@link Cell},
 * {@code %%name args} as the first line of a cell), or both. Its help text lives with it.
 */
public interface Magic {
    /** The name, without {@code %}. */
    String name();

    /** One line for {@code %lsmagic}: what the magic does and how to write it. */
    String help();

    /** A line magic: {@code %name args}. */
    interface Line extends Magic {
        /**
         * Runs the magic.
         *
         * @param context the running cell and the kernel's parts a magic may use
         * @param args    the rest of the magic's line
         * @return a value to show as the magic's result (rendered like a cell's value), or null
         */
        Object run(MagicContext context, String args) throws Exception;
    }

    /** A cell magic: {@code %%name args} on the first line, applied to the rest of the cell. */
    interface Cell extends Magic {
        /**
         * Runs the magic.
         *
         * @param context    the running cell and the kernel's parts a magic may use
         * @param args       the rest of the first line
         * @param body       the cell below the first line
         * @param bodyOffset where {@code body} starts in the cell (for error positions, see
         *                   {@link MagicContext#runBody})
         * @return a value to show as the cell's result, or null
         */
        Object runCell(MagicContext context, String args, String body, int bodyOffset) throws Exception;

        /** The help text of the cell form, when it differs from the line form's. */
        default String cellHelp() {
            return help();
        }
    }
}
