package org.rnnlab.plot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.rnnlab.train.History;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Small Tablesaw tables for lesson notebooks (the kernel renders a returned {@link Table} as HTML). Numbers are
 * printed to 4 significant digits, in scientific notation outside 0.001..10⁶; NaN is printed as {@code NaN}.
 */
public final class Tables {

    static {
        // show this library's values richly on whichever Java kernel runs the notebook
        org.rnnlab.notebook.KernelHooks.install();
    }

    private static final SigFigs FORMAT = new SigFigs(4);

    private Tables() {
    }

    /**
     * One row per group, in the map's order, with columns name, n, mean, std, min, median, max. The std is the
     * sample standard deviation (divisor n−1), NaN for a group of one; the median of an even count is the mean
     * of the two middle values.
     *
     * @throws IllegalArgumentException when there is no group, a group is empty or holds a non-finite value
     */
    public static Table summary(Map<String, double[]> groups) {
        Check.series(groups, "groups");
        StringColumn name = StringColumn.create("name");
        IntColumn n = IntColumn.create("n");
        DoubleColumn mean = number("mean");
        DoubleColumn std = number("std");
        DoubleColumn min = number("min");
        DoubleColumn median = number("median");
        DoubleColumn max = number("max");
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            double[] v = e.getValue().clone();
            Arrays.sort(v);
            int count = v.length;
            double m = Arrays.stream(v).sum() / count;
            double ss = Arrays.stream(v).map(x -> (x - m) * (x - m)).sum();
            name.append(e.getKey());
            n.append(count);
            mean.append(m);
            std.append(count > 1 ? Math.sqrt(ss / (count - 1)) : Double.NaN);
            min.append(v[0]);
            median.append(count % 2 == 1 ? v[count / 2] : (v[count / 2 - 1] + v[count / 2]) / 2);
            max.append(v[count - 1]);
        }
        return Table.create("summary", name, n, mean, std, min, median, max);
    }

    /** One row per update of a training run: step, epoch, loss, penalty, gradNorm, clippedNorm, clipped. */
    public static Table history(History h) {
        if (h == null) {
            throw new IllegalArgumentException("history is null: pass the History returned by training");
        }
        IntColumn step = IntColumn.create("step");
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn loss = number("loss");
        DoubleColumn penalty = number("penalty");
        DoubleColumn gradNorm = number("gradNorm");
        DoubleColumn clippedNorm = number("clippedNorm");
        BooleanColumn clipped = BooleanColumn.create("clipped");
        for (History.Step s : h.steps()) {
            step.append(s.step());
            epoch.append(s.epoch());
            loss.append(s.loss());
            penalty.append(s.penalty());
            gradNorm.append(s.gradNorm());
            clippedNorm.append(s.clippedNorm());
            clipped.append(s.clipped());
        }
        return Table.create("history", step, epoch, loss, penalty, gradNorm, clippedNorm, clipped);
    }

    /**
     * A table of numbers from rows, e.g. {@code Tables.of(new String[]{"delay", "accuracy"}, new double[][]{{5, .98},
     * {10, .91}})}.
     *
     * @throws IllegalArgumentException when the names are missing or repeated, or a row has the wrong length
     */
    public static Table of(String[] columnNames, double[][] rows) {
        if (columnNames == null || columnNames.length == 0) {
            throw new IllegalArgumentException("no column names given: name every column");
        }
        if (rows == null) {
            throw new IllegalArgumentException("rows are null: pass new double[0][] for an empty table");
        }
        checkUnique(columnNames, "column");
        DoubleColumn[] cols = new DoubleColumn[columnNames.length];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = number(columnNames[j]);
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != columnNames.length) {
                throw new IllegalArgumentException("row " + i + " has " + (rows[i] == null ? "no" : rows[i].length)
                        + " values but there are " + columnNames.length + " columns " + Arrays.toString(columnNames));
            }
            for (int j = 0; j < cols.length; j++) {
                cols[j].append(rows[i][j]);
            }
        }
        return Table.create("table", cols);
    }

    /**
     * A labelled matrix (e.g. a weight matrix or a confusion matrix): a first column of row names, then one column
     * per matrix column. Pass null for either names to number the rows or columns from 0.
     *
     * @throws IllegalArgumentException when the matrix is empty or ragged, or the names do not match its shape
     */
    public static Table matrix(String title, double[][] m, String[] rowNames, String[] colNames) {
        if (m == null || m.length == 0 || m[0] == null || m[0].length == 0) {
            throw new IllegalArgumentException("matrix is empty: give at least one row with one value");
        }
        int cols = m[0].length;
        String[] rn = rowNames != null ? rowNames : numbered(m.length);
        String[] cn = colNames != null ? colNames : numbered(cols);
        if (rn.length != m.length) {
            throw new IllegalArgumentException(rn.length + " row names for a matrix with " + m.length + " rows");
        }
        if (cn.length != cols) {
            throw new IllegalArgumentException(cn.length + " column names for a matrix with " + cols + " columns");
        }
        checkUnique(cn, "column");
        StringColumn first = StringColumn.create(uniqueFirstName(cn), rn);
        DoubleColumn[] columns = new DoubleColumn[cols];
        for (int j = 0; j < cols; j++) {
            columns[j] = number(cn[j]);
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null || m[i].length != cols) {
                throw new IllegalArgumentException("matrix row " + i + " has " + (m[i] == null ? "no" : m[i].length)
                        + " values but row 0 has " + cols + ": rows must all have the same length");
            }
            for (int j = 0; j < cols; j++) {
                columns[j].append(m[i][j]);
            }
        }
        Table t = Table.create(title == null ? "matrix" : title, first);
        return t.addColumns(columns);
    }

    private static DoubleColumn number(String name) {
        DoubleColumn c = DoubleColumn.create(name);
        c.setPrintFormatter(FORMAT, "NaN");
        return c;
    }

    private static String[] numbered(int n) {
        String[] s = new String[n];
        Arrays.setAll(s, Integer::toString);
        return s;
    }

    private static String uniqueFirstName(String[] colNames) {
        List<String> taken = Arrays.asList(colNames);
        String name = " ";
        while (taken.contains(name)) {
            name += " ";
        }
        return name;
    }

    private static void checkUnique(String[] names, String what) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isBlank()) {
                throw new IllegalArgumentException(what + " name " + i + " is blank: give every " + what + " a name");
            }
            for (int j = 0; j < i; j++) {
                if (names[i].equalsIgnoreCase(names[j])) {
                    throw new IllegalArgumentException(what + " name '" + names[i] + "' appears twice (Tablesaw "
                            + "compares names ignoring case): give every " + what + " its own name");
                }
            }
        }
    }
}
