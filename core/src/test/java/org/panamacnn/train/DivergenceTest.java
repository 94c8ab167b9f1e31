package org.panamacnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.Dataset;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Non-finite training is stopped and named; nothing broken is saved; clipping follows clip_grad_norm_. */
class DivergenceTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        Sequential m = new Sequential(Shape.of(1, 6, 6), ParallelExecutor.SEQUENTIAL,
                List.of(new Conv2d(1, 3, 3, 1, 1), new ReLU(), new Flatten(), new Dense(108, 4)));
        m.initialize(3);
        return m;
    }

    private static Dataset data(int n) {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = r.nextInt(4);
        return Dataset.of(x, y, 1, 6, 6, 4);
    }

    private static float[][] weights(Sequential m) {
        return m.params().stream().map(p -> p.value().toArray()).toArray(float[][]::new);
    }

    @Test
    void aHugeLearningRateStopsWithEpochBatchAndLayerNamed() {
        Sequential m = model();
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(1e30f, 0f, 0f, false), 8, 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(data(64), 3, null, new TrainingListener() {}));
        assertEquals(1, e.epoch());
        assertTrue(e.batch() >= 2, "the first step cannot diverge from finite weights: " + e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*epoch 1, batch \\d+: the (loss|gradient norm) is .*layer \\d+ \\(.*"), e.getMessage());
    }

    @Test
    void theStepThatDivergesLeavesTheWeightsAsTheLastGoodStepLeftThem() {
        Sequential m = model();
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(0.1f), 4, 1);
        Dataset d = data(4);
        Tensor x = new Tensor(Shape.of(4, 1, 6, 6), d.images());
        t.step(x, d.labels());
        float[][] good = weights(m);
        float[] poisoned = d.images();
        poisoned[17] = Float.NaN;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.step(new Tensor(Shape.of(4, 1, 6, 6), poisoned), d.labels()));
        assertTrue(e.getMessage().contains("layer 0 (Conv2d"), e.getMessage());
        float[][] after = weights(m);
        for (int i = 0; i < good.length; i++) assertArrayEquals(good[i], after[i]);
    }

    @Test
    void aDivergedRunKeepsTheLastGoodCheckpointAndSavesNothingBroken() throws IOException {
        Sequential m = model();
        Sgd sgd = new Sgd(0.05f);
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), sgd, 8, 1);
        // after epoch 1 is checkpointed, a weight overflows: epoch 2's first step must stop
        TrainingListener poison = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                if (s.epoch() == 1) m.params().get(2).value().data()[5] = Float.POSITIVE_INFINITY;
            }
        };
        TrainingListener both = new Listeners(List.of(new CheckpointWriter(dir, 1, 3, m, sgd, 1, Map.of()), poison));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(data(32), 3, null, both));
        assertEquals(2, e.epoch());
        assertEquals(1, e.batch());
        assertTrue(e.getMessage().contains("layer 3 (Dense") && e.getMessage().contains("weight"), e.getMessage());
        assertTrue(Files.exists(CheckpointWriter.fileFor(dir, 1)));
        assertFalse(Files.exists(CheckpointWriter.fileFor(dir, 2)));
        Checkpoint.restore(CheckpointWriter.fileFor(dir, 1), new Sgd(0.05f), ParallelExecutor.SEQUENTIAL);

        Path out = dir.resolve("model.safetensors");
        Files.writeString(out, "the previous good model");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ModelFile.save(out, m, Map.of()));
        assertTrue(refused.getMessage().contains("3.weight") && refused.getMessage().contains("Infinity"), refused.getMessage());
        assertEquals("the previous good model", Files.readString(out));
    }

    @Test
    void clippingScalesGradientsAsClipGradNorm() {
        Sequential clipped = model(), plain = model();
        Dataset d = data(8);
        Tensor x = new Tensor(Shape.of(8, 1, 6, 6), d.images());
        Trainer a = new Trainer(plain, new SoftmaxCrossEntropy(), new Sgd(0.01f), 8, 1);
        a.step(x, d.labels());
        double norm = a.lastGradientNorm();
        double max = norm / 3;
        Trainer b = new Trainer(clipped, new SoftmaxCrossEntropy(), new Sgd(0.01f), 8, 1).clipGradientNorm(max);
        b.step(x, d.labels());
        assertEquals(norm, b.lastGradientNorm(), 0);  // reported before clipping
        double factor = max / (norm + 1e-6);
        double sum = 0;
        // the gradients are the trainers' training state, not the models'
        for (int i = 0; i < plain.params().size(); i++) {
            float[] g0 = a.state().params().get(i).grad().data(), g1 = b.state().params().get(i).grad().data();
            for (int k = 0; k < plain.params().get(i).size(); k++) {
                assertEquals(g0[k] * factor, g1[k], 1e-6 * Math.abs(g0[k]) + 1e-12);
                sum += (double) g1[k] * g1[k];
            }
        }
        assertEquals(max, Math.sqrt(sum), 1e-5 * max);
        // below the threshold nothing changes
        Sequential unclipped = model();
        Trainer c = new Trainer(unclipped, new SoftmaxCrossEntropy(), new Sgd(0.01f), 8, 1).clipGradientNorm(norm * 2);
        c.step(x, d.labels());
        assertEquals(norm, GradientNorm.of(c.state().params()), 1e-9 * norm);
        assertThrows(IllegalArgumentException.class, () -> a.clipGradientNorm(-1));
        assertThrows(IllegalArgumentException.class, () -> a.clipGradientNorm(Double.NaN));
    }
}
