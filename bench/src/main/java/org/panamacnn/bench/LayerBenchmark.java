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
import org.panamacnn.nn.AvgPool2d;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.Add;
import org.panamacnn.nn.Concat;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.LeakyReLU;
import org.panamacnn.nn.ReLU;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Each layer's forward (training mode) and backward on the shapes of the targets and
 * the default network: conv 32→64 3×3 pad 1 on 64×32×14×14 (PyTorch/oneDNN: 5.9 ms forward,
 * 11.8 ms forward + backward, 2 threads), max-pool 2×2 on 64×32×28×28 (PyTorch: 5.2 ms forward
 * + backward) and the default network's second pool (64×64×14×14), ReLU on 64×32×28×28, dense 3136→128 on a batch of 64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class LayerBenchmark {
    @Param({"conv32to64", "conv1to32", "maxpool2", "maxpool2small", "relu", "leakyrelu", "avgpool2", "globalavgpool", "batchnorm32", "dense3136to128", "concat32x2", "add32", "inceptionblock"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    ParallelExecutor executor;
    Layer subject;
    Tensor input, gradOut;

    @Setup(Level.Trial)
    public void setup() {
        executor = new ParallelExecutor(threads);
        Shape in;
        switch (layer) {
            case "conv32to64" -> {
                subject = new Conv2d(32, 64, 3, 1, 1);
                in = Shape.of(32, 14, 14);
            }
            case "conv1to32" -> {
                subject = new Conv2d(1, 32, 3, 1, 1);
                in = Shape.of(1, 28, 28);
            }
            case "maxpool2" -> {
                subject = new MaxPool2d(2);
                in = Shape.of(32, 28, 28);
            }
            case "maxpool2small" -> {
                subject = new MaxPool2d(2);
                in = Shape.of(64, 14, 14);
            }
            case "relu" -> {
                subject = new ReLU();
                in = Shape.of(32, 28, 28);
            }
            case "leakyrelu" -> {
                subject = new LeakyReLU();
                in = Shape.of(32, 28, 28);
            }
            case "avgpool2" -> {
                subject = new AvgPool2d(2);
                in = Shape.of(32, 28, 28);
            }
            case "globalavgpool" -> {
                subject = new GlobalAvgPool2d();
                in = Shape.of(64, 14, 14);
            }
            case "batchnorm32" -> {
                subject = new BatchNorm2d();
                in = Shape.of(32, 28, 28);
            }
            case "dense3136to128" -> {
                subject = new Dense(3136, 128);
                in = Shape.of(3136);
            }
            case "concat32x2" -> { // a graph merge alone: [32, 28, 28] twice → [64, 28, 28]; backward splits δy
                subject = new Graph(List.of(Graph.Node.of("cat", new Concat(), Graph.INPUT, Graph.INPUT)));
                in = Shape.of(32, 28, 28);
            }
            case "add32" -> { // y = x + x: the merge, and backward's sum of two gradients into the input
                subject = new Graph(List.of(Graph.Node.of("sum", new Add(), Graph.INPUT, Graph.INPUT)));
                in = Shape.of(32, 28, 28);
            }
            case "inceptionblock" -> { // 1×1 and 1×1→3×3 branches, concat, 1×1 projection, add, ReLU on [32, 14, 14]
                subject = new Graph(List.of(
                        Graph.Node.of("b1", new Conv2d(16, 1, 1, 0), Graph.INPUT), Graph.Node.of("b1r", new ReLU(), "b1"),
                        Graph.Node.of("b3a", new Conv2d(16, 1, 1, 0), Graph.INPUT), Graph.Node.of("b3ar", new ReLU(), "b3a"),
                        Graph.Node.of("b3", new Conv2d(32, 3, 1, 1), "b3ar"), Graph.Node.of("b3r", new ReLU(), "b3"),
                        Graph.Node.of("cat", new Concat(), "b1r", "b3r"), Graph.Node.of("proj", new Conv2d(48, 1, 1, 0), Graph.INPUT),
                        Graph.Node.of("sum", new Add(), "cat", "proj"), Graph.Node.of("r", new ReLU(), "sum")));
                in = Shape.of(32, 14, 14);
            }
            default -> throw new IllegalArgumentException(layer);
        }
        Shape out = subject.build(in, executor);
        subject.initialize(new SplittableRandom(1));
        input = BenchData.gaussian(in.withBatch(64), 2);
        gradOut = BenchData.gaussian(out.withBatch(64), 3);
        subject.forward(input, true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public Tensor forward() {
        return subject.forward(input, true);
    }

    /** Backward alone (the forward state of the setup is reused; backward does not change it). */
    @Benchmark
    public Tensor backward() {
        return subject.backward(gradOut, true);
    }

    /** Backward without the input gradient, as a network's first layer runs it (weight and bias gradients only). */
    @Benchmark
    public Tensor backwardFirstLayer() {
        return subject.backward(gradOut, false);
    }

    @Benchmark
    public Tensor forwardBackward() {
        subject.forward(input, true);
        return subject.backward(gradOut, true);
    }

}
