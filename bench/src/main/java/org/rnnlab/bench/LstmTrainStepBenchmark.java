package org.rnnlab.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rnnlab.data.Batch;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.train.History;
import org.rnnlab.train.Optimizer;
import org.rnnlab.train.Trainer;

/**
 * One training step of a char-level LSTM (forward over the sequence, full BPTT, one Adam update, float64), at
 * the three shapes of the speed targets in bench/README.md: (input, hidden, seq, batch) = (65, 128, 25, 1), (65, 128, 100, 16),
 * (65, 256, 100, 32).
 *
 * <p>One benchmark invocation is one call of {@link Trainer#train}: a whole training step. Each method declares
 * {@code seq · batch} operations per invocation, so JMH's throughput (ops/s) is directly the figure the issue asks
 * for, time steps × batch per second.
 *
 * <p>Inputs are one-hot characters of a seeded random 65-letter text and each label is the next character, as in
 * Karpathy's char-rnn. Four such batches take turns so that the model does not sit on one memorised batch. A fresh
 * {@link History} per invocation keeps the history from growing over millions of updates; it is the only
 * allocation of the step besides the history's own record (see {@code -prof gc} in bench/README.md).
 *
 * <p>Forks start with {@code --add-modules jdk.incubator.vector}; {@code path} chooses the kernels of the batched
 * products ({@code -p path=ROWS,VECTOR} compares them in one run), and {@code precision} their precision
 * ({@code -p precision=FLOAT}: float32 products, see {@code Precision}).
 *
 * <p>{@code threads} is the trainer's thread count ({@link Trainer#threads(int)}); the batch is split between the
 * threads in a fixed way, so it only matters when the batch has more than one sequence.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmTrainStepBenchmark {
    /** Characters in the alphabet (inputs and classes). */
    static final int ALPHABET = 65;
    /** Batches that take turns. */
    static final int BATCHES = 4;

    /** A model, a trainer and some batches of one shape. */
    @State(Scope.Thread)
    public abstract static class Shape {
        @Param("1")
        public int threads;

        /** The path of the batched products ({@link Kernels.Path}): {@code VECTOR} or {@code ROWS}. */
        @Param("VECTOR")
        public String path;

        /** The precision of the products ({@code Precision}): {@code DOUBLE} (the default) or {@code FLOAT}. */
        @Param("DOUBLE")
        public String precision;

        Trainer trainer;
        Batch[] batches;
        int next;

        abstract int hidden();

        abstract int steps();

        abstract int sequences();

        @Setup(Level.Trial)
        public void setUp() {
            Kernels.use(Kernels.Path.valueOf(path));
            trainer = trainer(hidden(), threads).precision(Precision.valueOf(precision));
            Random rng = new Random(2);
            batches = new Batch[BATCHES];
            for (int i = 0; i < BATCHES; i++) {
                batches[i] = textBatch(steps(), sequences(), rng);
            }
        }

        /** Runs one training step on the next batch; returns the loss so that nothing is optimised away. */
        double step() {
            History history = new History();
            trainer.train(batches[next], history, 0);
            next = (next + 1) % BATCHES;
            return history.steps().get(0).loss();
        }
    }

    /** (65, 128, 25, 1): one short sequence, the char-rnn demo size. */
    public static class Small extends Shape {
        @Override
        int hidden() {
            return 128;
        }

        @Override
        int steps() {
            return 25;
        }

        @Override
        int sequences() {
            return 1;
        }
    }

    /** (65, 128, 100, 16). */
    public static class Medium extends Shape {
        @Override
        int hidden() {
            return 128;
        }

        @Override
        int steps() {
            return 100;
        }

        @Override
        int sequences() {
            return 16;
        }
    }

    /** (65, 256, 100, 32). */
    public static class Large extends Shape {
        @Override
        int hidden() {
            return 256;
        }

        @Override
        int steps() {
            return 100;
        }

        @Override
        int sequences() {
            return 32;
        }
    }

    /** Shape 1: 25 steps × 1 sequence per training step. */
    @Benchmark
    @OperationsPerInvocation(25)
    public double h128seq25batch1(Small s) {
        return s.step();
    }

    /** Shape 2: 100 steps × 16 sequences per training step. */
    @Benchmark
    @OperationsPerInvocation(1600)
    public double h128seq100batch16(Medium s) {
        return s.step();
    }

    /** Shape 3: 100 steps × 32 sequences per training step. */
    @Benchmark
    @OperationsPerInvocation(3200)
    public double h256seq100batch32(Large s) {
        return s.step();
    }

    /**
     * The trainer every measurement here uses: a char-level LSTM of {@code hidden} units (seed 1) with a
     * cross-entropy readout over the alphabet, Adam at learning rate 0.01, on {@code threads} threads.
     */
    static Trainer trainer(int hidden, int threads) {
        SequenceModel model = SequenceModel.builder(ALPHABET).lstm(hidden)
                .output(ALPHABET, Loss.CROSS_ENTROPY).seed(1).build();
        return new Trainer(model).optimizer(Optimizer.adam(0.01)).threads(threads);
    }

    /** A batch of {@code sequences} random texts: one-hot characters, each labelled with the character after it. */
    static Batch textBatch(int steps, int sequences, Random rng) {
        int[][] text = new int[sequences][steps + 1];
        for (int[] line : text) {
            for (int t = 0; t <= steps; t++) {
                line[t] = rng.nextInt(ALPHABET);
            }
        }
        double[][][] inputs = new double[steps][sequences][ALPHABET];
        int[][] labels = new int[steps][sequences];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < sequences; b++) {
                inputs[t][b][text[b][t]] = 1.0;
                labels[t][b] = text[b][t + 1];
            }
        }
        return Batch.classification(inputs, labels);
    }
}
