package org.panamacnn.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.infer.InferenceModel;
import org.panamacnn.infer.Workspace;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The norms with per-sample statistics on a ConvNeXt-like map (64 channels, 28×28), one thread:
 * the training layer's forward and forward + backward on a batch of 8 (NCHW), and the inference
 * plan of the norm followed by a global pool and a 10-way dense layer on one image (NHWC; the pool
 * and dense layer are a small fixed share).
 * {@code scripts/jmh SampleNormBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class SampleNormBenchmark {
    private static final int C = 64, SIZE = 28, BATCH = 8;

    @Param({"layernorm2d eps=1e-6", "groupnorm groups=8", "groupnorm groups=1", "layernorm"})
    public String spec;

    Layer layer;
    Tensor x, dy;
    InferenceModel plan;
    Workspace ws;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(12);
        Shape in = Shape.of(C, SIZE, SIZE);
        layer = LayerSpec.parse(spec);
        layer.build(in, ParallelExecutor.SEQUENTIAL);
        x = new Tensor(in.withBatch(BATCH), GemmBenchmark.random(BATCH * in.size(), random));
        dy = new Tensor(in.withBatch(BATCH), GemmBenchmark.random(BATCH * in.size(), random));
        Sequential model = new Sequential(in, ParallelExecutor.SEQUENTIAL, List.of(LayerSpec.parse(spec), new GlobalAvgPool2d(), new Flatten(), new Dense(10)));
        model.initialize(3);
        plan = InferenceModel.compile(model);
        ws = plan.newWorkspace(1, 1);
        System.arraycopy(x.data(), 0, plan.input(ws), 0, in.size());
    }

    @Benchmark
    public Tensor forward() {
        return layer.forward(x, true);
    }

    @Benchmark
    public Tensor forwardBackward() {
        layer.forward(x, true);
        return layer.backward(dy, true);
    }

    @Benchmark
    public float[] inference() {
        plan.forward(ws, 1, TaskRunner.SERIAL);
        return plan.output(ws);
    }
}
