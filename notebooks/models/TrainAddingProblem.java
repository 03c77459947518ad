import java.nio.file.Path;
import org.rnnlab.data.AddingProblem;
import org.rnnlab.data.Batch;
import org.rnnlab.io.HistoryFile;
import org.rnnlab.io.ModelFile;
import org.rnnlab.model.Loss;
import org.rnnlab.model.ModelBuilder;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.train.History;
import org.rnnlab.train.Optimizer;
import org.rnnlab.train.Trainer;

/**
 * Trains the two models lesson 05 (the LSTM architecture) loads: an LSTM and a vanilla tanh RNN of the same size,
 * on the adding problem with T = 30 steps, with the same optimiser, clipping, batches and number of updates.
 * Writes notebooks/models/05-adding-{lstm,rnn}.model and their training histories (.history.csv).
 *
 * <p>Run from the repository root (about 5 seconds on 2 cores):
 * <pre>java -cp "lib/target/classes:$(cat lib/target/cp.txt)" notebooks/models/TrainAddingProblem.java</pre>
 * Seeded: the same JDK and thread count give the same files bit for bit.
 */
public class TrainAddingProblem {
    static final int T = 30;
    static final int HIDDEN = 32;
    static final int UPDATES = 1200;
    static final int BATCH = 32;
    static final long MODEL_SEED = 1;
    static final long DATA_SEED = 7;
    static final int THREADS = 2;

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "notebooks/models");
        AddingProblem task = new AddingProblem(T);
        Batch test = task.batches(1, 500, 99).get(0);
        for (String kind : new String[] {"lstm", "rnn"}) {
            ModelBuilder b = SequenceModel.builder(2);
            SequenceModel model = (kind.equals("lstm") ? b.lstm(HIDDEN) : b.rnn(HIDDEN))
                    .output(1, Loss.MSE).seed(MODEL_SEED).build();
            long started = System.nanoTime();
            History h = new Trainer(model).optimizer(Optimizer.adam(0.01)).clipNorm(1.0).threads(THREADS)
                    .batchSize(BATCH).seed(DATA_SEED).fit(task, UPDATES);
            ModelFile.save(model, dir.resolve("05-adding-" + kind + ".model"));
            HistoryFile.save(h, dir.resolve("05-adding-" + kind + ".history.csv"));
            System.out.printf("%s: %d updates in %.0f s, test MSE %.4f (baseline %.4f)%n", kind, h.size(),
                    (System.nanoTime() - started) / 1e9, model.loss(test), AddingProblem.BASELINE_MSE);
        }
    }
}
