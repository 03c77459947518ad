import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.rnnlab.data.Batch;
import org.rnnlab.data.CharCorpus;
import org.rnnlab.data.GeneratedText;
import org.rnnlab.io.HistoryFile;
import org.rnnlab.io.ModelFile;
import org.rnnlab.model.Bptt;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.model.TextSampler;
import org.rnnlab.train.History;
import org.rnnlab.train.Optimizer;
import org.rnnlab.train.Trainer;

/**
 * Trains the character-level LSTM that lesson 06 (LSTM practical intuition) loads, Karpathy-style: it reads
 * {@link GeneratedText} (JSON-like lines with nested brackets and quoted strings) one character at a time and
 * learns to predict the next one. The text is read in order as 32 parallel streams cut into windows of 50
 * characters; the hidden state is carried from one window to the next (truncated BPTT).
 *
 * <p>Writes, in notebooks/models/:
 * <ul>
 *   <li>06-json-lstm.model — the trained model (128 LSTM units);</li>
 *   <li>06-json-lstm.history.csv — its training loss per update;</li>
 *   <li>06-json-samples.properties — text it wrote at several temperatures at several points of training,
 *       keys {@code <updates>@<temperature>}, e.g. {@code 100@0.5}, after 20, 100, 300 and 992 updates
 *       (the end of training).</li>
 * </ul>
 *
 * <p>Run from the repository root (about 25 seconds on 2 cores):
 * <pre>java -cp "lib/target/classes:$(cat lib/target/cp.txt)" notebooks/models/TrainCharLstm.java</pre>
 * Seeded: the same JDK and thread count give the same files bit for bit.
 */
public class TrainCharLstm {
    /** The corpus: the first {@value} characters of GeneratedText with seed {@value #TEXT_SEED}. */
    static final int TEXT_LENGTH = 200_000;
    static final long TEXT_SEED = 1;
    static final int HIDDEN = 128;
    static final int WINDOW = 50;
    static final int STREAMS = 32;
    static final int EPOCHS = 8;                              // 124 windows each: 992 updates
    static final long MODEL_SEED = 1;
    static final int THREADS = 2;
    /** After how many updates the model writes samples; it writes once more at the end (992 updates). */
    static final int[] SNAPSHOTS = {20, 100, 300};
    static final double[] TEMPERATURES = {0.2, 0.5, 1.0, 1.5};
    static final String PROMPT = "{\"";
    static final int SAMPLE_LENGTH = 240;

    /** Lets the model write at every temperature (keys "updates@temperature"); sampling resets its state. */
    static void snapshot(SequenceModel model, CharCorpus corpus, History history, Properties samples, long started) {
        for (double temperature : TEMPERATURES) {
            samples.setProperty(history.size() + "@" + temperature,
                    TextSampler.sample(model, corpus, PROMPT, SAMPLE_LENGTH, temperature, 7));
        }
        System.out.printf("%d updates: loss %.3f, %.0f s%n", history.size(), history.meanLossOfLast(20),
                (System.nanoTime() - started) / 1e9);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "notebooks/models");
        CharCorpus corpus = CharCorpus.fromString(GeneratedText.generate(TEXT_LENGTH, TEXT_SEED));
        SequenceModel model = SequenceModel.builder(corpus.vocabularySize()).lstm(HIDDEN)
                .output(corpus.vocabularySize(), Loss.CROSS_ENTROPY).seed(MODEL_SEED).build();
        List<Batch> batches = corpus.batches(WINDOW, STREAMS);
        Trainer trainer = new Trainer(model).optimizer(Optimizer.adam(0.005)).clipNorm(5.0).carryState(true)
                .threads(THREADS);
        History history = new History();
        Properties samples = new Properties();
        long started = System.nanoTime();
        int next = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Bptt.of(model).resetState();                             // each pass starts the streams afresh
            for (Batch b : batches) {
                trainer.train(b, history, epoch);
                if (next < SNAPSHOTS.length && history.size() == SNAPSHOTS[next]) {
                    snapshot(model, corpus, history, samples, started);
                    next++;
                }
            }
        }
        snapshot(model, corpus, history, samples, started);
        ModelFile.save(model, dir.resolve("06-json-lstm.model"));
        HistoryFile.save(history, dir.resolve("06-json-lstm.history.csv"));
        StringWriter w = new StringWriter();
        samples.store(w, null);
        String body = w.toString().lines().filter(l -> !l.startsWith("#")).sorted()
                .reduce("", (a, l) -> a + l + "\n");
        Files.writeString(dir.resolve("06-json-samples.properties"), "# written by TrainCharLstm.java\n" + body);
        System.out.printf("done: %d updates, final loss %.3f, %.0f s%n", history.size(), history.meanLossOfLast(50),
                (System.nanoTime() - started) / 1e9);
    }
}
