package org.rnnlab.kernel.errors;

import java.util.List;

/**
 * A failed cell as Jupyter reports it: {@code ename} (the real exception class, or
 * {@code CompilationException}), {@code evalue} (the message) and the traceback lines shown to the student.
 */
public final class CellError extends Exception {
    private static final long serialVersionUID = 1L;
    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    /** Creates the error report. */
    public CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue == null ? "" : evalue;
        this.traceback = List.copyOf(traceback);
    }

    /** The error name: the exception's class name. */
    public String ename() {
        return ename;
    }

    /** The error message. */
    public String evalue() {
        return evalue;
    }

    /** The lines shown under the cell. */
    public List<String> traceback() {
        return traceback;
    }
}
