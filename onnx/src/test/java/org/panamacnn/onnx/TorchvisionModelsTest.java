package org.panamacnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamacnn.infer.InferenceModel;
import org.panamacnn.infer.Workspace;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.tensor.Tensor;

/**
 * torchvision's models through ONNX, from both of PyTorch's exporters, against PyTorch's own
 * logits (made by scripts/export_torchvision.py). The committed fixtures are tiny networks built
 * from torchvision's own blocks (ResNet's BasicBlock and Bottleneck with the padded max-pool stem, MobileNetV2's
 * InvertedResidual with depthwise convolutions and ReLU6, MobileNetV3's with squeeze-and-excitation,
 * hard-swish and hard-sigmoid, EfficientNet's MBConv with SiLU as x·sigmoid(x) and its
 * squeeze-and-excitation scale, VGG's make_layers with batch norm and its AdaptiveAvgPool2d((7, 7)) —
 * on a 7×7 map from the legacy exporter, on an 8×8 one as the dynamo exporter's gather form —, SqueezeNet's
 * Fire modules and ceil-mode pools, torchvision's DenseNet class itself (concatenations) and its RegNet class (grouped
 * convolutions of group width 8, squeeze-and-excitation)) and a net of the operators users' own models bring (tiny-ops:
 * constant arithmetic, GELU both ways, Tanh, ceil-mode and padded pools) and one of the convolutions beyond square windows
 * (tiny-conv: Inception-v3's 1×7 and 7×1, a dilated 3×3, stride (2, 1), padding='same' with an even kernel, which the
 * legacy exporter writes as auto_pad SAME_UPPER and the dynamo one as uneven pads), and one of the norms with per-sample statistics
 * (tiny-norms: ConvNeXt's LayerNorm2d, nn.GroupNorm with and without affine weights, nn.LayerNorm([C, H, W]),
 * nn.InstanceNorm2d); the dynamo files without the
 * exporter's per-node provenance strings (--strip-node-metadata). The real models are
 * exported by the test itself when asked ({@code -Dpanamacnn.torchvision=true}, needs python3 with
 * torch and torchvision), since their files are 5–530 MB.
 */
class TorchvisionModelsTest {
    /**
     * Largest |logit difference| accepted, relative to the largest |logit| when that is above 1: float
     * sums in another order than PyTorch's. (resnet50's logits reach 800 with random batch-norm
     * statistics; ONNX Runtime differs from PyTorch there by 6e-4.)
     */
    static final double TOL = 1e-4;

    static List<String> fixtures() {
        List<String> names = new ArrayList<>();
        for (String net : new String[] {"tiny-resnet", "tiny-resnet50", "tiny-mobilenet", "tiny-mobilenet-v3", "tiny-efficientnet",
                "tiny-vgg", "tiny-squeezenet", "tiny-densenet", "tiny-regnet", "tiny-ops", "tiny-conv", "tiny-norms"}) {
            for (String exporter : new String[] {"legacy", "dynamo"}) names.add(net + "-" + exporter);
        }
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void tinyNetworksFromTorchvisionBlocksAgreeWithPyTorch(String name) throws IOException {
        Path prefix = Path.of("src/test/resources/torchvision/" + name);
        double diff = maxDifference(prefix);
        assertTrue(diff <= tolerance(prefix), name + ": max |logit difference| from PyTorch " + diff);
    }

    /** torchvision's models at 3×32×32 and 3×224×224, both exporters. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0", "vgg11_bn", "squeezenet1_1",
            "densenet121", "regnet_y_400mf"})
    void torchvisionModelsAgreeWithPyTorch(String model) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("panamacnn.torchvision"),
                "NOTICE: torchvision's " + model + " not exported and checked: run with -Dpanamacnn.torchvision=true (needs python3 with torch, torchvision, onnxscript)");
        Path dir = Files.createDirectories(Path.of("target/torchvision"));
        for (int size : new int[] {32, 224}) {
            for (String exporter : new String[] {"legacy", "dynamo"}) {
                // the legacy exporter refuses VGG's AdaptiveAvgPool2d((7, 7)) on the 1×1 map of a 32×32 image
                // (only sizes that divide the map); 224×224, a 7×7 map, is the smallest it writes
                if (model.equals("vgg11_bn") && exporter.equals("legacy") && size == 32) continue;
                Path prefix = dir.resolve(model + "-" + exporter + "-" + size);
                Process p = new ProcessBuilder("python3", "../scripts/export_torchvision.py", model, "--size", String.valueOf(size),
                        "--exporter", exporter, "--out", prefix.toString(), "--count", "4").redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes());
                assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "export failed:\n" + log);
                double diff = maxDifference(prefix), scale = 0;
                for (float v : floats(Path.of(prefix + ".logits.f32"))) scale = Math.max(scale, Math.abs(v));
                System.out.printf("%s %s 3x%dx%d: max |logit difference| from PyTorch %.3g, logits up to %.3g (%s)%n", model, exporter,
                        size, size, diff, scale, log.lines().filter(l -> l.startsWith("wrote")).findFirst().orElse("").replaceAll(".*; ", ""));
                assertTrue(diff <= tolerance(prefix), prefix + ": max |logit difference| from PyTorch " + diff + " for logits up to " + scale);
            }
        }
    }

    /**
     * A model from PyTorch trains: the tiny networks (depthwise convolutions, ReLU6, residual blocks and bottlenecks,
     * squeeze-and-excitation, VGG's adaptive pool, Fire modules, dense concatenations, grouped convolutions) learn to fit 16 labelled images (the loss halves within 120 Adam steps), its training and inference
     * forwards still agree, and it survives a model file round trip (the specs of the new layers read back).
     * (Not tiny-squeezenet: its logits come out of a ReLU after dropout, as SqueezeNet's do, and halve its loss
     * more slowly; its Fire modules' concatenations and ceil-mode pools train here in tiny-densenet and tiny-ops.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-mobilenet-dynamo", "tiny-resnet-legacy", "tiny-mobilenet-v3-legacy", "tiny-efficientnet-dynamo",
            "tiny-ops-legacy", "tiny-ops-dynamo", "tiny-resnet50-legacy", "tiny-vgg-dynamo", "tiny-densenet-legacy",
            "tiny-regnet-dynamo", "tiny-conv-legacy", "tiny-conv-dynamo", "tiny-norms-legacy", "tiny-norms-dynamo"})
    void importedNetworksTrainAndSaveAndServe(String name, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Sequential model = OnnxImport.load(Path.of("src/test/resources/torchvision/" + name + ".onnx"), ParallelExecutor.SEQUENTIAL);
        java.util.Random rnd = new java.util.Random(5);
        int batch = 16;
        float[] x = new float[batch * model.inputShape().size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 10;
        org.panamacnn.train.Trainer trainer = new org.panamacnn.train.Trainer(model, new org.panamacnn.loss.SoftmaxCrossEntropy(),
                new org.panamacnn.optim.Adam(0.01f), batch, 1);
        Tensor xt = new Tensor(model.inputShape().withBatch(batch), x);
        double first = trainer.step(xt, y), last = first;
        int steps = 1;
        for (; steps < 120 && last >= 0.5 * first; steps++) last = trainer.step(xt, y);
        assertTrue(last < 0.5 * first, name + ": loss " + first + " → " + last + " after " + steps + " steps");
        Path file = dir.resolve("trained.safetensors");
        org.panamacnn.io.ModelFile.save(file, model, java.util.Map.of());
        Sequential loaded = org.panamacnn.io.ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        assertEquals(model.summary(), loaded.summary());
        float[] expected = model.forward(new Tensor(model.inputShape().withBatch(batch), x.clone()), false).data().clone();
        float[] again = loaded.forward(new Tensor(model.inputShape().withBatch(batch), x.clone()), false).data();
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, again, name + ": the model file gives the same logits");
        try (org.panamacnn.infer.Predictor p = org.panamacnn.infer.Predictor.load(file)) {
            float[] logits = p.logits(java.util.Arrays.copyOf(x, model.inputShape().size()));
            for (int k = 0; k < logits.length; k++) assertEquals(expected[k], logits[k], 1e-4, name + ": served logit " + k);
        }
    }

    /**
     * Imports PREFIX.onnx and runs it on PREFIX.input.f32 both through the training path's forward
     * (evaluation mode) and the inference plan; returns the larger max |difference| from PyTorch's
     * logits in PREFIX.logits.f32.
     */
    static double maxDifference(Path prefix) throws IOException {
        Sequential model = OnnxImport.load(Path.of(prefix + ".onnx"), ParallelExecutor.SEQUENTIAL);
        float[] x = floats(Path.of(prefix + ".input.f32")), expected = floats(Path.of(prefix + ".logits.f32"));
        int count = x.length / model.inputShape().size(), classes = model.outputShape().dim(0);
        assertEquals(expected.length, count * classes, prefix + ": logits for " + count + " images of " + classes + " classes");
        double max = 0;
        { // the plan first, and let go of it before the training forward: VGG-11's weights, packed and not, and its
          // activations at 224×224 would not fit the test's 2 GB heap all at once
            InferenceModel im = InferenceModel.compile(model);
            Workspace ws = im.newWorkspace(count, 1);
            System.arraycopy(x, 0, im.input(ws), 0, x.length);
            im.forward(ws, count, TaskRunner.SERIAL);
            for (int n = 0; n < count; n++) {
                for (int k = 0; k < classes; k++) max = Math.max(max, Math.abs(im.output(ws)[n * im.outputStride() + k] - expected[n * classes + k]));
            }
        }
        Tensor trained = model.forward(new Tensor(model.inputShape().withBatch(count), x.clone()), false);
        for (int i = 0; i < count * classes; i++) max = Math.max(max, Math.abs(trained.data()[i] - expected[i]));
        return max;
    }

    /** {@link #TOL}, times the largest |logit| of PREFIX.logits.f32 when that is above 1. */
    static double tolerance(Path prefix) throws IOException {
        double scale = 1;
        for (float v : floats(Path.of(prefix + ".logits.f32"))) scale = Math.max(scale, Math.abs(v));
        return TOL * scale;
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
