package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NoisySineTest {

    @Test
    void targetIsTheNextInput() {
        Batch batch = new NoisySine(25, 0.2).batch(7, new Random(1));
        for (int t = 0; t < 24; t++) {
            for (int b = 0; b < 7; b++) {
                assertEquals(batch.inputsAt(t + 1)[b][0], batch.valuesAt(t)[b][0]);
            }
        }
        assertEquals(7, batch.valuesAt(24).length);
    }

    @Test
    void withoutNoiseEachSequenceIsAnExactSineOfAPeriodInTheRange() {
        Batch batch = new NoisySine(60, 0, 8, 12).batch(20, new Random(2));
        for (int b = 0; b < 20; b++) {
            double[] x = new double[61];
            for (int t = 0; t < 60; t++) {
                x[t] = batch.inputsAt(t)[b][0];
            }
            x[60] = batch.valuesAt(59)[b][0];
            // A sampled sine obeys x(t+1) + x(t-1) = 2 cos(w) x(t); recover w and check it everywhere.
            double num = 0;
            double den = 0;
            for (int t = 1; t < 60; t++) {
                num += (x[t + 1] + x[t - 1]) * x[t];
                den += x[t] * x[t];
            }
            double twoCos = num / den;
            double period = 2 * Math.PI / Math.acos(twoCos / 2);
            assertTrue(period >= 8 - 1e-9 && period <= 12 + 1e-9, "period " + period);
            for (int t = 1; t < 60; t++) {
                assertEquals(twoCos * x[t], x[t + 1] + x[t - 1], 1e-9);
            }
        }
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        double noise = 0.3;
        Batch noisy = new NoisySine(200, noise, 20, 20).batch(50, new Random(3));
        double sumSquares = 0;
        int n = 0;
        for (int b = 0; b < 50; b++) {
            double[] x = new double[200];
            for (int t = 0; t < 200; t++) {
                x[t] = noisy.inputsAt(t)[b][0];
            }
            // Least-squares fit of a sin + b cos at the known period, then the residual spread.
            double ss = 0;
            double cc = 0;
            double sc = 0;
            double xs = 0;
            double xc = 0;
            for (int t = 0; t < 200; t++) {
                double s = Math.sin(2 * Math.PI * t / 20);
                double c = Math.cos(2 * Math.PI * t / 20);
                ss += s * s;
                cc += c * c;
                sc += s * c;
                xs += x[t] * s;
                xc += x[t] * c;
            }
            double det = ss * cc - sc * sc;
            double a = (xs * cc - xc * sc) / det;
            double c0 = (xc * ss - xs * sc) / det;
            for (int t = 0; t < 200; t++) {
                double r = x[t] - a * Math.sin(2 * Math.PI * t / 20) - c0 * Math.cos(2 * Math.PI * t / 20);
                sumSquares += r * r;
                n++;
            }
        }
        assertEquals(noise, Math.sqrt(sumSquares / n), 0.01);
    }

    @Test
    void periodTooShortToSampleIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NoisySine(10, 0.1, 1.5, 5));
        assertTrue(e.getMessage().startsWith("minPeriod = 1.5 is outside the allowed range [2.0, 10000.0]"),
                e.getMessage());
    }

    @Test
    void negativeNoiseIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NoisySine(10, -0.1));
        assertTrue(e.getMessage().startsWith("noise = -0.1 is outside the allowed range [0.0, 10.0]"),
                e.getMessage());
    }
}
