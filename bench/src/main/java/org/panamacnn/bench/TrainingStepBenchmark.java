package org.panamacnn.bench;

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
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * One training step (forward, loss, backward, SGD with momentum) of the default network on a
 * batch of 64 Fashion-MNIST-sized images; images/s = 64 / time. And batch-1 inference latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class TrainingStepBenchmark {
    @Param({"1", "2"})
    public int threads;

    ParallelExecutor executor;
    Sequential model;
    Trainer trainer;
    final Sgd optimizer = new Sgd(0.01f, 0.9f, 0f, false);
    Tensor batch, single;
    int[] labels;

    @Setup(Level.Trial)
    public void setup() {
        executor = new ParallelExecutor(threads);
        model = Models.defaultCnn(Shape.of(1, 28, 28), 10, executor);
        trainer = new Trainer(model, new SoftmaxCrossEntropy(), optimizer, 64, 1);
        batch = BenchData.gaussian(Shape.of(64, 1, 28, 28), 5);
        single = BenchData.gaussian(Shape.of(1, 1, 28, 28), 6);
        labels = BenchData.labels(64, 10, 7);
    }

    /**
     * Fresh weights and optimizer state each iteration: stepping on one batch for long drives the
     * loss to zero and the gradients into subnormal floats, which the CPU handles slowly and Java
     * cannot flush to zero — a benchmark artefact, not what training on real data does.
     */
    @Setup(Level.Iteration)
    public void resetModel() {
        model.initialize(42);
        optimizer.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public double trainStep64() {
        return trainer.step(batch, labels);
    }

    @Benchmark
    public Tensor inferBatch1() {
        return model.forward(single, false);
    }
}
