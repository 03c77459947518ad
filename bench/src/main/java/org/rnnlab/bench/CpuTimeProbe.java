package org.rnnlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.rnnlab.data.Batch;
import org.rnnlab.train.History;
import org.rnnlab.train.Trainer;

/**
 * A cross-check of the JMH figures that holds up on a busy machine: the same training step as
 * {@link LstmTrainStepBenchmark}, on one thread, timed by the thread's CPU time (which does not count time the
 * thread spends waiting for a core) and reported as the best update over a few seconds. Run it with
 * {@code java -cp bench/target/benchmarks.jar org.rnnlab.bench.CpuTimeProbe [seconds per shape]}.
 */
public final class CpuTimeProbe {
    private CpuTimeProbe() {
    }

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int[][] shapes = {{128, 25, 1}, {128, 100, 16}, {256, 100, 32}};
        for (int[] shape : shapes) {
            int hidden = shape[0];
            int steps = shape[1];
            int sequences = shape[2];
            Trainer trainer = LstmTrainStepBenchmark.trainer(hidden, 1);
            Batch batch = LstmTrainStepBenchmark.textBatch(steps, sequences, new Random(2));
            long best = Long.MAX_VALUE;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long start = mx.getCurrentThreadCpuTime();
                trainer.train(batch, new History(), 0);
                best = Math.min(best, mx.getCurrentThreadCpuTime() - start);
            }
            System.out.printf("(65, %d, %d, %d): %,.0f steps x batch per CPU second (best update %.3f ms)%n",
                    hidden, steps, sequences, steps * sequences * 1e9 / best, best / 1e6);
        }
    }
}
