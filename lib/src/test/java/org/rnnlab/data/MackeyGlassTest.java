package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MackeyGlassTest {

    private static final double[] SERIES = MackeyGlass.series(5000, 1);

    @Test
    void sameSeedGivesTheSameSeriesAndAnotherSeedADifferentOne() {
        assertArrayEquals(SERIES, MackeyGlass.series(5000, 1));
        assertFalse(Arrays.equals(SERIES, MackeyGlass.series(5000, 2)));
    }

    @Test
    void seriesStaysInsideTheKnownRangeOfTheAttractor() {
        double min = Arrays.stream(SERIES).min().orElseThrow();
        double max = Arrays.stream(SERIES).max().orElseThrow();
        assertTrue(min > 0.2 && min < 0.6, "min " + min);
        assertTrue(max > 1.1 && max < 1.5, "max " + max);
        double mean = Arrays.stream(SERIES).average().orElseThrow();
        assertEquals(0.9, mean, 0.05, "the attractor is centred a little below the fixed point 1");
    }

    @Test
    void seriesOscillatesWithAQuasiPeriodOfAboutFiftySteps() {
        int bestLag = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = 30; lag <= 80; lag++) {
            double c = autocorrelation(SERIES, lag);
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        assertTrue(bestLag >= 45 && bestLag <= 55, "first autocorrelation peak at lag " + bestLag);
        assertTrue(best > 0.4 && best < 0.95, "a clear but imperfect repeat: " + best);
        assertTrue(autocorrelation(SERIES, 25) < -0.5, "half a period later it is on the other side");
    }

    @Test
    void nearbyStartsDivergeAsChaosPredicts() {
        double[] history = new double[171];
        Random rng = new Random(3);
        for (int i = 0; i < history.length; i++) {
            history[i] = 1.1 + 0.2 * rng.nextDouble();
        }
        double[] nudged = history.clone();
        nudged[170] += 1e-10;
        double[] a = MackeyGlass.integrate(history, 0, 6000);
        double[] b = MackeyGlass.integrate(nudged, 0, 6000);
        assertTrue(maxDifference(a, b, 0, 200) < 1e-6, "close at first");
        assertTrue(maxDifference(a, b, 5000, 6000) > 0.1, "far apart later");
    }

    @Test
    void seriesIsNotPeriodic() {
        double[] tail = Arrays.copyOfRange(SERIES, 4000, 5000);
        for (int shift = 1; shift < 3000; shift++) {
            double[] earlier = Arrays.copyOfRange(SERIES, 4000 - shift, 5000 - shift);
            assertTrue(maxDifference(tail, earlier, 0, 1000) > 0.01, "repeats after " + shift + " steps");
        }
    }

    @Test
    void taskTargetIsTheNextValueOfTheSeries() {
        MackeyGlass task = new MackeyGlass(30, 1);
        double[] series = MackeyGlass.series(MackeyGlass.SERIES_LENGTH, 1);
        Batch batch = task.batch(5, new Random(4));
        for (int b = 0; b < 5; b++) {
            int start = indexOf(series, batch.inputsAt(0)[b][0]);
            for (int t = 0; t < 30; t++) {
                assertEquals(series[start + t], batch.inputsAt(t)[b][0]);
                assertEquals(series[start + t + 1], batch.valuesAt(t)[b][0]);
            }
        }
        assertEquals(new MackeyGlass(30, 1), task);
    }

    @Test
    void pairsAreOneStepAheadRowsOfWidthOne() {
        Pairs pairs = MackeyGlass.pairs(100, 1);
        assertEquals(100, pairs.length());
        for (int t = 0; t < 100; t++) {
            assertArrayEquals(new double[] {SERIES[t]}, pairs.inputs()[t]);
            assertArrayEquals(new double[] {SERIES[t + 1]}, pairs.targets()[t]);
        }
        Pairs test = pairs.slice(80, 100);
        assertEquals(20, test.length());
        assertEquals(SERIES[80], test.inputs()[0][0]);
    }

    @Test
    void sliceOutsideThePairsIsRejected() {
        Pairs pairs = Pairs.nextStep(new double[] {1, 2, 3, 4});
        var e = assertThrows(IllegalArgumentException.class, () -> pairs.slice(1, 5));
        assertEquals("to = 5 is outside the allowed range [2, 3]: a slice ends after from = 1 and at most at "
                + "the end", e.getMessage());
    }

    @Test
    void windowLongerThanTheSeriesIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MackeyGlass(10_000, 1));
        assertEquals("length = 10000 is outside the allowed range [1, 9999]: a window must fit in the "
                + "10000-step series", e.getMessage());
    }

    private static int indexOf(double[] series, double value) {
        for (int i = 0; i < series.length; i++) {
            if (series[i] == value) {
                return i;
            }
        }
        throw new AssertionError("value not in the series");
    }

    private static double maxDifference(double[] a, double[] b, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double autocorrelation(double[] x, int lag) {
        double mean = Arrays.stream(x).average().orElseThrow();
        double cov = 0;
        double var = 0;
        for (int i = 0; i < x.length; i++) {
            var += (x[i] - mean) * (x[i] - mean);
            if (i + lag < x.length) {
                cov += (x[i] - mean) * (x[i + lag] - mean);
            }
        }
        return cov / var;
    }
}
