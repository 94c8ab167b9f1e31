package org.panamacnn.bench;

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
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.EngineOptions;
import org.panamacnn.nn.Weights;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A training convolution's forward and backward on the 3×3 layers of a ResNet's stages at batch
 * 64 (small-resnet's: 32 channels on 28×28, 64 on 14×14, 128 on 7×7; and a stride-2 64 → 128 one
 * on 14×14, "64x14s2"), with its columns packed from the images ({@code imageColumns=true}: no
 * im2col, the input gradient as a convolution, no col2im) or written out (false), and its weight
 * gradient from channel-blocked images ({@code imageTaps=true}) or from lowered columns (false).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class ConvTrainingBenchmark {
    /** channels × plane side. */
    @Param({"32x28", "64x14", "128x7", "64x14s2"})
    public String shape;

    @Param({"true", "false"})
    public boolean imageColumns;

    @Param({"true", "false"})
    public boolean imageTaps;

    @Param({"2"})
    public int threads;

    ParallelExecutor executor;
    Conv2d conv;
    Tensor input, gradOut;

    @Setup(Level.Trial)
    public void setup() {
        String[] s = shape.split("x|s");
        int c = Integer.parseInt(s[0]), side = Integer.parseInt(s[1]), stride = s.length > 2 ? Integer.parseInt(s[2]) : 1;
        executor = new ParallelExecutor(threads);
        conv = new Conv2d(c, c * stride, 3, stride, 1);
        Shape in = Shape.of(c, side, side);
        EngineOptions options = EngineOptions.defaults().withImageColumns(imageColumns).withImageTaps(imageTaps);
        Shape out = conv.build(in, new BuildContext(executor, Weights.create(), options));
        conv.initialize(new SplittableRandom(1));
        input = BenchData.gaussian(in.withBatch(64), 2);
        gradOut = BenchData.gaussian(out.withBatch(64), 3);
        conv.forward(input, true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public Tensor forward() {
        return conv.forward(input, true);
    }

    /** Backward alone (weight, bias and input gradients; the setup's forward state is reused). */
    @Benchmark
    public Tensor backward() {
        return conv.backward(gradOut, true);
    }
}
