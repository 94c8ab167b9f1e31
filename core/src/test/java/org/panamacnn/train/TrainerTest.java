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
import org.junit.jupiter.api.Test;
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
