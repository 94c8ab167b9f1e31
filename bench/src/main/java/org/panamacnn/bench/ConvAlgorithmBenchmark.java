package org.panamacnn.bench;

import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.infer.Predictor;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * The inference planner's choice for a 3×3 stride-1 convolution: one layer cin → 64 on 14×14
 * (pad 1, ReLU), then a global average pool and a dense 64 → 10 (a few µs), one thread. Run it
 * twice, with {@code -jvmArgsAppend -Dpanamacnn.winograd=false} for the direct kernel: the
 * channel count where Winograd starts to win is ConvAlgorithm's threshold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class ConvAlgorithmBenchmark {
    @Param({"4", "8", "16", "32", "64"})
    public int cin;

    @Param({"1", "16"})
    public int batch;

    Predictor predictor;
    float[] images, out;

    @Setup
    public void setup() {
        Sequential model = new Sequential(Shape.of(cin, 14, 14), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                new Conv2d(64, 3, 1, 1), new ReLU(), new GlobalAvgPool2d(), new Flatten(), new Dense(10)));
        model.initialize(1);
        predictor = new Predictor(model, 1);
        images = GemmBenchmark.random(batch * cin * 196, new java.util.SplittableRandom(2));
        out = new float[batch * 10];
    }

    @TearDown
    public void tearDown() {
        predictor.close();
    }

    @Benchmark
    public float[] predict() {
        predictor.probabilities(images, batch, out);
        return out;
    }
}
