package org.panamacnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.panamacnn.data.Dataset;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Training state kept apart from the model: shared weights, own gradients, activations and slots. */
class TrainingStateTest {
    private static final Shape INPUT = Shape.of(2, 9, 9);

    private static Sequential model(ParallelExecutor executor, String... specs) {
        Sequential m = new Sequential(INPUT, executor, java.util.Arrays.stream(specs).map(LayerSpec::parse).toList());
        m.initialize(11);
        return m;
    }

    private static Sequential withBatchNorm() {
        return model(ParallelExecutor.SEQUENTIAL, "conv2d out=5 kernel=3 stride=1 pad=1", "batchnorm2d", "relu",
                "maxpool2d window=2", "flatten", "dense out=4");
    }

    private static Sequential withoutBatchNorm() {
        return model(ParallelExecutor.SEQUENTIAL, "conv2d out=5 kernel=3 stride=1 pad=1", "relu",
                "maxpool2d window=2", "flatten", "dense out=7", "relu", "dense out=4");
    }

    private static Tensor images(int batch, long seed) {
        Tensor x = new Tensor(INPUT.withBatch(batch));
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        return x;
    }

    private static int[] labels(int batch) {
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 4;
        return y;
    }

    private static List<float[]> weights(Sequential m) {
        return m.params().stream().map(p -> p.value().data().clone()).toList();
    }

    @Test
    void stepsUpdateTheModelsOwnWeightsWhichHoldNoGradients() {
        Sequential m = withBatchNorm();
        List<float[]> before = weights(m);
        float[] runningMean = m.layers().get(1).buffers().get(0).value().data().clone();
        TrainingState state = new TrainingState(m, new Sgd(0.1f));
        for (int i = 0; i < state.params().size(); i++) {
            assertTrue(state.params().get(i).sharesValueWith(m.params().get(i)));
            assertNotEquals(state.params().get(i), m.params().get(i));
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(state.forward(images(6, 1)), labels(6));
        state.backward(loss.gradient());
        state.step();
        for (int i = 0; i < before.size(); i++) {
            assertFalse(java.util.Arrays.equals(before.get(i), m.params().get(i).value().data()), "weight " + i + " moved");
        }
        assertFalse(java.util.Arrays.equals(runningMean, m.layers().get(1).buffers().get(0).value().data()),
                "batch-norm statistics land in the model");
        for (Param p : m.params()) assertFalse(p.hasGradient(), p + " of the model has a gradient");
    }

    @Test
    void trainingThroughAStateGivesTheSameBitsAsTrainingTheLayers() {
        Sequential direct = withBatchNorm(), shared = withBatchNorm();
        Sgd directSgd = new Sgd(0.05f, 0.9f, 1e-4f, false);
        TrainingState state = new TrainingState(shared, new Sgd(0.05f, 0.9f, 1e-4f, false));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        for (int step = 0; step < 3; step++) {
            Tensor x = images(5, step);
            loss.forward(direct.forward(x, true), labels(5));
            direct.backward(loss.gradient());
            directSgd.step(direct.params());
            loss.forward(state.forward(x), labels(5));
            state.backward(loss.gradient());
            state.step();
        }
        for (int i = 0; i < direct.params().size(); i++) {
            assertArrayEquals(direct.params().get(i).value().data(), shared.params().get(i).value().data());
            // the optimizer's slots are found from the model's parameters too (what a checkpoint saves)
            assertArrayEquals(directSgd.slots(direct.params().get(i)).get("velocity"),
                    state.optimizer().slots(shared.params().get(i)).get("velocity"));
        }
    }

    @Test
    void twoStatesOnHalfBatchesGiveTheGradientOfTheWholeBatch() {
        Sequential m = withoutBatchNorm();
        TrainingState whole = new TrainingState(m, new Sgd(0.1f));
        TrainingState first = new TrainingState(m, new Sgd(0.1f)), second = new TrainingState(m, new Sgd(0.1f));
        Tensor x = images(8, 3);
        int[] y = labels(8);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(whole.forward(x), y);
        whole.backward(loss.gradient());
        int half = x.size() / 2;
        Tensor a = new Tensor(INPUT.withBatch(4), java.util.Arrays.copyOfRange(x.data(), 0, half));
        Tensor b = new Tensor(INPUT.withBatch(4), java.util.Arrays.copyOfRange(x.data(), half, x.size()));
        loss.forward(first.forward(a), java.util.Arrays.copyOfRange(y, 0, 4));
        first.backward(loss.gradient());
        loss.forward(second.forward(b), java.util.Arrays.copyOfRange(y, 4, 8));
        second.backward(loss.gradient());
        for (int i = 0; i < whole.params().size(); i++) {
            float[] g = whole.params().get(i).grad().data();
            float[] g1 = first.params().get(i).grad().data(), g2 = second.params().get(i).grad().data();
            for (int k = 0; k < g.length; k++) {
                float mean = (g1[k] + g2[k]) / 2;  // the loss is a mean over the batch
                assertEquals(g[k], mean, 1e-6f + 1e-5f * Math.abs(g[k]), "parameter " + i + " gradient " + k);
            }
        }
    }

    @Test
    void dropoutMasksDependOnlyOnSeedAndEpochSoAResumedRunMatches() {
        String[] specs = {"conv2d out=4 kernel=3 stride=1 pad=1", "relu", "flatten", "dropout p=0.5", "dense out=4"};
        float[] pixels = images(24, 5).data();
        int[] y = new int[24];
        for (int i = 0; i < y.length; i++) y[i] = (i * 7) % 4;
        Dataset data = Dataset.of(pixels, y, 2, 9, 9, 4);
        Sequential straight = model(ParallelExecutor.SEQUENTIAL, specs), resumed = model(ParallelExecutor.SEQUENTIAL, specs);
        new Trainer(straight, new SoftmaxCrossEntropy(), new Sgd(0.05f), 8, 9).fit(data, 0, 3, null, new TrainingListener() {});
        new Trainer(resumed, new SoftmaxCrossEntropy(), new Sgd(0.05f), 8, 9).fit(data, 0, 2, null, new TrainingListener() {});
        new Trainer(resumed, new SoftmaxCrossEntropy(), new Sgd(0.05f), 8, 9).fit(data, 2, 3, null, new TrainingListener() {});
        for (int i = 0; i < straight.params().size(); i++) {
            assertArrayEquals(straight.params().get(i).value().data(), resumed.params().get(i).value().data(), "parameter " + i);
        }
    }
}
