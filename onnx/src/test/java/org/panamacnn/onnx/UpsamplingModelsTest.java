package org.panamacnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.infer.Predictor;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Adam;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * Upsampling networks from PyTorch (scripts/export_torchvision.py tiny-unet / tiny-bilinear, both
 * exporters): an encoder-decoder with ConvTranspose (stride 2, output padding; bias-free 2×2), an
 * Add skip and a nearest Upsample, and a net of bilinear upsampling with align_corners False and
 * True and a rectangular nearest one. Their logits agree with PyTorch's (training forward and
 * inference plan, {@link TorchvisionModelsTest}'s tolerance); they train, save and serve.
 */
class UpsamplingModelsTest {
    static List<String> fixtures() {
        List<String> names = new ArrayList<>();
        for (String net : new String[] {"tiny-unet", "tiny-bilinear"}) {
            for (String exporter : new String[] {"legacy", "dynamo"}) names.add(net + "-" + exporter);
        }
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void agreeWithPyTorch(String name) throws IOException {
        Path prefix = Path.of("src/test/resources/torchvision/" + name);
        double diff = TorchvisionModelsTest.maxDifference(prefix);
        System.out.printf("%s: max |logit difference| from PyTorch %.3g%n", name, diff);
        assertTrue(diff <= TorchvisionModelsTest.tolerance(prefix), name + ": max |logit difference| from PyTorch " + diff);
    }

    /** They learn to fit 16 labelled images (the loss halves within 150 Adam steps) and give the same logits from a model file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void trainSaveAndServe(String name, @TempDir Path dir) throws IOException {
        Sequential model = OnnxImport.load(Path.of("src/test/resources/torchvision/" + name + ".onnx"), ParallelExecutor.SEQUENTIAL);
        Random rnd = new Random(6);
        int batch = 16;
        float[] x = new float[batch * model.inputShape().size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 10;
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(0.01f), batch, 1);
        Tensor xt = new Tensor(model.inputShape().withBatch(batch), x);
        double first = trainer.step(xt, y), last = first;
        int steps = 1;
        for (; steps < 150 && last >= 0.5 * first; steps++) last = trainer.step(xt, y);
        assertTrue(last < 0.5 * first, name + ": loss " + first + " → " + last + " after " + steps + " steps");
        Path file = dir.resolve("trained.safetensors");
        ModelFile.save(file, model, java.util.Map.of());
        Sequential loaded = ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        assertEquals(model.summary(), loaded.summary());
        float[] expected = model.forward(new Tensor(model.inputShape().withBatch(batch), x.clone()), false).data().clone();
        assertArrayEquals(expected, loaded.forward(new Tensor(model.inputShape().withBatch(batch), x.clone()), false).data(),
                name + ": the model file gives the same logits");
        try (Predictor p = Predictor.load(file)) {
            float[] logits = p.logits(java.util.Arrays.copyOf(x, model.inputShape().size()));
            for (int k = 0; k < logits.length; k++) assertEquals(expected[k], logits[k], 1e-4, name + ": served logit " + k);
        }
    }
}
