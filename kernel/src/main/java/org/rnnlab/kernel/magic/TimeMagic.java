package org.rnnlab.kernel.magic;

import java.util.Locale;

/** {@code %time code} and {@code %%time}: runs one line, or the whole cell, and prints the wall time. */
final class TimeMagic implements Magic.Line, Magic.Cell {
    @Override
    public String name() {
        return "time";
    }

    @Override
    public String help() {
        return "time one line of code: %time expression";
    }

    @Override
    public String cellHelp() {
        return "time the whole cell";
    }

    @Override
    public Object run(MagicContext context, String args) throws Exception {
        long t0 = System.nanoTime();
        try {
            return context.runCode(args);
        } finally {
            System.out.println(format(System.nanoTime() - t0));
        }
    }

    @Override
    public Object runCell(MagicContext context, String args, String body, int bodyOffset) throws Exception {
        long t0 = System.nanoTime();
        try {
            return context.runBody(body, bodyOffset);
        } finally {
            System.out.println(format(System.nanoTime() - t0));
        }
    }

    static String format(long nanos) {
        double ms = nanos / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "Wall time: %.1f ms", ms)
                : String.format(Locale.ROOT, "Wall time: %.2f s", ms / 1000);
    }
}
