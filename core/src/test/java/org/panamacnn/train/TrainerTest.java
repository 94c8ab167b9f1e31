package org.panamacnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.optim.Adam;
import org.panamacnn.optim.LearningRateSchedule;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** Training on real Fashion-MNIST images from the bundled sample. */
class TrainerTest {
    private static FashionMnist data;

    @BeforeAll
    static void load() throws IOException {
        data = FashionMnist.load(Path.of("..", "data", "fashion-mnist-sample"));
    }

    private static Sequential model(ParallelExecutor executor) {
        Sequential m = Models.defaultCnn(Shape.of(1, 28, 28), 10, executor);
        m.initialize(7);
        return m;
    }

    @Test
    void repeatedStepsOnOneBatchOfRealImagesLowerItsLoss() {
        Dataset batch = data.train().subset(0, 32);
        Sequential m = model(ParallelExecutor.SEQUENTIAL);
        Trainer trainer = new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), 32, 1);
        double before = trainer.evaluate(batch).loss();
        trainer.fit(batch, 15, null, new TrainingListener() {});
        double after = trainer.evaluate(batch).loss();
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
    }

    @Test
    void oneEpochOnTwoThousandImagesBeatsChanceOnUnseenImages() {
        Dataset train = data.train().subset(0, 2000);
        Dataset test = data.test().subset(0, 500);
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Sequential m = model(executor);
            Trainer trainer = new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), 32, 3);
            List<EpochStats> epochs = new ArrayList<>();
            List<EpochStats> history = trainer.fit(train, 1, test, new TrainingListener() {
                @Override
                public void onEpochEnd(EpochStats stats) {
                    epochs.add(stats);
                }
            });
            assertEquals(history, epochs);
            EpochStats s = history.get(0);
            assertEquals(2000, s.images());
            assertTrue(s.validationAccuracy() > 0.6, "test accuracy after one epoch: " + s.validationAccuracy());
            assertTrue(s.imagesPerSecond() > 0);
        }
    }

    @Test
    void sameSeedGivesTheSameModelAtAnyThreadCount() {
        Dataset train = data.train().subset(0, 200);
        float[][] reference = null;
        for (int threads : new int[] {1, 3}) {
            try (ParallelExecutor executor = new ParallelExecutor(threads)) {
                Sequential m = model(executor);
                new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 1e-4f, true), 16, 11)
                        .fit(train, 2, null, new TrainingListener() {});
                float[][] weights = m.params().stream().map(p -> p.value().toArray()).toArray(float[][]::new);
                if (reference == null) reference = weights;
                else for (int i = 0; i < weights.length; i++) assertArrayEquals(reference[i], weights[i], "param " + i);
            }
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void stoppingAndResumingFromACheckpointGivesTheUninterruptedModel(String kind) throws IOException {
        Dataset train = data.train().subset(0, 300);
        LearningRateSchedule schedule = LearningRateSchedule.cosine(3).withWarmup(1);
        float[][] straight;
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Sequential m = model(executor);
            new Trainer(m, new SoftmaxCrossEntropy(), optimizer(kind), 32, 9).schedule(schedule)
                    .fit(train, 3, null, new TrainingListener() {});
            straight = m.params().stream().map(p -> p.value().toArray()).toArray(float[][]::new);
        }
        // "Killed" after the first epoch: only the checkpoint written then survives.
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Sequential m = model(executor);
            Optimizer opt = optimizer(kind);
            new Trainer(m, new SoftmaxCrossEntropy(), opt, 32, 9).schedule(schedule)
                    .fit(train, 0, 1, null, new CheckpointWriter(dir, 1, 2, m, opt, 9, Map.of()));
        }
        try (ParallelExecutor executor = new ParallelExecutor(1)) {
            Optimizer opt = optimizer(kind);
            Checkpoint.Restored r = Checkpoint.restore(CheckpointWriter.fileFor(dir, 1), opt, executor);
            assertEquals(1, r.epochsDone());
            new Trainer(r.model(), new SoftmaxCrossEntropy(), opt, 32, r.seed()).schedule(schedule)
                    .fit(train, r.epochsDone(), 3, null, new TrainingListener() {});
            List<Param> params = r.model().params();
            for (int i = 0; i < params.size(); i++) assertArrayEquals(straight[i], params.get(i).value().toArray(), "param " + i);
        }
    }

    @Test
    void resumingWithOtherOptimizerSettingsIsRefused() throws IOException {
        Sequential m = model(ParallelExecutor.SEQUENTIAL);
        Path f = dir.resolve("c.safetensors");
        Checkpoint.save(f, m, new Sgd(0.01f, 0.9f, 0f, false), 1, 9, Map.of());
        var e = assertThrows(java.io.IOException.class, () -> Checkpoint.restore(f, new Adam(0.001f), ParallelExecutor.SEQUENTIAL));
        assertTrue(e.getMessage().contains("SGD momentum 0.9") && e.getMessage().contains("Adam"), e.getMessage());
    }

    @Test
    void checkpointWriterKeepsTheLastK() {
        Sequential m = model(ParallelExecutor.SEQUENTIAL);
        CheckpointWriter w = new CheckpointWriter(dir, 2, 2, m, new Sgd(0.1f), 1, Map.of());
        for (int e = 1; e <= 8; e++) w.onEpochEnd(new EpochStats(e, 0, 0, 0, 0, 1, 1));
        assertTrue(java.nio.file.Files.exists(CheckpointWriter.fileFor(dir, 8)));
        assertTrue(java.nio.file.Files.exists(CheckpointWriter.fileFor(dir, 6)));
        assertTrue(!java.nio.file.Files.exists(CheckpointWriter.fileFor(dir, 4)));
        assertTrue(!java.nio.file.Files.exists(CheckpointWriter.fileFor(dir, 7)));
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(0.1f, LearningRateSchedule.step(2, 0.1f).rate(1f, 2, 0, 10), 1e-7f);
        assertEquals(0.5f, LearningRateSchedule.cosine(2).rate(1f, 1, 0, 10), 1e-6f);
        assertEquals(0.1f, LearningRateSchedule.constant().withWarmup(1).rate(1f, 0, 0, 10), 1e-7f);
        assertEquals(1f, LearningRateSchedule.constant().withWarmup(1).rate(1f, 0, 9, 10), 1e-7f);
    }

    @Test
    void adamStepFollowsTheFormula() {
        Sequential m = model(ParallelExecutor.SEQUENTIAL);
        Param p = m.params().get(1); // a bias: zero before the step
        java.util.Arrays.fill(p.grad().data(), 0.5f);
        new Adam(0.001f).step(List.of(p));
        // first step: m̂ = g, v̂ = g², so w = −lr · g / (|g| + ε)
        for (int i = 0; i < p.size(); i++) assertEquals(-0.001f, p.value().get(i), 1e-7f);
    }

    private static Optimizer optimizer(String kind) {
        return kind.equals("adam") ? new Adam(0.001f, 0.9f, 0.999f, 1e-8f, 1e-4f) : new Sgd(0.01f, 0.9f, 1e-4f, true);
    }

    @Test
    void rejectsDataOfAnotherShape() {
        Sequential m = Models.defaultCnn(Shape.of(3, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        Trainer trainer = new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(0.1f), 8, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(data.test().subset(0, 8), 1, null, new TrainingListener() {}));
        assertTrue(e.getMessage().contains("[1, 28, 28]") && e.getMessage().contains("[3, 28, 28]"), e.getMessage());
    }

    @Test
    void sgdStepFollowsTheFormula() {
        Sequential m = model(ParallelExecutor.SEQUENTIAL);
        Param p = m.params().get(0);
        float[] w = p.value().toArray();
        java.util.Arrays.fill(p.grad().data(), 0.5f);
        new Sgd(0.1f).step(List.of(p));
        for (int i = 0; i < w.length; i++) assertEquals(w[i] - 0.05f, p.value().get(i), 1e-6f);
    }
}
