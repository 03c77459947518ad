package org.rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rnnlab.train.History;

import tech.tablesaw.api.Table;

class TablesTest {

    @Test
    void summaryComputesCountMeanSampleStdMinMedianMaxInGivenOrder() {
        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put("lstm", new double[] {4, 2, 8, 6});
        groups.put("gru", new double[] {3, 1, 2});
        Table t = Tables.summary(groups);
        assertEquals(List.of("name", "n", "mean", "std", "min", "median", "max"), t.columnNames());
        assertEquals("lstm", t.stringColumn("name").get(0));
        assertEquals("gru", t.stringColumn("name").get(1));
        assertEquals(4, t.intColumn("n").get(0));
        assertEquals(5.0, t.doubleColumn("mean").get(0), 1e-12);
        // squared deviations 1 + 9 + 9 + 1 = 20, divided by n-1 = 3
        assertEquals(Math.sqrt(20.0 / 3), t.doubleColumn("std").get(0), 1e-12);
        assertEquals(2.0, t.doubleColumn("min").get(0));
        assertEquals(5.0, t.doubleColumn("median").get(0), 1e-12);
        assertEquals(8.0, t.doubleColumn("max").get(0));
        assertEquals(2.0, t.doubleColumn("median").get(1));
        assertEquals(1.0, t.doubleColumn("std").get(1), 1e-12);
    }

    @Test
    void summaryOfASingleValueHasNoStd() {
        Table t = Tables.summary(Map.of("one seed", new double[] {0.3}));
        assertTrue(t.doubleColumn("std").isMissing(0));
        assertEquals("NaN", t.getString(0, "std"));
        assertEquals(0.3, t.doubleColumn("median").get(0));
    }

    @Test
    void summaryRejectsEmptyGroupsAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> Tables.summary(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Tables.summary(Map.of("gru", new double[] {1, Double.NaN})));
        assertTrue(e.getMessage().contains("'gru' has NaN at index 1"), e.getMessage());
    }

    @Test
    void numbersPrintToFourSignificantDigits() {
        Table t = Tables.of(new String[] {"x"}, new double[][] {{0.123456}, {12345.678}, {2e-7}, {Double.NaN}});
        assertEquals("0.1235", t.getString(0, "x"));
        assertEquals("12350", t.getString(1, "x"));
        assertEquals("2e-7", t.getString(2, "x"));
        assertEquals("NaN", t.getString(3, "x"));
    }

    @Test
    void historyTableHasOneRowPerUpdate() {
        History h = new History();
        h.add(new History.Step(0, 0, 2.5, 0.1, 7, 5));
        h.add(new History.Step(1, 0, 2.0, 0.1, 3, 3));
        Table t = Tables.history(h);
        assertEquals(List.of("step", "epoch", "loss", "penalty", "gradNorm", "clippedNorm", "clipped"), t.columnNames());
        assertEquals(2, t.rowCount());
        assertEquals(2.5, t.doubleColumn("loss").get(0));
        assertEquals(true, t.booleanColumn("clipped").get(0));
        assertEquals(false, t.booleanColumn("clipped").get(1));
    }

    @Test
    void ofBuildsColumnsFromRowsAndRejectsWrongRowLengths() {
        Table t = Tables.of(new String[] {"delay", "accuracy"}, new double[][] {{5, 0.98}, {10, 0.91}});
        assertEquals(2, t.rowCount());
        assertEquals(0.91, t.doubleColumn("accuracy").get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Tables.of(new String[] {"a", "b"}, new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1 has 1 values but there are 2 columns"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tables.of(new String[] {"a", "A"}, new double[0][]));
    }

    @Test
    void matrixLabelsRowsAndColumns() {
        Table t = Tables.matrix("W", new double[][] {{1, 2}, {3, 4}}, new String[] {"h1", "h2"}, new String[] {"x1", "x2"});
        assertEquals("W", t.name());
        assertEquals(3, t.columnCount());
        assertEquals("h2", t.getString(1, 0));
        assertEquals(4.0, t.doubleColumn("x2").get(1));
    }

    @Test
    void matrixWithoutNamesNumbersRowsAndColumnsFromZero() {
        Table t = Tables.matrix("M", new double[][] {{1, 2, 3}}, null, null);
        assertEquals(List.of("0", "1", "2"), t.columnNames().subList(1, 4));
        assertEquals("0", t.getString(0, 0));
    }

    @Test
    void matrixRejectsNamesThatDoNotMatchItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Tables.matrix("M", new double[][] {{1, 2}}, new String[] {"a", "b"}, null));
        assertTrue(e.getMessage().contains("2 row names for a matrix with 1 rows"), e.getMessage());
    }
}
