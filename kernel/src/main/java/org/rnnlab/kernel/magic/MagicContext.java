package org.rnnlab.kernel.magic;

import org.rnnlab.kernel.api.DisplayBundle;
import org.rnnlab.kernel.errors.CellError;
import org.rnnlab.kernel.maven.MavenResolver;

import java.io.File;
import java.util.List;
import java.util.Set;

/**
 * What a magic may use of the kernel while it runs in a cell (implemented by the cell runner). Magics print to
 * {@code System.out}/{@code System.err}, which go to the running cell.
 */
public interface MagicContext {
    /** The magics registered (for {@code %lsmagic}). */
    Magics magics();

    /** The Maven resolver of {@code %maven} and {@code %mavenRepo}, made on first use with the user's settings. */
    MavenResolver resolver();

    /** The notebook's class path as added so far, in order. */
    Set<String> classpath();

    /** Adds jars or class folders to the notebook's class path (compiler and class loader); returns how many were new. */
    int addToClasspath(List<File> files);

    /**
     * Runs code as a cell of its own would run (magics included), with error positions in that code; returns the
     * rendered value of its last expression, or null.
     */
    DisplayBundle runCode(String code) throws CellError;

    /**
     * Runs the body of a cell magic: code that starts at {@code bodyOffset} of the running cell, so error positions
     * name lines of the cell.
     */
    DisplayBundle runBody(String body, int bodyOffset) throws CellError;

    /** The variables the notebook has defined, in order of definition. */
    List<Variable> variables();

    /** A notebook variable: its name, its declared type, and its value as JShell prints it. */
    record Variable(String name, String type, String value) {
    }
}
