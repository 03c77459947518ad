package org.rnnlab.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import java.util.zip.CRC32;
import org.rnnlab.cell.GruCell;
import org.rnnlab.cell.GruForm;
import org.rnnlab.cell.LstmCell;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.cell.RnnCell;
import org.rnnlab.cell.Activation;
import org.rnnlab.model.Loss;
import org.rnnlab.model.ModelBuilder;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;
import org.rnnlab.textbook.TextbookGruCell;
import org.rnnlab.textbook.TextbookLstmCell;
import org.rnnlab.textbook.TextbookRnnCell;

/**
 * Saves a trained {@link SequenceModel} to a file and loads it back, so a lesson can ship a model trained
 * offline instead of training for minutes in a cell.
 *
 * <p>Format (big-endian, version {@value #VERSION}): the magic bytes {@code RNNLAB-MODEL}, the format version, a
 * one-line description of the architecture (e.g. {@code input=65;layers=LSTM:NP:128;output=65;loss=CROSS_ENTROPY;seed=1}),
 * every named weight in textbook orientation (name such as {@code W_xi} or {@code L2.b_f}, rows, columns, values row
 * by row), and a CRC-32 of everything before it. Storing weights by their textbook names, not in the fused layout
 * the fast cells compute with, keeps files readable when that layout changes. Files of format 1, which stored the
 * fused blocks, still load. Loading checks all of
 * it before it returns a model: a file that is not a model, comes from a newer version, is truncated or corrupt
 * gets an error that says which, and nothing is half-loaded.
 */
public final class ModelFile {
    /** The format version this code writes and reads. */
    public static final int VERSION = 2;
    /** The first format, which stored the fused parameter blocks; still read. */
    private static final int FUSED_BLOCKS = 1;
    private static final byte[] MAGIC = "RNNLAB-MODEL".getBytes(StandardCharsets.US_ASCII);

    private ModelFile() {
    }

    /** Writes the model to {@code file} (replacing it), creating missing folders. */
    public static void save(SequenceModel model, Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(describe(model));
            Map<String, WeightView> weights = model.weights();
            out.writeInt(weights.size());
            for (Map.Entry<String, WeightView> e : weights.entrySet()) {
                DMatrixRMaj m = e.getValue().get();
                out.writeUTF(e.getKey());
                out.writeInt(m.numRows);
                out.writeInt(m.numCols);
                for (double v : m.data) {
                    out.writeDouble(v);
                }
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Reads a model saved by {@link #save}; every problem with the file is an error that names the file. */
    public static SequenceModel load(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no model file at " + file.toAbsolutePath()
                    + " (check the path; the working directory is " + Path.of("").toAbsolutePath() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return read(data, file.toAbsolutePath().toString());
    }

    static SequenceModel read(byte[] data, String where) {
        if (data.length < MAGIC.length || !java.util.Arrays.equals(java.util.Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(where + " is not an RNN Lab model file (it does not start with "
                    + "RNNLAB-MODEL); save a model with ModelFile.save(model, path)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION && version != FUSED_BLOCKS) {
                throw new IllegalArgumentException(where + " has model format " + version + "; this version of RNN Lab"
                        + " reads format " + VERSION + (version > VERSION ? " (the file comes from a newer RNN Lab)" : ""));
            }
            if (data.length < MAGIC.length + 12) {
                throw new EOFException();
            }
            CRC32 crc = new CRC32();
            crc.update(data, 0, data.length - 8);
            long stored = java.nio.ByteBuffer.wrap(data, data.length - 8, 8).getLong();
            if (crc.getValue() != stored) {
                throw new IllegalArgumentException(where + " is corrupt or truncated (its checksum does not match);"
                        + " save the model again");
            }
            SequenceModel model = build(in.readUTF(), where);
            if (version == VERSION) {
                readWeights(in, model, where);
                return model;
            }
            List<Parameter> params = model.parameters();
            int count = in.readInt();
            if (count != params.size()) {
                throw new IllegalArgumentException(where + " holds " + count + " parameter blocks, its architecture has "
                        + params.size());
            }
            List<double[][]> values = new ArrayList<>();
            for (Parameter p : params) {
                String name = in.readUTF();
                int rows = in.readInt();
                int cols = in.readInt();
                if (!name.equals(p.name()) || rows != p.rows() || cols != p.cols()) {
                    throw new IllegalArgumentException(where + ": block " + name + " " + rows + "x" + cols
                            + " does not fit the architecture's " + p.name() + " " + p.rows() + "x" + p.cols());
                }
                double[][] v = new double[rows][cols];
                for (double[] row : v) {
                    for (int c = 0; c < cols; c++) {
                        row[c] = in.readDouble();
                    }
                }
                values.add(v);
            }
            for (int i = 0; i < params.size(); i++) {
                double[][] target = params.get(i).value();
                for (int r = 0; r < target.length; r++) {
                    System.arraycopy(values.get(i)[r], 0, target[r], 0, target[r].length);
                }
            }
            return model;
        } catch (EOFException e) {
            throw new IllegalArgumentException(where + " is truncated; save the model again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + where + ": " + e.getMessage(), e);
        }
    }

    /** Reads every named weight into the model; all are read and checked before any is set. */
    private static void readWeights(DataInputStream in, SequenceModel model, String where) throws IOException {
        Map<String, WeightView> weights = model.weights();
        int count = in.readInt();
        if (count != weights.size()) {
            throw new IllegalArgumentException(where + " holds " + count + " weights, its architecture has "
                    + weights.size() + " (" + String.join(", ", weights.keySet()) + ")");
        }
        Map<String, DMatrixRMaj> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int rows = in.readInt();
            int cols = in.readInt();
            WeightView view = weights.get(name);
            if (view == null || rows != view.rows() || cols != view.cols() || values.containsKey(name)) {
                throw new IllegalArgumentException(where + ": weight " + name + " " + rows + "x" + cols
                        + " does not fit the architecture, whose weights are " + weights.values());
            }
            DMatrixRMaj m = new DMatrixRMaj(rows, cols);
            for (int k = 0; k < m.data.length; k++) {
                m.data[k] = in.readDouble();
            }
            values.put(name, m);
        }
        values.forEach((name, m) -> weights.get(name).set(m));
    }

    /** The one-line architecture description stored in the file. */
    public static String describe(SequenceModel model) {
        StringBuilder layers = new StringBuilder();
        for (RecurrentCell c : model.layers()) {
            if (layers.length() > 0) {
                layers.append(',');
            }
            if (c instanceof RnnCell r) {
                layers.append("RNN:").append(r.activation().name());
            } else if (c instanceof TextbookRnnCell r) {
                layers.append("RNN:").append(r.activation().name());
            } else if (c instanceof LstmCell l) {
                layers.append("LSTM:").append(l.variant().name());
            } else if (c instanceof TextbookLstmCell l) {
                layers.append("LSTM:").append(l.variant().name());
            } else if (c instanceof GruCell g) {
                layers.append(gru(g.form()));
            } else if (c instanceof TextbookGruCell g) {
                layers.append(gru(g.form()));
            } else {
                throw new IllegalArgumentException("cannot save a " + c.kind() + " layer");
            }
            layers.append(':').append(c.hiddenSize());
        }
        boolean textbook = model.layers().get(0).getClass().getPackageName().equals("org.rnnlab.textbook");
        return "input=" + model.inputSize() + ";layers=" + layers + ";output=" + model.outputSize() + ";loss="
                + model.loss().name() + ";seed=" + model.seed() + (textbook ? ";cells=textbook" : "");
    }

    private static String gru(GruForm form) {
        return form == GruForm.COLAH ? "GRU" : "GRU-" + form.name();
    }

    private static SequenceModel build(String description, String where) {
        try {
            java.util.Map<String, String> kv = new java.util.HashMap<>();
            for (String part : description.split(";")) {
                String[] p = part.split("=", 2);
                kv.put(p[0], p[1]);
            }
            ModelBuilder b = SequenceModel.builder(Integer.parseInt(kv.get("input")))
                    .seed(Long.parseLong(kv.get("seed")));
            for (String layer : kv.get("layers").split(",")) {
                String[] p = layer.split(":");
                switch (p[0]) {
                    case "RNN" -> b.rnn(Integer.parseInt(p[2]), Activation.valueOf(p[1]));
                    case "LSTM" -> b.lstm(Integer.parseInt(p[2]), p[1]);
                    case "GRU" -> b.gru(Integer.parseInt(p[1]));
                    case "GRU-CHO", "GRU-PYTORCH" -> b.gru(Integer.parseInt(p[1]), GruForm.valueOf(p[0].substring(4)));
                    default -> throw new IllegalArgumentException("unknown layer " + p[0]);
                }
            }
            if ("textbook".equals(kv.get("cells"))) {
                b.textbook();
            }
            return b.output(Integer.parseInt(kv.get("output")), Loss.valueOf(kv.get("loss"))).build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " describes an architecture this version cannot build ('"
                    + description + "'): " + e.getMessage(), e);
        }
    }
}
