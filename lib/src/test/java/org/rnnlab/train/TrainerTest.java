package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rnnlab.Fixtures;
import org.rnnlab.data.AddingProblem;
import org.rnnlab.data.Batch;
import org.rnnlab.data.DelayTask;
import org.rnnlab.model.Loss;
import org.rnnlab.model.SequenceModel;

class TrainerTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /** Trains in chunks of 100 updates until the test MSE is below 0.01 or the budget is spent; returns updates used. */
    private static int trainUntilSolved(SequenceModel model, AddingProblem task, Batch test, int budget) {
        Trainer trainer = new Trainer(model).optimizer(Optimizer.adam(0.01)).clipNorm(1.0);
        int used = 0;
        while (used < budget && model.loss(test) >= 0.01) {
            trainer.batchSize(32).seed(used).fit(task, 100);
            used += 100;
        }
        return used;
    }

    @Test
    void lstmLearnsTheAddingProblemWhereTheVanillaRnnDoesNot() {
        AddingProblem task = new AddingProblem(30);
        Batch test = task.batches(1, 500, 99).get(0);
        SequenceModel lstm = SequenceModel.builder(2).lstm(32).output(1, Loss.MSE).seed(1).build();
        int updates = trainUntilSolved(lstm, task, test, 1500);
        double lstmLoss = lstm.loss(test);
        assertTrue(lstmLoss < 0.01, "LSTM test MSE " + lstmLoss + " after " + updates + " updates");

        SequenceModel rnn = SequenceModel.builder(2).rnn(32).output(1, Loss.MSE).seed(1).build();
        new Trainer(rnn).optimizer(Optimizer.adam(0.01)).clipNorm(1.0).batchSize(32).seed(0).fit(task, updates);
        double rnnLoss = rnn.loss(test);
        System.out.printf("adding problem T=30: LSTM test MSE %.4f, RNN %.4f after %d updates (baseline %.4f)%n",
                lstmLoss, rnnLoss, updates, AddingProblem.BASELINE_MSE);
        assertTrue(rnnLoss > 0.5 * AddingProblem.BASELINE_MSE, "the RNN stays near the baseline, got " + rnnLoss);
    }

    @Test
    void sameSeedGivesBitIdenticalTraining() {
        double[][] runs = new double[2][];
        double[][] weights = new double[2][];
        for (int i = 0; i < 2; i++) {
            SequenceModel m = SequenceModel.builder(4).lstm(8).output(4, Loss.CROSS_ENTROPY).seed(3).build();
            History h = new Trainer(m).clipNorm(1.0).batchSize(8).seed(5).fit(new DelayTask(4, 2, 12), 20);
            runs[i] = h.losses();
            weights[i] = m.get("W_hf").data;
        }
        assertArrayEquals(runs[0], runs[1], 0.0);
        assertArrayEquals(weights[0], weights[1], 0.0);
    }

    @Test
    void differentSeedsGiveDifferentModels() {
        SequenceModel a = SequenceModel.builder(4).lstm(8).output(4, Loss.CROSS_ENTROPY).seed(1).build();
        SequenceModel b = SequenceModel.builder(4).lstm(8).output(4, Loss.CROSS_ENTROPY).seed(2).build();
        assertFalse(java.util.Arrays.equals(a.get("W_xi").data, b.get("W_xi").data));
    }

    private static SequenceModel explosive() {
        return SequenceModel.builder(3).rnn(8).output(2, Loss.MSE).seed(1).build();
    }

    @Test
    void divergenceNamesTheUpdateAndWhatToTry() {
        Trainer trainer = new Trainer(explosive()).optimizer(Optimizer.sgd(1e6));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.epochs(50).fit(List.of(Fixtures.regression(6, 2, 3, 2, false, 1))));
        assertTrue(e.getMessage().matches("(?s)training diverged at update \\d+ .*clipNorm.*smaller learning rate.*"),
                e.getMessage());
        assertTrue(e.history().size() > 0, "the history up to the blow-up is kept");
    }

    @Test
    void stopOnDivergenceEndsQuietlyWithTheHistorySoFar() {
        History h = new Trainer(explosive()).optimizer(Optimizer.sgd(1e6)).stopOnDivergence()
                .epochs(50).fit(List.of(Fixtures.regression(6, 2, 3, 2, false, 1)));
        assertTrue(h.stoppedBecause().startsWith("training diverged at update"), h.stoppedBecause());
        assertTrue(h.size() < 50);
    }

    @Test
    void clippingByNormRecordsTheNormBeforeAndAfter() {
        History h = new Trainer(explosive()).optimizer(Optimizer.sgd(0.01)).clipNorm(1e-3)
                .epochs(3).fit(List.of(Fixtures.regression(6, 2, 3, 2, false, 1)));
        for (History.Step s : h.steps()) {
            assertTrue(s.gradNorm() > 1e-3);
            assertEquals(1e-3, s.clippedNorm(), 1e-12);
            assertTrue(s.clipped());
        }
    }

    @Test
    void anInterruptStopsTrainingCleanlyAndKeepsTheFlag() {
        SequenceModel m = explosive();
        int[] seen = new int[1];
        Trainer trainer = new Trainer(m).onStep(s -> {
            if (++seen[0] == 3) {
                Thread.currentThread().interrupt();
            }
        });
        History h = trainer.epochs(100).fit(List.of(Fixtures.regression(6, 2, 3, 2, false, 1)));
        assertEquals(3, h.size());
        assertTrue(h.interrupted());
        assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set for the caller");
    }

    @Test
    void carriedStateContinuesAStreamAcrossBatches() {
        Batch first = Fixtures.regression(4, 2, 3, 2, false, 1);
        Batch second = Fixtures.regression(4, 2, 3, 2, false, 2);
        SequenceModel carried = explosive();
        SequenceModel fresh = explosive();
        History hc = new Trainer(carried).optimizer(Optimizer.sgd(1e-9)).carryState(true).fit(List.of(first, second));
        History hf = new Trainer(fresh).optimizer(Optimizer.sgd(1e-9)).fit(List.of(first, second));
        assertEquals(hc.losses()[0], hf.losses()[0], 0.0, "the first batch starts from zero either way");
        assertTrue(hc.losses()[1] != hf.losses()[1], "the second batch starts from the first one's last state");
    }

    @Test
    void truncationArgumentsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(explosive()).truncate(5, 3));
        assertTrue(e.getMessage().contains("k1 = 5, k2 = 3"), e.getMessage());
    }
}
