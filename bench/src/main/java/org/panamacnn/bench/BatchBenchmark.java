package org.panamacnn.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.data.BatchIterator;
import org.panamacnn.data.Dataset;
import org.panamacnn.tensor.Shape;

/**
 * Preparing one shuffled mini-batch of 64 from a Fashion-MNIST-sized training set (60,000
 * normalised 28×28 images): what the training loop spends on data per step, to set against
 * {@link TrainingStepBenchmark}'s step. It decides whether batches are worth preparing on
 * another thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class BatchBenchmark {
    private static final int IMAGES = 60_000, BATCH = 64;

    BatchIterator batches;
    final float[] images = new float[BATCH * 28 * 28];
    final int[] labels = new int[BATCH];
    int epoch;

    @Setup
    public void setup() {
        float[] pixels = BenchData.gaussian(Shape.of(IMAGES, 28 * 28), 8).data();
        Dataset data = Dataset.of(pixels, BenchData.labels(IMAGES, 10, 9), 1, 28, 28, 10);
        batches = BatchIterator.shuffled(data, BATCH, 42);
    }

    @Benchmark
    public int nextBatch64() {
        int n = batches.next(images, labels);
        if (n == 0) { // a new epoch: reshuffling is part of the cost, once per 938 batches
            batches.reset(++epoch);
            n = batches.next(images, labels);
        }
        return n;
    }
}
