package org.panamacnn.infer;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.ConvPadding;
import org.panamacnn.nn.GeneralConv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.GroupedConv2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.PointwiseActivation;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Residual;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.TestSupport;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The inference plan of the operators torchvision's models need (padded max-pool, ..., adaptive average pool, general convolutions, group and layer norms) against the
 * training path's forward, which the layer tests hold against the scalar oracle: logits within
 * 2e-5, at 1 and 3 threads, batch and one-by-one calls the same bits.
 */
class ModelOperatorsInferenceTest {
    static List<Sequential> architectures() {
        return List.of(
                // ResNet's stem: conv 7×7 stride 2 + batch norm + ReLU, then the padded 3×3 stride-2 max-pool
                new Sequential(Shape.of(3, 17, 15), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(6, 7, 2, 3), new BatchNorm2d(), new ReLU(), new MaxPool2d(3, 2, 1),
                        new Residual(List.of(new Conv2d(6, 3, 1, 1), new BatchNorm2d(), new ReLU(), new Conv2d(6, 3, 1, 1)), List.of()),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(5))),
                // a padded pool over negative values (no ReLU before it: the zero border must not win), then a padded conv
                new Sequential(Shape.of(2, 9, 8), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(5, 3, 1, 0), new MaxPool2d(2, 1, 1), new Conv2d(3, 3, 1, 1), new MaxPool2d(5, 3, 2),
                        new Flatten(), new Dense(4))),
                // MobileNet-style activations: ReLU6 after a folded batch norm, before a padded conv (the border must stay
                // zero), sigmoid (f(0) ≠ 0) on the raw input and on an image with a border, hard swish / hard sigmoid /
                // SiLU on a residual path, clip on flat features in NHWC order and after a dense layer
                new Sequential(Shape.of(3, 11, 9), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        PointwiseActivation.sigmoid(), new Conv2d(6, 3, 2, 1), new BatchNorm2d(), PointwiseActivation.relu6(),
                        new Conv2d(5, 3, 1, 1), PointwiseActivation.sigmoid(), new Conv2d(5, 3, 1, 1),
                        new Residual(List.of(PointwiseActivation.hardSwish(), new Conv2d(5, 3, 1, 1), PointwiseActivation.hardSigmoid(),
                                PointwiseActivation.silu()), List.of()),
                        new Flatten(), PointwiseActivation.clip(-0.5f, 0.75f), new Dense(6), PointwiseActivation.clip(0.1f, 0.3f),
                        new Dense(3))),
                // MobileNetV2's inverted residual: 1×1 expand + BN + ReLU6, depthwise 3×3 (stride 1 and 2) + BN + ReLU6,
                // bias-free 1×1 project + BN; a depthwise conv with bias and ReLU, one with nothing after it, a grouped
                // (not depthwise) conv with 2 channels per group, on widths that leave vector tails
                new Sequential(Shape.of(3, 13, 11), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(3, 20, 3, 2, 1, false), new BatchNorm2d(), PointwiseActivation.relu6(),
                        new Residual(List.of(new Conv2d(20, 40, 1, 1, 0, false), new BatchNorm2d(), PointwiseActivation.relu6(),
                                new GroupedConv2d(40, 40, 3, 1, 1, 40, false), new BatchNorm2d(), PointwiseActivation.relu6(),
                                new Conv2d(40, 20, 1, 1, 0, false), new BatchNorm2d()), List.of()),
                        new GroupedConv2d(20, 20, 3, 2, 1, 20, false), new BatchNorm2d(), PointwiseActivation.relu6(),
                        new GroupedConv2d(20, 20, 5, 1, 2, 20, true), new ReLU(), new GroupedConv2d(20, 20, 3, 1, 0, 20, true),
                        new GroupedConv2d(20, 12, 3, 1, 1, 4, true), PointwiseActivation.relu6(),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(4))),
                // users' own models: normalisation by per-channel constants on the raw input, GELU (both forms) and tanh,
                // a ceil-mode max-pool, padded average pools (count_include_pad both ways, ceil mode) before a padded conv,
                // scalar constants on a residual path and on flat features, a division by a scalar after a dense layer
                new Sequential(Shape.of(3, 14, 13), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new org.panamacnn.nn.ChannelAffine(new float[] {1f}, new float[] {-0.485f, -0.456f, -0.406f}),
                        new org.panamacnn.nn.ChannelDivide(new float[] {0.229f, 0.224f, 0.225f}),
                        new Conv2d(9, 3, 1, 1), org.panamacnn.nn.SmoothActivation.gelu(), org.panamacnn.nn.WindowPool2d.max(3, 2, 1, true),
                        new Conv2d(10, 3, 1, 1), org.panamacnn.nn.SmoothActivation.tanh(),
                        org.panamacnn.nn.WindowPool2d.average(3, 2, 1, true, false), new Conv2d(10, 3, 1, 1),
                        new Residual(List.of(new org.panamacnn.nn.ChannelAffine(new float[] {-0.5f}, new float[] {1f}),
                                org.panamacnn.nn.SmoothActivation.geluTanh(), new Conv2d(10, 3, 1, 1)), List.of()),
                        org.panamacnn.nn.WindowPool2d.average(2, 2, 1, false, true), org.panamacnn.nn.WindowPool2d.max(2, 2, 0, true),
                        new Flatten(), new org.panamacnn.nn.ChannelAffine(new float[] {2f}, new float[] {0f}), new Dense(6),
                        new org.panamacnn.nn.ChannelDivide(new float[] {3f}), new Dense(3))),
                // general convolutions: Inception-v3's bias-free 1×7 then 7×1 (+ batch norm folded + ReLU), a dilated 3×3 after a
                // square conv (the border it asks for), stride (2, 1), PyTorch's 'same' on an even kernel (uneven padding) on a
                // residual path, a width dilation (zero taps between) with SAME_LOWER and stride 2, on widths with vector tails
                new Sequential(Shape.of(3, 15, 13), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new GeneralConv2d(3, 20, 1, 7, 1, 1, 1, 1, ConvPadding.of(0, 3, 0, 3), false), new BatchNorm2d(), new ReLU(),
                        new GeneralConv2d(20, 12, 7, 1, 1, 1, 1, 1, ConvPadding.of(3, 0, 3, 0), false), new BatchNorm2d(), new ReLU(),
                        new Conv2d(12, 3, 1, 1), new GeneralConv2d(12, 12, 3, 3, 1, 1, 2, 2, ConvPadding.uniform(2), true), new ReLU(),
                        new GeneralConv2d(12, 10, 3, 3, 2, 1, 1, 1, ConvPadding.uniform(1), true),
                        new Residual(List.of(new GeneralConv2d(10, 10, 2, 4, 1, 1, 1, 1, ConvPadding.same(true), true), new ReLU()), List.of()),
                        new GeneralConv2d(10, 9, 3, 2, 2, 2, 1, 3, ConvPadding.same(false), true), PointwiseActivation.relu6(),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(4))),
                // VGG's adaptive average pool: 8×8 → 7×7 (overlapping windows) before the flatten, and a growing one
                // (3×2 → 5×4, cells repeated) before a padded conv (its border must stay zero), at widths with vector tails
                new Sequential(Shape.of(3, 16, 16), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(19, 3, 1, 1), new BatchNorm2d(), new ReLU(), new MaxPool2d(2), new org.panamacnn.nn.AdaptiveAvgPool2d(7, 7),
                        new Conv2d(5, 3, 2, 0), new org.panamacnn.nn.AdaptiveAvgPool2d(5, 4), new Conv2d(6, 3, 1, 1),
                        new org.panamacnn.nn.AdaptiveAvgPool2d(3, 3), new Flatten(), new Dense(4))),
                normsWithPerSampleStatistics());
    }

    /**
     * ConvNeXt's LayerNorm2d on the raw input and after a conv with padded output channels, group norm (4 groups,
     * and 1) before a ReLU and a padded conv (the border must stay zero), layer norm over [C, H, W] (weights per
     * element, permuted to NHWC), a LayerNorm2d opening a residual path, at widths that leave vector tails.
     */
    private static Sequential normsWithPerSampleStatistics() {
        return new Sequential(Shape.of(3, 11, 9), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                new org.panamacnn.nn.LayerNorm2d(1e-6f), new Conv2d(20, 3, 1, 1), new org.panamacnn.nn.LayerNorm2d(1e-6f),
                org.panamacnn.nn.SmoothActivation.gelu(), new Conv2d(12, 3, 2, 1), org.panamacnn.nn.GroupNorm.groupNorm(4, 1e-5f), new ReLU(),
                new Conv2d(6, 3, 1, 1), org.panamacnn.nn.GroupNorm.groupNorm(1, 1e-5f), org.panamacnn.nn.GroupNorm.layerNorm(1e-5f),
                new Residual(List.of(new org.panamacnn.nn.LayerNorm2d(1e-5f), new Conv2d(6, 3, 1, 1)), List.of()),
                new Flatten(), new Dense(4)));
    }

    /** Norm weights away from 1 (per channel or per element). */
    private static void randomizeNormWeights(List<Layer> layers, Random rnd) {
        for (Layer l : layers) {
            if (l instanceof Residual r) randomizeNormWeights(r.main(), rnd);
            if (l instanceof org.panamacnn.nn.GroupNorm || l instanceof org.panamacnn.nn.LayerNorm2d) {
                float[] g = l.params().get(0).value().data();
                for (int i = 0; i < g.length; i++) g[i] = 0.5f + rnd.nextFloat();
            }
        }
    }

    /** Running statistics as training leaves them (fresh ones, 0 and 1, would hide a wrong fold). */
    private static void randomizeBatchNorms(List<Layer> layers, Random rnd) {
        for (Layer l : layers) {
            if (l instanceof Residual r) {
                randomizeBatchNorms(r.main(), rnd);
                randomizeBatchNorms(r.shortcut(), rnd);
            }
            if (l instanceof BatchNorm2d bn) {
                for (int c = 0; c < bn.runningMean().length; c++) {
                    bn.runningMean()[c] = (float) (0.2 * rnd.nextGaussian());
                    bn.runningVar()[c] = 0.5f + rnd.nextFloat();
                    bn.weight().value().data()[c] = 0.5f + rnd.nextFloat();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void agreesWithTheTrainingForward(Sequential model) {
        Random rnd = new Random(model.summary().hashCode());
        model.initialize(rnd.nextLong());
        for (Param p : model.params()) { // biases and batch-norm shifts away from zero
            float[] v = p.value().data();
            if (p.name().equals("bias")) for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 * rnd.nextGaussian()) - 0.2f;
        }
        randomizeBatchNorms(model.layers(), rnd);
        randomizeNormWeights(model.layers(), rnd);
        int count = 5, size = model.inputShape().size();
        float[] x = new float[count * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        Tensor logits = model.forward(new Tensor(model.inputShape().withBatch(count), x.clone()), false);
        InferenceModel im = InferenceModel.compile(model);
        for (int threads : new int[] {1, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Workspace ws = im.newWorkspace(count, threads);
                System.arraycopy(x, 0, im.input(ws), 0, x.length);
                im.forward(ws, count, ex);
                float[] got = new float[logits.size()];
                int k = im.classes();
                for (int n = 0; n < count; n++) System.arraycopy(im.output(ws), n * im.outputStride(), got, n * k, k);
                TestSupport.assertClose(model.summary() + im.plan() + threads + " threads", TestSupport.toDouble(logits), got, 2e-5);
            }
        }
    }
}
