package org.rnnlab.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Setting the state carried into step 0, and reading its gradient, through the base class's public API. */
class InitialStateTest {
    @Test
    void everyCellCarriesHAndAnLstmAlsoItsCellState() {
        assertEquals(List.of("h"), new RnnCell(2, 3, Activation.TANH).stateNames());
        assertEquals(List.of("h"), new GruCell(2, 3).stateNames());
        for (LstmVariant v : LstmVariant.values()) {
            assertEquals(List.of("h", "c"), new LstmCell(2, 3, v).stateNames(), v.name());
        }
    }

    @Test
    void theInitialStateIsWhatStepZeroStartsFrom() {
        LstmCell cell = new LstmCell(1, 2, LstmVariant.NP);
        cell.weight("W_hi").set(new org.ejml.data.DMatrixRMaj(new double[][] {{0.5, -0.3}, {0.2, 0.4}}));
        cell.weight("W_hg").set(new org.ejml.data.DMatrixRMaj(new double[][] {{0.7, 0.1}, {-0.6, 0.3}}));
        double[][] x = {{0.3}, {0.3}};
        cell.prepare(1, 2);
        cell.resetState();
        cell.setInitialState("h", new double[][] {{0.5, -0.5}, {0, 0}});
        cell.setInitialState("c", new double[][] {{1.0, 2.0}, {0, 0}});
        assertArrayEquals(new double[] {0.5, -0.5}, cell.hidden(-1)[0]);
        assertArrayEquals(new double[] {1.0, 2.0}, cell.cellState(-1)[0]);
        cell.forwardStep(0, x);
        double[] fromGiven = cell.hidden(0)[0].clone();
        double[] fromZero = cell.hidden(0)[1].clone();
        assertFalse(java.util.Arrays.equals(fromGiven, fromZero), "sequence 0 starts elsewhere than sequence 1");
        cell.resetState();
        assertArrayEquals(new double[] {0, 0}, cell.hidden(-1)[0]);
        assertArrayEquals(new double[] {0, 0}, cell.cellState(-1)[0]);
    }

    @Test
    void aWrongNameBatchOrWidthSaysWhatWasExpected() {
        GruCell gru = new GruCell(2, 3);
        gru.prepare(4, 2);
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> gru.setInitialState("c", new double[2][3]));
        assertTrue(name.getMessage().contains("no state named 'c'") && name.getMessage().contains("h"),
                name.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> gru.setInitialState("h", new double[3][3]));
        assertTrue(batch.getMessage().contains("2 sequences"), batch.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> gru.setInitialState("h", new double[2][4]));
        assertTrue(width.getMessage().contains("3 values per sequence"), width.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gru.initialStateGradient("c"));
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> new LstmCell(2, 3, LstmVariant.V).setInitialState("c", new double[2][3]));
        assertTrue(early.getMessage().contains("prepare"), early.getMessage());
    }

    @Test
    void theInitialStateGradientIsACopy() {
        RnnCell cell = new RnnCell(1, 2, Activation.TANH);
        cell.prepare(1, 1);
        cell.forwardStep(0, new double[][] {{1.0}});
        cell.beginBackward();
        cell.backwardStep(0, new double[][] {{1.0}}, new double[][] {{1.0, 1.0}}, null);
        double[][] g = cell.initialStateGradient("h");
        g[0][0] = 42;
        assertTrue(cell.initialStateGradient("h")[0][0] != 42);
    }
}
