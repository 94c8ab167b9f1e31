package org.panamacnn.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.infer.InferenceModel;
import org.panamacnn.infer.Workspace;
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.ConvPadding;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.GeneralConv2d;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The general convolution ({@link GeneralConv2d}) on the shapes that need it: Inception-v3's 1×7 and
 * 7×1 (128 → 128 channels on 17×17, its Mixed_6 blocks), a dilated 3×3 (64 → 64 on 28×28, dilation
 * 2, DeepLab-style) and a stride (2, 1) 3×3 (64 → 64 on 28×28); and a square 3×3 (64 → 64 on 28×28)
 * both as a general convolution and as {@link Conv2d}, to see what generality costs. {@code trainingStep}:
 * forward (training mode) and backward with the input gradient, batch 16; {@code inference}: the planned
 * convolution op at batch 1 (followed by a global average pool so the plan ends in features).
 * {@code scripts/jmh GeneralConvBenchmark -f 1 -wi 3 -i 5 -p threads=1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class GeneralConvBenchmark {
    private static final int BATCH = 16;

    @Param({"inception1x7", "inception7x1", "dilated3x3", "stride2x1", "square3x3-general", "square3x3-conv2d"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    ParallelExecutor executor;
    Layer conv;
    Tensor input, gradOut;
    InferenceModel plan;
    Workspace workspace;

    private Layer layer(Shape[] in) {
        return switch (shape) {
            case "inception1x7" -> {
                in[0] = Shape.of(128, 17, 17);
                yield new GeneralConv2d(128, 128, 1, 7, 1, 1, 1, 1, ConvPadding.of(0, 3, 0, 3), false);
            }
            case "inception7x1" -> {
                in[0] = Shape.of(128, 17, 17);
                yield new GeneralConv2d(128, 128, 7, 1, 1, 1, 1, 1, ConvPadding.of(3, 0, 3, 0), false);
            }
            case "dilated3x3" -> {
                in[0] = Shape.of(64, 28, 28);
                yield new GeneralConv2d(64, 64, 3, 3, 1, 1, 2, 2, ConvPadding.uniform(2), true);
            }
            case "stride2x1" -> {
                in[0] = Shape.of(64, 28, 28);
                yield new GeneralConv2d(64, 64, 3, 3, 2, 1, 1, 1, ConvPadding.uniform(1), true);
            }
            case "square3x3-general" -> {
                in[0] = Shape.of(64, 28, 28);
                yield new GeneralConv2d(64, 64, 3, 3, 1, 1, 1, 1, ConvPadding.uniform(1), true);
            }
            case "square3x3-conv2d" -> {
                in[0] = Shape.of(64, 28, 28);
                yield new Conv2d(64, 64, 3, 1, 1);
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
    }

    @Setup(Level.Trial)
    public void setup() {
        executor = new ParallelExecutor(threads);
        Shape[] in = new Shape[1];
        conv = layer(in);
        Shape out = conv.build(in[0], executor);
        conv.initialize(new SplittableRandom(3));
        SplittableRandom random = new SplittableRandom(5);
        input = new Tensor(in[0].withBatch(BATCH), GemmBenchmark.random(BATCH * in[0].size(), random));
        gradOut = new Tensor(out.withBatch(BATCH), GemmBenchmark.random(BATCH * out.size(), random));
        Layer planned = layer(new Shape[1]);
        Sequential model = new Sequential(in[0], List.of(planned, new GlobalAvgPool2d(), new Flatten()), BuildContext.standalone(executor));
        for (int p = 0; p < conv.params().size(); p++) { // the training layer's weights
            float[] from = conv.params().get(p).value().data();
            System.arraycopy(from, 0, planned.params().get(p).value().data(), 0, from.length);
        }
        plan = InferenceModel.compile(model);
        workspace = plan.newWorkspace(1, threads);
        System.arraycopy(GemmBenchmark.random(in[0].size(), random), 0, plan.input(workspace), 0, in[0].size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public Tensor trainingStep() {
        conv.forward(input, true);
        return conv.backward(gradOut, true);
    }

    @Benchmark
    public float[] inference() {
        plan.forward(workspace, 1, threads == 1 ? TaskRunner.SERIAL : executor);
        return plan.output(workspace);
    }
}
