package org.rnnlab.reservoir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CancellationException;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rnnlab.init.SpectralRadius;

class EchoStateNetworkTest {

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    /** Mackey–Glass delay equation (tau 17), Euler steps of 0.1, sampled every time unit. */
    private static double[] mackeyGlass(int samples) {
        int perSample = 10;
        int delay = 170;
        int total = (samples + 200) * perSample;
        double[] x = new double[total + delay];
        Arrays.fill(x, 0, delay + 1, 1.2);
        for (int i = delay; i < total + delay - 1; i++) {
            double lagged = x[i - delay];
            x[i + 1] = x[i] + 0.1 * (0.2 * lagged / (1 + Math.pow(lagged, 10)) - 0.1 * x[i]);
        }
        double[] series = new double[samples];
        for (int s = 0; s < samples; s++) {
            series[s] = x[delay + (200 + s) * perSample];
        }
        return series;
    }

    private static double[] sine(int samples) {
        double[] s = new double[samples];
        for (int t = 0; t < samples; t++) {
            s[t] = 0.5 * Math.sin(0.2 * t);
        }
        return s;
    }

    /** Rows from..to-1 of the series, each a 1-vector. */
    private static double[][] column(double[] series, int from, int to) {
        double[][] rows = new double[to - from][];
        for (int t = from; t < to; t++) {
            rows[t - from] = new double[] {series[t]};
        }
        return rows;
    }

    private static EchoStateNetwork.Builder small() {
        return EchoStateNetwork.builder(1, 100).washout(50).seed(7);
    }

    @Test
    void learnsOneStepAheadMackeyGlassOnHeldOutData() {
        double[] mg = mackeyGlass(1301);
        EchoStateNetwork esn = EchoStateNetwork.builder(1, 200).spectralRadius(0.9).ridge(1e-8).build();
        FitResult fit = esn.fit(column(mg, 0, 1000), column(mg, 1, 1001));
        assertEquals(900, fit.statesUsed());
        assertTrue(fit.nrmse() < 0.005, "training NRMSE " + fit.nrmse());

        double[][] predicted = esn.predict(column(mg, 1000, 1300));
        double test = EchoStateNetwork.nrmse(predicted, column(mg, 1001, 1301));
        assertTrue(test < 0.005, "test NRMSE " + test);
    }

    @Test
    void reservoirHasTheRequestedSpectralRadiusAndRoughlyTheDensity() {
        EchoStateNetwork esn = EchoStateNetwork.builder(2, 80).spectralRadius(0.73).density(0.2).build();
        DMatrixRMaj w = esn.reservoir();
        assertEquals(0.73, SpectralRadius.of(w), 1e-9);
        assertEquals(0.73, esn.spectralRadius());
        long nonZero = Arrays.stream(w.data).filter(v -> v != 0).count();
        assertEquals(0.2, nonZero / (80.0 * 80.0), 0.03);
        assertEquals(80, esn.inputWeights().numRows);
        assertEquals(3, esn.inputWeights().numCols);
    }

    @Test
    void sameSeedGivesIdenticalPredictionsAndAnotherSeedDoesNot() {
        double[] s = sine(400);
        double[][] a = fitThenPredict(small().seed(3).build(), s);
        double[][] b = fitThenPredict(small().seed(3).build(), s);
        double[][] c = fitThenPredict(small().seed(4).build(), s);
        for (int t = 0; t < a.length; t++) {
            assertArrayEquals(a[t], b[t], 0.0);
        }
        assertNotEquals(a[0][0], c[0][0]);
    }

    private static double[][] fitThenPredict(EchoStateNetwork esn, double[] series) {
        esn.fit(column(series, 0, 300), column(series, 1, 301));
        return esn.predict(column(series, 301, 399));
    }

    @Test
    void largerRidgeGivesASmallerReadout() {
        double[] mg = mackeyGlass(600);
        EchoStateNetwork loose = small().ridge(1e-9).build();
        EchoStateNetwork tight = small().ridge(1.0).build();
        loose.fit(column(mg, 0, 599), column(mg, 1, 600));
        tight.fit(column(mg, 0, 599), column(mg, 1, 600));
        assertTrue(NormOps_DDRM.normF(tight.readout()) < NormOps_DDRM.normF(loose.readout()));
    }

    @Test
    void readoutSeesBiasInputAndState() {
        EchoStateNetwork esn = EchoStateNetwork.builder(2, 30).washout(10).build();
        double[][] inputs = new double[100][];
        double[][] targets = new double[100][];
        for (int t = 0; t < 100; t++) {
            inputs[t] = new double[] {Math.sin(0.3 * t), Math.cos(0.3 * t)};
            targets[t] = new double[] {inputs[t][0] + inputs[t][1], 1, -1};
        }
        esn.fit(inputs, targets);
        DMatrixRMaj readout = esn.readout();
        assertEquals(3, readout.numRows);
        assertEquals(1 + 2 + 30, readout.numCols);
        double[] next = {Math.sin(30), Math.cos(30)};
        assertArrayEquals(new double[] {next[0] + next[1], 1, -1}, esn.predict(new double[][] {next})[0], 1e-3);

        esn.reset();
        double[][] predicted = esn.predict(inputs);
        double[][] states = esn.states(inputs);
        for (int t = 0; t < 100; t += 33) {
            for (int o = 0; o < 3; o++) {
                double y = readout.get(o, 0) + readout.get(o, 1) * inputs[t][0] + readout.get(o, 2) * inputs[t][1];
                for (int i = 0; i < 30; i++) {
                    y += readout.get(o, 3 + i) * states[t][i];
                }
                assertEquals(y, predicted[t][o], 1e-12);
            }
        }
    }

    @Test
    void closedLoopGenerationFollowsASineForManySteps() {
        double[] s = sine(700);
        EchoStateNetwork esn = EchoStateNetwork.builder(1, 100).washout(100).ridge(1e-8).seed(1).build();
        esn.fit(column(s, 0, 599), column(s, 1, 600));
        double[][] generated = esn.generate(100);
        for (int k = 0; k < 100; k++) {
            assertEquals(s[600 + k], generated[k][0], 1e-3, "step " + k);
        }
    }

    @Test
    void predictContinuesWhereTheLastCallLeftOffAndResetStartsOver() {
        double[] s = sine(500);
        EchoStateNetwork esn = small().build();
        esn.fit(column(s, 0, 300), column(s, 1, 301));
        esn.reset();
        double[][] whole = esn.predict(column(s, 300, 400));
        esn.reset();
        double[][] first = esn.predict(column(s, 300, 350));
        double[][] second = esn.predict(column(s, 350, 400));
        assertArrayEquals(whole[49], first[49], 0.0);
        assertArrayEquals(whole[99], second[49], 0.0);
    }

    @Test
    void statesAreOneRowPerStepFromZeroAndLeaveTheNetworkAlone() {
        double[] s = sine(300);
        EchoStateNetwork esn = small().build();
        esn.fit(column(s, 0, 200), column(s, 1, 201));
        esn.predict(column(s, 200, 210));
        double[][] states = esn.states(column(s, 0, 40));
        assertEquals(40, states.length);
        assertEquals(100, states[0].length);
        assertTrue(Arrays.stream(states).flatMapToDouble(Arrays::stream).allMatch(v -> Math.abs(v) < 1));
        assertArrayEquals(states[39], esn.states(column(s, 0, 40))[39], 0.0);

        EchoStateNetwork twin = small().build();
        twin.fit(column(s, 0, 200), column(s, 1, 201));
        twin.predict(column(s, 200, 210));
        assertArrayEquals(twin.predict(column(s, 210, 220))[9], esn.predict(column(s, 210, 220))[9], 0.0);
    }

    @Test
    void smallerLeakRateMakesTheStateChangeMoreSlowly() {
        double[][] inputs = column(sine(200), 0, 200);
        double fast = meanStepChange(small().leakRate(1.0).build().states(inputs));
        double slow = meanStepChange(small().leakRate(0.1).build().states(inputs));
        assertTrue(slow < 0.5 * fast, "leak 0.1 changed " + slow + " per step, leak 1 " + fast);
    }

    private static double meanStepChange(double[][] states) {
        double sum = 0;
        for (int t = 1; t < states.length; t++) {
            for (int i = 0; i < states[t].length; i++) {
                sum += Math.abs(states[t][i] - states[t - 1][i]);
            }
        }
        return sum / (states.length - 1);
    }

    @Test
    void interruptedFitStopsAndLeavesTheNetworkUntrained() {
        double[] s = sine(300);
        EchoStateNetwork esn = small().build();
        Thread.currentThread().interrupt();
        CancellationException e = assertThrows(CancellationException.class,
                () -> esn.fit(column(s, 0, 299), column(s, 1, 300)));
        assertTrue(e.getMessage().contains("fit stopped after 0 of 299 steps"), e.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        assertFalse(esn.isFitted());
    }

    @Test
    void interruptedPredictAndGenerateLeaveTheStateAsItWas() {
        double[] s = sine(400);
        EchoStateNetwork esn = small().build();
        esn.fit(column(s, 0, 300), column(s, 1, 301));
        EchoStateNetwork twin = small().build();
        twin.fit(column(s, 0, 300), column(s, 1, 301));

        Thread.currentThread().interrupt();
        assertThrows(CancellationException.class, () -> esn.predict(column(s, 300, 350)));
        CancellationException e = assertThrows(CancellationException.class, () -> esn.generate(20));
        assertTrue(e.getMessage().contains("generate stopped after 0 of 20 steps"), e.getMessage());
        Thread.interrupted();

        assertArrayEquals(twin.generate(5)[4], esn.generate(5)[4], 0.0);
    }

    @Test
    void predictBeforeFitSaysToCallFit() {
        EchoStateNetwork esn = small().build();
        assertMessage(IllegalStateException.class, () -> esn.predict(new double[][] {{0}}), "fit(inputs, targets)");
        assertMessage(IllegalStateException.class, () -> esn.generate(3), "fit(inputs, targets)");
        assertMessage(IllegalStateException.class, esn::readout, "fit(inputs, targets)");
    }

    @Test
    void wrongInputWidthNamesExpectedAndActual() {
        EchoStateNetwork esn = EchoStateNetwork.builder(2, 10).washout(0).build();
        double[][] inputs = {{1, 2}, {3, 4}, {5}};
        assertMessage(IllegalArgumentException.class, () -> esn.states(inputs), "inputs[2]", "1 values", "2 are expected",
                "inputSize 2");
    }

    @Test
    void fitNeedsMoreStepsThanTheWashout() {
        EchoStateNetwork esn = small().washout(50).build();
        double[][] fifty = column(sine(51), 0, 50);
        assertMessage(IllegalArgumentException.class, () -> esn.fit(fifty, fifty), "50 steps", "washout 50",
                "lower washout");
    }

    @Test
    void nanInInputsOrTargetsIsRejectedWithItsPosition() {
        EchoStateNetwork esn = small().washout(1).build();
        double[][] good = column(sine(10), 0, 10);
        double[][] bad = column(sine(10), 0, 10);
        bad[4][0] = Double.NaN;
        assertMessage(IllegalArgumentException.class, () -> esn.fit(bad, good), "inputs[4][0] is NaN");
        assertMessage(IllegalArgumentException.class, () -> esn.fit(good, bad), "targets[4][0] is NaN");
    }

    @Test
    void targetsNeedOneRowPerInputRow() {
        EchoStateNetwork esn = small().washout(1).build();
        double[] s = sine(10);
        assertMessage(IllegalArgumentException.class, () -> esn.fit(column(s, 0, 10), column(s, 0, 9)),
                "expected 10 rows, got 9");
    }

    @Test
    void generateNeedsOutputSizeEqualToInputSize() {
        EchoStateNetwork esn = small().washout(5).build();
        double[][] inputs = column(sine(30), 0, 30);
        double[][] targets = new double[30][];
        Arrays.setAll(targets, t -> new double[] {inputs[t][0], -inputs[t][0]});
        esn.fit(inputs, targets);
        assertMessage(IllegalStateException.class, () -> esn.generate(3), "inputSize 1", "outputSize 2");
    }

    @Test
    void generateAfterResetAsksForWarmUpData() {
        double[] s = sine(100);
        EchoStateNetwork esn = small().build();
        esn.fit(column(s, 0, 99), column(s, 1, 100));
        esn.reset();
        assertMessage(IllegalStateException.class, () -> esn.generate(3), "predict(warmUpInputs)");
        esn.predict(column(s, 0, 60));
        assertEquals(3, esn.generate(3).length);
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertMessage(IllegalArgumentException.class, () -> EchoStateNetwork.builder(0, 10), "inputSize");
        assertMessage(IllegalArgumentException.class, () -> EchoStateNetwork.builder(1, 0), "reservoirSize");
        assertMessage(IllegalArgumentException.class, () -> small().spectralRadius(Double.NaN), "spectralRadius",
                "NaN");
        assertMessage(IllegalArgumentException.class, () -> small().leakRate(0), "leakRate", "(0, 1]");
        assertMessage(IllegalArgumentException.class, () -> small().density(1.5), "density", "1.5");
        assertMessage(IllegalArgumentException.class, () -> small().inputScale(-1), "inputScale");
        assertMessage(IllegalArgumentException.class, () -> small().ridge(-1e-3), "ridge");
        assertMessage(IllegalArgumentException.class, () -> small().washout(-1), "washout");
    }

    @Test
    void tooSparseTinyReservoirExplainsWhatToChange() {
        assertMessage(IllegalArgumentException.class,
                () -> EchoStateNetwork.builder(1, 2).density(0.01).build(), "spectral radius 0", "raise density");
    }

    @Test
    void nrmseIsZeroForPerfectOneForPredictingTheMeanAndNaNForConstantTargets() {
        double[][] targets = {{1}, {2}, {3}};
        assertEquals(0.0, EchoStateNetwork.nrmse(targets, targets));
        assertEquals(1.0, EchoStateNetwork.nrmse(new double[][] {{2}, {2}, {2}}, targets), 1e-15);
        assertTrue(Double.isNaN(EchoStateNetwork.nrmse(targets, new double[][] {{5}, {5}, {5}})));
    }

    private static void assertMessage(Class<? extends RuntimeException> type, Executable call, String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention " + part);
        }
    }
}
