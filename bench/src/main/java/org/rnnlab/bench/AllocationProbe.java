package org.rnnlab.bench;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.rnnlab.data.Batch;
import org.rnnlab.train.History;
import org.rnnlab.train.Trainer;

/**
 * How many bytes one training update allocates on the calling thread, for several sequence lengths and batch sizes:
 * if the time loop allocated, the figure would grow with T × B. The same step as {@link LstmTrainStepBenchmark}
 * (hidden 128), warmed up for 1,500 updates so that the JIT has finished, then measured over 1,000 updates with the
 * JDK's per-thread allocation counter; the history is kept, as a notebook keeps it. Run it with
 * {@code java -cp bench/target/benchmarks.jar org.rnnlab.bench.AllocationProbe}.
 */
public final class AllocationProbe {
    private AllocationProbe() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[][] shapes = {{25, 1, 1}, {100, 1, 1}, {400, 1, 1}, {100, 16, 1}, {100, 16, 2}};
        for (int[] shape : shapes) {
            int steps = shape[0];
            int sequences = shape[1];
            int threads = shape[2];
            Trainer trainer = LstmTrainStepBenchmark.trainer(128, threads);
            Batch batch = LstmTrainStepBenchmark.textBatch(steps, sequences, new Random(2));
            History history = new History();
            for (int i = 0; i < 1500; i++) {
                trainer.train(batch, history, 0);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                trainer.train(batch, history, 0);
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("T = %3d, B = %2d, %d thread%s: %5.0f bytes per update%n", steps, sequences, threads,
                    threads == 1 ? " " : "s", bytes / 1000.0);
        }
    }
}
