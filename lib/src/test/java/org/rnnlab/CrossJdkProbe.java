package org.rnnlab;

import org.rnnlab.data.DelayTask;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;
import org.rnnlab.train.History;
import org.rnnlab.train.Trainer;

/** Trains a small seeded model and prints the exact bits of its losses and weights (run in a child JVM). */
public final class CrossJdkProbe {
    private CrossJdkProbe() {
    }

    public static void main(String[] args) {
        SequenceModel m = SequenceModel.builder(4).lstm(8).gru(6).output(4, Loss.CROSS_ENTROPY).seed(3).build();
        History h = new Trainer(m).clipNorm(1.0).batchSize(8).seed(5).fit(new DelayTask(4, 2, 12), 10);
        StringBuilder out = new StringBuilder();
        for (double loss : h.losses()) {
            out.append(Long.toHexString(Double.doubleToLongBits(loss))).append('\n');
        }
        for (double w : m.get("L1.W_hf").data) {
            out.append(Long.toHexString(Double.doubleToLongBits(w))).append('\n');
        }
        System.out.print(out);
    }
}
