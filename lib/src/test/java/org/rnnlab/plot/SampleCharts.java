package org.rnnlab.plot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.rnnlab.train.History;

/**
 * Writes one sample of every chart to the folder named by the system property {@code rnnlab.plot.samples}
 * (e.g. {@code -Drnnlab.plot.samples=/tmp/plot-samples}), for looking at them; skipped when it is not set.
 */
@EnabledIfSystemProperty(named = "rnnlab.plot.samples", matches = ".+")
class SampleCharts {

    static History syntheticHistory(long seed, double rate, int updates) {
        Random rnd = new Random(seed);
        History h = new History();
        for (int i = 0; i < updates; i++) {
            double loss = 2.3 * Math.exp(-i * rate) + 0.02 + 0.05 * Math.abs(rnd.nextGaussian()) * Math.exp(-i * rate / 2);
            double g = Math.exp(rnd.nextGaussian() * 0.5) * (rnd.nextDouble() < 0.02 ? 40 : 1);
            if (rnd.nextDouble() < 0.01) {
                loss *= 3;
            }
            h.add(new History.Step(i, i / 100, loss, 0, g, Math.min(g, 2.0)));
        }
        return h;
    }

    @Test
    void writeSamples() throws Exception {
        Path dir = Path.of(System.getProperty("rnnlab.plot.samples"));
        Files.createDirectories(dir);
        Random rnd = new Random(1);

        Plots.save(Plots.history(syntheticHistory(1, 0.004, 1500), 25), dir.resolve("history.png"));
        Plots.save(Plots.history(syntheticHistory(1, 0.004, 1500)), dir.resolve("history-raw.png"));
        Map<String, History> runs = new LinkedHashMap<>();
        runs.put("lr 0.1", syntheticHistory(2, 0.008, 1500));
        runs.put("lr 0.03", syntheticHistory(3, 0.004, 1500));
        runs.put("lr 0.01", syntheticHistory(4, 0.0015, 1500));
        Plots.save(Plots.histories(runs, 20), dir.resolve("histories.png"));
        Plots.save(Plots.gradNorms(syntheticHistory(5, 0.004, 600)), dir.resolve("gradnorms.png"));

        Map<String, double[]> grads = new LinkedHashMap<>();
        int steps = 100;
        double[] rnn = new double[steps];
        double[] lstm = new double[steps];
        for (int t = 0; t < steps; t++) {
            int lag = steps - 1 - t;
            rnn[t] = lag > 80 ? 0 : Math.pow(0.8, lag) * Math.exp(0.3 * rnd.nextGaussian());
            lstm[t] = Math.pow(0.985, lag) * Math.exp(0.2 * rnd.nextGaussian());
        }
        grads.put("tanh RNN", rnn);
        grads.put("LSTM", lstm);
        Map<String, Double> rho = new LinkedHashMap<>();
        rho.put("ρ = 0.8", 0.8);
        rho.put("ρ = 0.985", 0.985);
        Plots.save(Plots.gradientPerLag(grads, rho), dir.resolve("gradient-lag.png"));
        Plots.save(Plots.gradientPerStep(grads), dir.resolve("gradient-step.png"));

        Map<String, double[]> gates = new LinkedHashMap<>();
        String[] names = {"input gate", "forget gate", "output gate"};
        for (int k = 0; k < names.length; k++) {
            double[] v = new double[120];
            for (int t = 0; t < v.length; t++) {
                v[t] = 1 / (1 + Math.exp(-(3 * Math.sin(t / (8.0 + 5 * k)) + 0.5 * rnd.nextGaussian() + (k == 1 ? 3 : 0))));
            }
            gates.put(names[k], v);
        }
        Plots.save(Plots.traces("LSTM gates while reading", gates, Plots.Range.GATE), dir.resolve("traces.png"));

        double[][] hidden = new double[128][200];
        for (int u = 0; u < 128; u++) {
            for (int t = 0; t < 200; t++) {
                hidden[u][t] = Math.tanh(2 * Math.sin(t / (5.0 + u % 17) + u) + 0.3 * rnd.nextGaussian());
            }
        }
        long t0 = System.nanoTime();
        Plots.save(Plots.heatmap("Hidden state h_t", hidden, "time step t", "hidden unit"), dir.resolve("heatmap.png"));
        System.out.printf("heatmap 128x200 rendered and encoded in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        Map<String, double[]> variants = new LinkedHashMap<>();
        String[] v = {"vanilla", "no forget gate", "no output gate", "coupled gates", "peepholes"};
        for (int i = 0; i < v.length; i++) {
            double[] seeds = new double[10];
            for (int s = 0; s < seeds.length; s++) {
                seeds[s] = 0.3 + 0.05 * i * (i == 1 ? 4 : 1) + 0.04 * rnd.nextGaussian();
            }
            variants.put(v[i], seeds);
        }
        Plots.save(Plots.boxes("Final loss over 10 seeds", "final loss", variants), dir.resolve("boxes.png"));

        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("RNN", new double[] {0.99, 0.8, 0.55, 0.5});
        acc.put("LSTM", new double[] {1.0, 0.99, 0.97, 0.9});
        acc.put("GRU", new double[] {1.0, 0.98, 0.95, 0.85});
        Plots.save(Plots.bars("Accuracy per delay", "delay (steps)", "accuracy", new String[] {"5", "20", "50", "100"}, acc),
                dir.resolve("bars.png"));

        Map<String, double[]> lines = new LinkedHashMap<>();
        lines.put("train", new double[] {1, 0.5, 0.2, 0.0, 0.05, -0.1, 0.02, 0.01});
        lines.put("test", new double[] {1.2, 0.7, 0.4, 0.3, 0.3, 0.25, 0.3, 0.33});
        Plots.save(Plots.linesLogY("Log axis with zero and negative values", "epoch", "loss", lines),
                dir.resolve("lines-logy.png"));

        Plots.save(Plots.lines("The two squashing functions of an LSTM", "pre-activation z", "output",
                        Curve.of("sigmoid σ(z): a valve, 0 … 1", -6, 6, z -> 1 / (1 + Math.exp(-z))),
                        Curve.of("tanh(z): a value, −1 … 1", -6, 6, Math::tanh),
                        Curve.hline("1", 1), Curve.hline("−1", -1), Curve.vline("z = 0", 0)),
                dir.resolve("curves.png"));
        Plots.save(Plots.sized(1000, 300, () -> Plots.linesLogY("How fast ρ^k vanishes", "lag k", "ρ^k",
                        Curve.of("ρ = 0.5", 0, 100, k -> Math.pow(0.5, k)),
                        Curve.of("ρ = 0.9", 0, 100, k -> Math.pow(0.9, k)),
                        Curve.hline("float32 machine epsilon", 0x1p-23))),
                dir.resolve("curves-logy-wide.png"));

        String text = "if (a < b && c > \"d\") {\n    return 'x';\n}\n";
        double[] act = new double[text.length()];
        for (int i = 0; i < act.length; i++) {
            act[i] = Math.sin(i / 4.0);
        }
        Files.writeString(dir.resolve("textheat.html"), TextHeat.of(text, act).toHtml());
        System.out.println(TextHeat.of(text, act));
        System.out.println(Tables.summary(variants).printAll());
        System.out.println(Tables.matrix("W", new double[][] {{1, 2e-7}, {3.14159, 12345678}}, null, new String[] {"a", "b"}).printAll());
    }
}
