package org.rnnlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.RandomAccess;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A text for character-level language modelling: the network reads one character at a time and learns
 * to predict the next one.
 *
 * <p>The vocabulary is the set of distinct characters in the text, sorted; a character is represented by
 * its index in the vocabulary, and fed to the network as a one-hot vector of width
 * {@link #vocabularySize()}. (A "character" is a Java {@code char}, one UTF-16 unit.)
 *
 * <p>There are two ways to cut training data from the text:
 * <ul>
 *   <li>{@link #batch} picks windows at random places: simple, and every batch is independent, so the
 *       network starts each window from a zero state.</li>
 *   <li>{@link #batches} walks through the whole text in order, as {@code batchSize} parallel streams.
 *       Each batch continues the streams exactly where the previous one stopped, so the trainer can carry
 *       the hidden state from one batch to the next while backpropagating only through the current one
 *       (truncated backpropagation through time). The network can then use context longer than a batch.</li>
 * </ul>
 */
public final class CharCorpus {

    private final String text;
    private final char[] vocabulary;
    private final int[] codes;

    private CharCorpus(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() < 2) {
            throw new IllegalArgumentException("the text has " + text.length() + " characters: a corpus needs at "
                    + "least 2 (one to read and the next one to predict)");
        }
        this.text = text;
        this.vocabulary = distinctSorted(text);
        this.codes = new int[text.length()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = Arrays.binarySearch(vocabulary, text.charAt(i));
        }
    }

    private static char[] distinctSorted(String text) {
        char[] chars = text.toCharArray();
        Arrays.sort(chars);
        int n = 0;
        for (int i = 0; i < chars.length; i++) {
            if (i == 0 || chars[i] != chars[i - 1]) {
                chars[n++] = chars[i];
            }
        }
        return Arrays.copyOf(chars, n);
    }

    /** A corpus of the given text (at least 2 characters). */
    public static CharCorpus fromString(String text) {
        return new CharCorpus(text);
    }

    /** A corpus of a UTF-8 text file. */
    public static CharCorpus fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no such file: " + file.toAbsolutePath()
                    + " (a relative path starts from the working directory " + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a regular file: give the path of a text file");
        }
        return new CharCorpus(read(file));
    }

    /**
     * A corpus of Java source code: the {@code .java} files under {@code root} (searched recursively, read
     * in path order), concatenated and cut to at most {@code maxChars} characters. Pointing it at this
     * project's own sources gives a sizeable, structured text on every machine, with no download.
     */
    public static CharCorpus fromJavaSources(Path root, int maxChars) {
        Objects.requireNonNull(root, "root");
        Check.atLeast("maxChars", maxChars, 2);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no folder at " + root.toAbsolutePath()
                    + " (a relative path starts from the working directory " + Path.of("").toAbsolutePath() + ")");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".java"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the files under " + root.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .java files under " + root.toAbsolutePath()
                    + ": point it at a source folder such as lib/src/main/java");
        }
        StringBuilder sb = new StringBuilder();
        for (Path file : files) {
            if (sb.length() >= maxChars) {
                break;
            }
            sb.append(read(file));
        }
        sb.setLength(Math.min(sb.length(), maxChars));
        return new CharCorpus(sb.toString());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not UTF-8 text: convert it to UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file.toAbsolutePath(), e);
        }
    }

    /** The whole text. */
    public String text() {
        return text;
    }

    /** Number of characters in the text. */
    public int length() {
        return text.length();
    }

    /** The distinct characters of the text, sorted: character {@code i} of this string has index {@code i}. */
    public String vocabulary() {
        return new String(vocabulary);
    }

    /** Number of distinct characters: the width of the one-hot inputs and of the network's output. */
    public int vocabularySize() {
        return vocabulary.length;
    }

    /** The index of a character in the vocabulary. */
    public int indexOf(char c) {
        int i = Arrays.binarySearch(vocabulary, c);
        if (i < 0) {
            throw new IllegalArgumentException("character " + show(c) + " does not occur in the corpus, so it has "
                    + "no index; use only characters of vocabulary()");
        }
        return i;
    }

    /** The character with vocabulary index {@code index}. */
    public char charAt(int index) {
        Check.inRange("index", index, 0, vocabulary.length - 1, "the vocabulary has " + vocabulary.length
                + " characters");
        return vocabulary[index];
    }

    /** The vocabulary indices of the characters of {@code s}. */
    public int[] encode(String s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = indexOf(s.charAt(i));
        }
        return out;
    }

    /** The text spelled by vocabulary indices (the inverse of {@link #encode}). */
    public String decode(int[] indices) {
        StringBuilder sb = new StringBuilder(indices.length);
        for (int index : indices) {
            sb.append(charAt(index));
        }
        return sb.toString();
    }

    /** The one-hot vector of vocabulary index {@code index}: all zeros except a 1 at {@code index}. */
    public double[] oneHot(int index) {
        Check.inRange("index", index, 0, vocabulary.length - 1, "the vocabulary has " + vocabulary.length
                + " characters");
        return OneHot.vector(index, vocabulary.length);
    }

    /**
     * {@code batchSize} windows of {@code seqLength} characters from random places in the text: the input
     * at step t is character t of the window (one-hot), the label is the character after it.
     */
    public Batch batch(int seqLength, int batchSize, Random rng) {
        Check.inRange("seqLength", seqLength, 1, codes.length - 1, "a window and the character after it must "
                + "fit in the text of " + codes.length + " characters");
        Check.batchSize(batchSize);
        Objects.requireNonNull(rng, "rng");
        int[] starts = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            starts[b] = rng.nextInt(codes.length - seqLength);
        }
        return window(starts, seqLength);
    }

    /**
     * One pass over the text in order, as {@code batchSize} parallel streams, for truncated
     * backpropagation through time.
     *
     * <p>The text is split into {@code batchSize} equal consecutive parts; stream b reads part b. Batch k
     * holds characters {@code k * seqLength} to {@code (k + 1) * seqLength - 1} of every stream, with the
     * next character as label, so batch k + 1 starts exactly where batch k ended: keep the hidden state of
     * sequence b from one batch to the next, and reset it when the pass starts again. The few characters
     * left over at the end of each part (fewer than {@code seqLength}) are not used.
     *
     * <p>The list builds each batch when you ask for it, so a long text does not fill the memory.
     */
    public List<Batch> batches(int seqLength, int batchSize) {
        Check.atLeast("seqLength", seqLength, 1);
        Check.atLeast("batchSize", batchSize, 1);
        int streamLength = (codes.length - 1) / batchSize;
        int count = streamLength / seqLength;
        if (count == 0) {
            throw new IllegalArgumentException("the text of " + codes.length + " characters is too short for "
                    + "batchSize = " + batchSize + " streams of seqLength = " + seqLength + ": it needs at least "
                    + ((long) batchSize * seqLength + 1) + " characters; use a smaller batchSize or seqLength");
        }
        return new StreamBatches(seqLength, batchSize, streamLength, count);
    }

    private final class StreamBatches extends AbstractList<Batch> implements RandomAccess {
        private final int seqLength;
        private final int batchSize;
        private final int streamLength;
        private final int count;

        StreamBatches(int seqLength, int batchSize, int streamLength, int count) {
            this.seqLength = seqLength;
            this.batchSize = batchSize;
            this.streamLength = streamLength;
            this.count = count;
        }

        @Override
        public Batch get(int k) {
            Objects.checkIndex(k, count);
            int[] starts = new int[batchSize];
            for (int b = 0; b < batchSize; b++) {
                starts[b] = b * streamLength + k * seqLength;
            }
            return window(starts, seqLength);
        }

        @Override
        public int size() {
            return count;
        }
    }

    private Batch window(int[] starts, int seqLength) {
        int batchSize = starts.length;
        double[][][] inputs = new double[seqLength][batchSize][];
        int[][] labels = new int[seqLength][batchSize];
        for (int t = 0; t < seqLength; t++) {
            for (int b = 0; b < batchSize; b++) {
                int i = starts[b] + t;
                inputs[t][b] = OneHot.vector(codes[i], vocabulary.length);
                labels[t][b] = codes[i + 1];
            }
        }
        return Batch.classification(inputs, labels);
    }

    private static String show(char c) {
        String visible = switch (c) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> Character.isISOControl(c) ? "" : String.valueOf(c);
        };
        return "'" + visible + "' (U+" + String.format("%04X", (int) c) + ")";
    }

    @Override
    public String toString() {
        return "CharCorpus[" + text.length() + " characters, " + vocabulary.length + " distinct]";
    }
}
