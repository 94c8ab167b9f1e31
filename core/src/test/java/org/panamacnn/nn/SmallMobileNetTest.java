package org.panamacnn.nn;

import org.panamacnn.io.ModelDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.infer.Predictor;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * small-mobilenet.json (a test resource, see docs/onnx-operators.md; bias-free convolutions, depthwise convolutions, ReLU6, a padded
 * max-pool, hard swish, inverted residual blocks) trains from its definition, and the inference
 * plan of the trained model (batch norms folded into the depthwise and 1×1 convolutions) and the
 * model file it saves give the training path's evaluation logits.
 */
class SmallMobileNetTest {
    @Test
    void trainsAndServesWhatItLearned(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Shape in = Shape.of(1, 28, 28);
        try (ParallelExecutor ex = new ParallelExecutor(2)) {
            Sequential model = ModelDefinition.load(Path.of("src", "test", "resources", "small-mobilenet.json"), in, 10, ex);
            model.initialize(3);
            assertTrue(model.summary().contains("groups 96"), model.summary());
            Random rnd = new Random(4);
            int batch = 16;
            float[] x = new float[batch * in.size()];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = i % 10;
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.05f, 0.9f, 0f, false), batch, 1);
            Tensor xt = new Tensor(in.withBatch(batch), x);
            double first = trainer.step(xt, y), last = first;
            for (int s = 1; s < 25; s++) last = trainer.step(xt, y);
            assertTrue(last < 0.5 * first, "loss " + first + " → " + last + " after 25 steps");
            float[] eval = model.forward(new Tensor(in.withBatch(batch), x.clone()), false).data().clone();
            Path file = dir.resolve("small-mobilenet.safetensors"); // bias-free layers save no bias: torchvision's names
            org.panamacnn.io.ModelFile.save(file, model, java.util.Map.of());
            Sequential loaded = org.panamacnn.io.ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
            org.junit.jupiter.api.Assertions.assertArrayEquals(eval, loaded.forward(new Tensor(in.withBatch(batch), x.clone()), false).data(),
                    "the model file gives the same logits");
            try (Predictor p = new Predictor(model)) {
                for (int n = 0; n < batch; n++) {
                    float[] logits = p.logits(java.util.Arrays.copyOfRange(x, n * in.size(), (n + 1) * in.size()));
                    for (int k = 0; k < 10; k++) assertEquals(eval[n * 10 + k], logits[k], 1e-4 * Math.max(1, Math.abs(eval[n * 10 + k])),
                            "image " + n + ", class " + k + "\n" + p.model().plan());
                }
            }
        }
    }
}
