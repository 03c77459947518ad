package org.rnnlab.kernel.magic;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code %jars glob ...}: adds jars to the class path ({@link Globs}). */
final class JarsMagic implements Magic.Line {
    @Override
    public String name() {
        return "jars";
    }

    @Override
    public String help() {
        return "add jars to the class path (globs allowed): %jars lib/*.jar";
    }

    @Override
    public Object run(MagicContext context, String args) throws Exception {
        List<File> files = new ArrayList<>();
        for (String pattern : CellParser.splitArgs(args)) {
            List<File> found = Globs.expand(pattern);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no file matches '" + pattern + "' (relative to "
                        + Path.of("").toAbsolutePath() + ")");
            }
            files.addAll(found);
        }
        context.addToClasspath(files);
        return null;
    }
}
