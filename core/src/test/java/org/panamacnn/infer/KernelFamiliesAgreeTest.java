package org.panamacnn.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.KernelProvider;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * A model file with depthwise convolutions, batch norms, ReLU6, a padded max-pool and hard swish
 * (small-mobilenet.json, trained a few steps so its batch-norm statistics are not the defaults)
 * loads with {@link Predictor#load} and gives the same logits, within float rounding, on both
 * kernel families: this JVM's and, in a child JVM, the other one (the Vector API when this JVM
 * runs plain Java, as in core's without-vector-module execution; plain Java, the module left out,
 * when this one is vectorised).
 */
class KernelFamiliesAgreeTest {
    private static final Shape INPUT = Shape.of(1, 28, 28);
    private static final int IMAGES = 6;

    @Test
    void bothKernelFamiliesLoadAndPredictTheSameLogits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small-mobilenet.safetensors");
        try (ParallelExecutor ex = new ParallelExecutor(2)) {
            Sequential model = ModelDefinition.load(Path.of("src", "test", "resources", "small-mobilenet.json"), INPUT, 10, ex);
            model.initialize(3);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.05f, 0.9f, 0f, false), 8, 1);
            Tensor x = new Tensor(INPUT.withBatch(8), images(8, 9));
            int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
            for (int s = 0; s < 3; s++) trainer.step(x, y);
            ModelFile.save(file, model, Map.of());
        }
        float[][] here = Child.logits(file);
        float[][] there = otherFamily(file);
        for (int n = 0; n < IMAGES; n++) {
            for (int k = 0; k < 10; k++) {
                float e = here[n][k];
                assertEquals(e, there[n][k], 1e-4 * Math.max(1, Math.abs(e)), "image " + n + ", class " + k + ": "
                        + KernelProvider.description() + " here, the other family in the child");
            }
        }
    }

    /** The logits the child JVM of the other kernel family prints. */
    private static float[][] otherFamily(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx1g", "-Xlog:disable"));
        if (!KernelProvider.VECTORIZED) command.addAll(List.of("--add-modules=jdk.incubator.vector", "-Dpanamacnn.kernels=vector"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), file.toString()));
        Path err = Files.createTempFile(file.getParent(), "child", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = Files.readString(err);
        assertEquals(0, p.exitValue(), "child JVM failed: " + log);
        assertTrue(log.contains(KernelProvider.VECTORIZED ? "panama-cnn kernels: plain Java" : "panama-cnn kernels: Vector API"),
                "the child ran the other family: " + log);
        String[] lines = out.strip().split("\n");
        assertEquals(IMAGES, lines.length, out);
        float[][] logits = new float[IMAGES][];
        for (int n = 0; n < IMAGES; n++) {
            String[] v = lines[n].trim().split(" ");
            logits[n] = new float[v.length];
            for (int k = 0; k < v.length; k++) logits[n][k] = Float.parseFloat(v[k]);
        }
        return logits;
    }

    /** count Gaussian images of the input shape from seed. */
    private static float[] images(int count, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[count * INPUT.size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    /** Loads the model file with Predictor.load and prints each test image's logits on a line (hexadecimal floats). */
    static final class Child {
        public static void main(String[] args) throws IOException {
            for (float[] row : logits(Path.of(args[0]))) {
                StringBuilder s = new StringBuilder();
                for (float v : row) s.append(Float.toHexString(v)).append(' ');
                System.out.println(s.toString().trim());
            }
        }

        static float[][] logits(Path file) throws IOException {
            float[] x = images(IMAGES, 17);
            float[][] out = new float[IMAGES][];
            try (Predictor p = Predictor.load(file)) {
                for (int n = 0; n < IMAGES; n++) {
                    out[n] = p.logits(java.util.Arrays.copyOfRange(x, n * INPUT.size(), (n + 1) * INPUT.size()));
                }
            }
            return out;
        }
    }
}
