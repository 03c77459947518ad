package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharCorpusTest {

    private static final String TEXT = "hello world, hello rnn\n";

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharCorpus corpus = CharCorpus.fromString(TEXT);
        assertEquals("\n ,dehlnorw", corpus.vocabulary());
        assertEquals(11, corpus.vocabularySize());
        assertEquals(5, corpus.indexOf('h'));
        assertEquals('h', corpus.charAt(5));
    }

    @Test
    void encodeThenDecodeGivesBackTheText() {
        CharCorpus corpus = CharCorpus.fromString(TEXT);
        assertEquals(TEXT, corpus.decode(corpus.encode(TEXT)));
        assertEquals("own", corpus.decode(corpus.encode("own")));
    }

    @Test
    void oneHotHasASingleOneAtTheIndex() {
        double[] v = CharCorpus.fromString(TEXT).oneHot(3);
        assertEquals(11, v.length);
        assertEquals(3, BatchAssertions.symbol(v));
    }

    @Test
    void unknownCharacterIsNamedInTheError() {
        CharCorpus corpus = CharCorpus.fromString(TEXT);
        var e = assertThrows(IllegalArgumentException.class, () -> corpus.encode("hex"));
        assertEquals("character 'x' (U+0078) does not occur in the corpus, so it has no index; use only "
                + "characters of vocabulary()", e.getMessage());
        var tab = assertThrows(IllegalArgumentException.class, () -> corpus.indexOf('\t'));
        assertTrue(tab.getMessage().startsWith("character '\\t' (U+0009)"), tab.getMessage());
    }

    @Test
    void indexOutsideTheVocabularyIsRejected() {
        CharCorpus corpus = CharCorpus.fromString(TEXT);
        var e = assertThrows(IllegalArgumentException.class, () -> corpus.decode(new int[] {0, 11}));
        assertEquals("index = 11 is outside the allowed range [0, 10]: the vocabulary has 11 characters",
                e.getMessage());
    }

    @Test
    void emptyTextIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromString(""));
        assertEquals("the text has 0 characters: a corpus needs at least 2 (one to read and the next one to "
                + "predict)", e.getMessage());
    }

    @Test
    void randomBatchLabelsAreTheNextCharacterOfAWindowOfTheText() {
        CharCorpus corpus = CharCorpus.fromString(TEXT.repeat(5));
        Batch batch = corpus.batch(8, 6, new Random(1));
        assertEquals(8, batch.length());
        for (int b = 0; b < 6; b++) {
            StringBuilder window = new StringBuilder();
            for (int t = 0; t < 8; t++) {
                window.append(corpus.charAt(BatchAssertions.symbol(batch.inputsAt(t)[b])));
            }
            window.append(corpus.charAt(batch.labelsAt(7)[b]));
            assertTrue(corpus.text().contains(window), window.toString());
            for (int t = 0; t < 7; t++) {
                assertEquals(BatchAssertions.symbol(batch.inputsAt(t + 1)[b]), batch.labelsAt(t)[b]);
            }
        }
        BatchAssertions.assertSameData(batch, corpus.batch(8, 6, new Random(1)));
    }

    @Test
    void windowLongerThanTheTextIsRejected() {
        CharCorpus corpus = CharCorpus.fromString("abcde");
        var e = assertThrows(IllegalArgumentException.class, () -> corpus.batch(5, 1, new Random(1)));
        assertEquals("seqLength = 5 is outside the allowed range [1, 4]: a window and the character after it "
                + "must fit in the text of 5 characters", e.getMessage());
    }

    @Test
    void streamsContinueAcrossConsecutiveBatches() {
        CharCorpus corpus = CharCorpus.fromString(GeneratedText.generate(1001, 5));
        List<Batch> batches = corpus.batches(10, 4);
        assertEquals(25, batches.size(), "250 characters per stream, 10 per batch");
        for (int k = 0; k + 1 < batches.size(); k++) {
            Batch now = batches.get(k);
            Batch next = batches.get(k + 1);
            for (int b = 0; b < 4; b++) {
                assertEquals(now.labelsAt(9)[b], BatchAssertions.symbol(next.inputsAt(0)[b]),
                        "stream " + b + " goes on at batch " + (k + 1));
            }
        }
    }

    @Test
    void streamsReadTheTextInOrderWithoutOverlap() {
        String text = GeneratedText.generate(1001, 5);
        CharCorpus corpus = CharCorpus.fromString(text);
        List<Batch> batches = corpus.batches(10, 4);
        StringBuilder[] streams = {new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder()};
        for (Batch batch : batches) {
            for (int t = 0; t < batch.length(); t++) {
                for (int b = 0; b < 4; b++) {
                    streams[b].append(corpus.charAt(BatchAssertions.symbol(batch.inputsAt(t)[b])));
                }
            }
        }
        for (int b = 0; b < 4; b++) {
            assertEquals(text.substring(b * 250, b * 250 + 250), streams[b].toString());
        }
    }

    @Test
    void textTooShortForTheStreamsIsRejected() {
        CharCorpus corpus = CharCorpus.fromString("abcdefghij");
        var e = assertThrows(IllegalArgumentException.class, () -> corpus.batches(5, 2));
        assertEquals("the text of 10 characters is too short for batchSize = 2 streams of seqLength = 5: it needs "
                + "at least 11 characters; use a smaller batchSize or seqLength", e.getMessage());
    }

    @Test
    void fileIsReadAsUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("poem.txt");
        Files.writeString(file, "über\n");
        CharCorpus corpus = CharCorpus.fromFile(file);
        assertEquals("über\n", corpus.text());
        assertEquals(5, corpus.vocabularySize());
    }

    @Test
    void missingFileIsNamedInTheError(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.txt");
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromFile(missing));
        assertTrue(e.getMessage().startsWith("no such file: " + missing.toAbsolutePath()), e.getMessage());
    }

    @Test
    void emptyFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("empty.txt"), "");
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromFile(file));
        assertTrue(e.getMessage().startsWith("the text has 0 characters"), e.getMessage());
    }

    @Test
    void javaSourcesAreConcatenatedInPathOrderUpToTheLimit(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("b/Second.java"), "class Second {}\n");
        Files.writeString(dir.resolve("A.java"), "class A {}\n");
        Files.writeString(dir.resolve("notes.txt"), "not java\n");
        assertEquals("class A {}\nclass Second {}\n", CharCorpus.fromJavaSources(dir, 1000).text());
        assertEquals("class A {}\ncl", CharCorpus.fromJavaSources(dir, 13).text());
    }

    @Test
    void javaSourcesOfThisProjectMakeACorpus() {
        Path sources = Path.of("src/main/java");
        if (!Files.isDirectory(sources)) {
            sources = Path.of("lib/src/main/java");
        }
        CharCorpus corpus = CharCorpus.fromJavaSources(sources, 20_000);
        assertTrue(corpus.length() > 5_000);
        assertTrue(corpus.vocabulary().contains("{"));
    }

    @Test
    void folderWithoutJavaFilesIsRejected(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.fromJavaSources(dir, 100));
        assertTrue(e.getMessage().startsWith("no .java files under " + dir.toAbsolutePath()), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> CharCorpus.fromJavaSources(dir.resolve("none"), 100));
        assertTrue(missing.getMessage().startsWith("no folder at " + dir.resolve("none").toAbsolutePath()));
    }
}
