package org.rnnlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.data.Batch;
import org.rnnlab.train.History;
import org.rnnlab.train.Trainer;

/**
 * A cross-check of the JMH figures that holds up on a busy machine: the same training step as
 * {@link LstmTrainStepBenchmark}, on one thread, timed by the thread's CPU time (which does not count time the
 * thread spends waiting for a core) and reported as the best update over a few seconds, in time steps × batch per
 * CPU second. Run it with
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rnnlab.bench.CpuTimeProbe
 * [seconds per shape and path] [threads]}: with the module, the row loops and the Vector API kernels take turns
 * update by update with a third, float32-product trainer ({@code Precision.FLOAT}; three trainers of the same seed), so a slow spell of the machine hits both alike. With more
 * than one thread the other threads' CPU time is not counted by the thread's clock, so the best wall-clock
 * update is taken instead.
 */
public final class CpuTimeProbe {
    private CpuTimeProbe() {
    }

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Kernels.Path> paths = Kernels.AVAILABLE ? List.of(Kernels.Path.ROWS, Kernels.Path.VECTOR, Kernels.Path.VECTOR)
                : List.of(Kernels.Path.ROWS);
        List<String> names = List.of("ROWS", "VECTOR", "VECTOR+FLOAT");
        int[][] shapes = {{128, 25, 1}, {128, 100, 16}, {256, 100, 32}};
        for (int[] shape : shapes) {
            int hidden = shape[0];
            int steps = shape[1];
            int sequences = shape[2];
            Trainer[] trainers = new Trainer[paths.size()];
            long[] best = new long[paths.size()];
            for (int i = 0; i < trainers.length; i++) {
                trainers[i] = LstmTrainStepBenchmark.trainer(hidden, threads)
                        .precision(i == 2 ? Precision.FLOAT : Precision.DOUBLE);
                best[i] = Long.MAX_VALUE;
            }
            Batch batch = LstmTrainStepBenchmark.textBatch(steps, sequences, new Random(2));
            long end = System.nanoTime() + seconds * paths.size() * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (int i = 0; i < trainers.length; i++) {                  // the paths take turns, update by update
                    Kernels.use(paths.get(i));
                    long start = threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime();
                    trainers[i].train(batch, new History(), 0);
                    long spent = (threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - start;
                    best[i] = Math.min(best[i], spent);
                }
            }
            StringBuilder line = new StringBuilder(String.format("(65, %d, %d, %d), %d thread%s:", hidden, steps,
                    sequences, threads, threads == 1 ? "" : "s"));
            for (int i = 0; i < best.length; i++) {
                line.append(String.format(" %s %,.0f (best update %.3f ms)", names.get(i),
                        steps * sequences * 1e9 / best[i], best[i] / 1e6));
            }
            if (best.length == 3) {
                line.append(String.format("  VECTOR / ROWS = %.2f, VECTOR+FLOAT / ROWS = %.2f",
                        (double) best[0] / best[1], (double) best[0] / best[2]));
            }
            System.out.println(line);
        }
    }
}
