package org.rnnlab.kernel.magic;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code %classpath [path ...]}: lists the notebook's class path, or adds folders and jars to it. */
final class ClasspathMagic implements Magic.Line {
    @Override
    public String name() {
        return "classpath";
    }

    @Override
    public String help() {
        return "show the class path, or add folders/jars to it: %classpath [path ...]";
    }

    @Override
    public Object run(MagicContext context, String args) {
        List<String> paths = CellParser.splitArgs(args);
        if (paths.isEmpty()) {
            context.classpath().forEach(System.out::println);
            return null;
        }
        List<File> files = new ArrayList<>();
        for (String p : paths) {
            File f = new File(p);
            if (!f.exists()) {
                throw new IllegalArgumentException(f.getAbsolutePath() + " does not exist");
            }
            files.add(f);
        }
        context.addToClasspath(files);
        return null;
    }
}
