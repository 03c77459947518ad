package org.rnnlab.textbook;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.rnnlab.cell.Activation;
import org.rnnlab.cell.GruCell;
import org.rnnlab.cell.GruForm;
import org.rnnlab.cell.LstmCell;
import org.rnnlab.cell.LstmVariant;
import org.rnnlab.cell.RecurrentCell;
import org.rnnlab.cell.RnnCell;
import org.rnnlab.model.SequenceModel;

/**
 * One cell type, variant or form, with its fast cell, its textbook cell and the builder call that adds it: the
 * 14 cases the textbook cells must cover (RNN tanh and ReLU, the nine LSTM variants, the three GRU forms).
 */
record CellSpec(String name, Factory fast, Factory textbook, BiConsumer<org.rnnlab.model.ModelBuilder, Integer> layer) {
    interface Factory {
        RecurrentCell make(int inputSize, int hiddenSize);
    }

    static List<CellSpec> all() {
        List<CellSpec> specs = new ArrayList<>();
        for (Activation a : Activation.values()) {
            specs.add(new CellSpec("RNN-" + a, (i, h) -> new RnnCell(i, h, a), (i, h) -> new TextbookRnnCell(i, h, a),
                    (b, h) -> b.rnn(h, a)));
        }
        for (LstmVariant v : LstmVariant.values()) {
            specs.add(new CellSpec("LSTM-" + v, (i, h) -> new LstmCell(i, h, v), (i, h) -> new TextbookLstmCell(i, h, v),
                    (b, h) -> b.lstm(h, v)));
        }
        for (GruForm f : GruForm.values()) {
            specs.add(new CellSpec("GRU-" + f, (i, h) -> new GruCell(i, h, f), (i, h) -> new TextbookGruCell(i, h, f),
                    (b, h) -> b.gru(h, f)));
        }
        return specs;
    }

    @Override
    public String toString() {
        return name;
    }
}
