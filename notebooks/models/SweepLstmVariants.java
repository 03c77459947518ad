import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.rnnlab.data.Batch;
import org.rnnlab.data.BracketDepth;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.train.History;
import org.rnnlab.train.Optimizer;
import org.rnnlab.train.Trainer;

/**
 * The sweep behind lesson 07 (LSTM variants): Greff et al.'s vanilla LSTM (V), their eight variants and, for
 * comparison, a GRU, each trained with SEEDS different seeds on the same task with the same settings. Writes
 *
 * <pre>
 *   lstm-variants-sweep.csv    variant, seed, params, test_loss, test_accuracy     (one row per run)
 *   lstm-variants-curves.csv   variant, seed, update, train_loss                   (mean of every 20 updates)
 * </pre>
 *
 * into notebooks/models (or the folder given as the first argument). Every run is seeded (model seed = s, data
 * seed = 100 + s, one shared test set) and single-threaded, so the numbers do not depend on how many runs go in
 * parallel (second argument, default 2). About two minutes on 2 cores. Run from the repository root:
 * <pre>java -cp "lib/target/classes:$(cat lib/target/cp.txt)" notebooks/models/SweepLstmVariants.java</pre>
 * (notebooks/models/README.md says how to make the class path).
 */
public class SweepLstmVariants {
    static final String[] VARIANTS = {"V", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG", "FGR", "GRU"};
    static final int SEEDS = 20;
    static final BracketDepth TASK = new BracketDepth(60, 4);
    static final int HIDDEN = 16;
    static final int UPDATES = 400;
    static final int BATCH = 32;
    static final double LEARNING_RATE = 0.01;
    static final double CLIP_NORM = 1.0;
    static final int WINDOW = 20;
    static final long TEST_SEED = 2024;

    record Run(String variant, int seed, int params, double testLoss, double testAccuracy, double[] curve) {
    }

    /** The model of one run: an LSTM of the given variant (or a GRU), 16 units, softmax readout. */
    static SequenceModel model(String variant, int seed) {
        var b = SequenceModel.builder(TASK.inputSize());
        if (variant.equals("GRU")) {
            b.gru(HIDDEN);
        } else {
            b.lstm(HIDDEN, variant);
        }
        return b.output(TASK.outputSize(), Loss.CROSS_ENTROPY).seed(seed).build();
    }

    static Run run(String variant, int seed, List<Batch> test) {
        SequenceModel m = model(variant, seed);
        History h = new Trainer(m).optimizer(Optimizer.adam(LEARNING_RATE)).clipNorm(CLIP_NORM)
                .batchSize(BATCH).seed(100 + seed).fit(TASK, UPDATES);
        double loss = 0;
        double accuracy = 0;
        for (Batch b : test) {
            loss += m.loss(b) / test.size();
            accuracy += m.accuracy(b) / test.size();
        }
        double[] losses = h.losses();
        double[] curve = new double[losses.length / WINDOW];
        for (int k = 0; k < curve.length; k++) {
            for (int j = 0; j < WINDOW; j++) {
                curve[k] += losses[k * WINDOW + j] / WINDOW;
            }
        }
        return new Run(variant, seed, m.parameterCount(), loss, accuracy, curve);
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("notebooks", "models");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Batch> test = TASK.batches(8, 64, TEST_SEED);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Run>> jobs = new ArrayList<>();
        for (String v : VARIANTS) {
            for (int s = 1; s <= SEEDS; s++) {
                final int seed = s;
                jobs.add(pool.submit(() -> {
                    Run r = run(v, seed, test);
                    System.out.printf(Locale.ROOT, "%-5s seed %d: test loss %.4f, accuracy %.4f%n", v, seed,
                            r.testLoss(), r.testAccuracy());
                    return r;
                }));
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : jobs) {
            runs.add(f.get());
        }
        pool.shutdown();
        StringBuilder sweep = new StringBuilder("variant,seed,params,test_loss,test_accuracy\n");
        StringBuilder curves = new StringBuilder("variant,seed,update,train_loss\n");
        for (Run r : runs) {
            sweep.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f%n", r.variant(), r.seed(), r.params(),
                    r.testLoss(), r.testAccuracy()));
            for (int k = 0; k < r.curve().length; k++) {
                curves.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f%n", r.variant(), r.seed(),
                        (k + 1) * WINDOW, r.curve()[k]));
            }
        }
        write(dir.resolve("lstm-variants-sweep.csv"), sweep.toString());
        write(dir.resolve("lstm-variants-curves.csv"), curves.toString());
        System.out.printf(Locale.ROOT, "%d runs in %.0f s; wrote %s and %s%n", runs.size(),
                (System.nanoTime() - started) / 1e9, dir.resolve("lstm-variants-sweep.csv"),
                dir.resolve("lstm-variants-curves.csv"));
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
