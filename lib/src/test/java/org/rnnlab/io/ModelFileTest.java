package org.rnnlab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.Fixtures;
import org.rnnlab.cell.Activation;
import org.rnnlab.cell.GruCell;
import org.rnnlab.cell.GruForm;
import org.rnnlab.data.Batch;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.train.Trainer;

class ModelFileTest {
    @TempDir
    Path dir;

    private static SequenceModel trained() {
        SequenceModel m = SequenceModel.builder(3).lstm(5, "CIFG").gru(4).rnn(3, Activation.RELU)
                .output(2, Loss.MSE).seed(9).build();
        new Trainer(m).epochs(3).fit(java.util.List.of(Fixtures.regression(5, 2, 3, 2, false, 1)));
        return m;
    }

    @Test
    void aSavedModelLoadsBackWithTheSameArchitectureAndWeights() {
        SequenceModel m = trained();
        Path file = dir.resolve("sub/model.rnn");
        ModelFile.save(m, file);
        SequenceModel back = ModelFile.load(file);
        assertEquals(ModelFile.describe(m), ModelFile.describe(back));
        Batch probe = Fixtures.regression(4, 1, 3, 2, false, 7);
        assertArrayEquals(m.predict(probe)[3][0], back.predict(probe)[3][0], 0.0);
    }

    @Test
    void weightsAreStoredUnderTheirTextbookNames() throws IOException {
        SequenceModel m = trained();
        Path file = dir.resolve("named.rnn");
        ModelFile.save(m, file);
        String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String name : m.weights().keySet()) {
            assertTrue(bytes.contains(name), "the file names " + name);
        }
    }

    @Test
    void aFileOfTheFirstFormatWithFusedBlocksStillLoads() {
        Path shipped = Path.of("src/test/resources/org/rnnlab/io/format1-adding-rnn.model");
        byte[] head = new byte[16];
        try (var in = Files.newInputStream(shipped)) {
            assertEquals(16, in.read(head));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(1, java.nio.ByteBuffer.wrap(head, 12, 4).getInt(), "the fixture is of format 1 (a copy of a model the lessons shipped before format 2)");
        SequenceModel old = ModelFile.load(shipped);
        Path again = dir.resolve("again.rnn");
        ModelFile.save(old, again);
        SequenceModel back = ModelFile.load(again);
        Batch probe = Batch.regression(new double[][][] {{{0.3, 1}}, {{0.7, 0}}, {{0.1, 1}}},
                new double[][][] {{{0}}, {{0}}, {{0}}});
        assertArrayEquals(old.predict(probe)[2][0], back.predict(probe)[2][0], 0.0);
        for (String name : old.weights().keySet()) {
            assertArrayEquals(old.get(name).data, back.get(name).data, 0.0, name);
        }
    }

    @Test
    void aGruKeepsItsFormThroughAFile() {
        for (GruForm form : GruForm.values()) {
            SequenceModel m = SequenceModel.builder(3).gru(4, form).output(2, Loss.MSE).seed(3).build();
            m.set("b_n", new org.ejml.data.DMatrixRMaj(new double[][] {{0.1}, {-0.2}, {0.3}, {0.4}}));
            Path file = dir.resolve("gru-" + form + ".rnn");
            ModelFile.save(m, file);
            SequenceModel back = ModelFile.load(file);
            assertEquals(form, ((GruCell) back.layer(1)).form());
            Batch probe = Fixtures.regression(4, 1, 3, 2, false, 7);
            assertArrayEquals(m.predict(probe)[3][0], back.predict(probe)[3][0], 0.0);
        }
    }

    @Test
    void aTextbookModelSavesAndLoadsAsATextbookModel() {
        SequenceModel m = SequenceModel.builder(3).lstm(4, "CIFG").gru(3, GruForm.PYTORCH).rnn(2).textbook()
                .output(2, Loss.MSE).seed(5).build();
        new Trainer(m).epochs(2).fit(java.util.List.of(Fixtures.regression(5, 2, 3, 2, false, 1)));
        Path file = dir.resolve("textbook.rnn");
        ModelFile.save(m, file);
        SequenceModel back = ModelFile.load(file);
        assertEquals(ModelFile.describe(m), ModelFile.describe(back));
        assertTrue(ModelFile.describe(back).endsWith(";cells=textbook"), ModelFile.describe(back));
        Batch probe = Fixtures.regression(4, 1, 3, 2, false, 7);
        assertArrayEquals(m.predict(probe)[3][0], back.predict(probe)[3][0], 0.0);
    }

    @Test
    void aFileThatIsNotAModelSaysSo() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("is not an RNN Lab model file"), e.getMessage());
    }

    @Test
    void aCorruptFileIsRefusedAndNothingIsHalfLoaded() throws IOException {
        Path file = dir.resolve("m.rnn");
        ModelFile.save(trained(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path file = dir.resolve("m.rnn");
        ModelFile.save(trained(), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
    }

    @Test
    void aNewerFormatIsNamed() throws IOException {
        Path file = dir.resolve("m.rnn");
        ModelFile.save(trained(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[15] = 7;                                        // the version's last byte, after the 12 magic bytes
        Files.write(file, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("format 7") && e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void aMissingFileNamesThePath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.load(dir.resolve("nope.rnn")));
        assertTrue(e.getMessage().contains("nope.rnn"), e.getMessage());
    }
}
