package org.rnnlab.kernel.magic;

import org.rnnlab.kernel.api.DisplayBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code %load file}: runs a {@code .jsh}/{@code .java} file, or the code cells of a notebook ({@link LoadSources}). */
final class LoadMagic implements Magic.Line {
    @Override
    public String name() {
        return "load";
    }

    @Override
    public String help() {
        return "run a .jsh/.java file, or the code cells of a notebook: %load file";
    }

    @Override
    public Object run(MagicContext context, String args) throws Exception {
        List<String> a = CellParser.splitArgs(args);
        if (a.size() != 1) {
            throw new IllegalArgumentException("write %load path/to/file.jsh (or .java, .ipynb)");
        }
        Path file = Path.of(a.get(0));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a file");
        }
        DisplayBundle last = null;
        for (String cell : LoadSources.cells(file)) {
            last = context.runCode(cell);
        }
        return last;
    }
}
