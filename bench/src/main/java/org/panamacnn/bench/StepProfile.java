package org.panamacnn.bench;

import java.util.Arrays;
import java.util.List;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Step;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.TrainingState;

/**
 * Where a training step of the default network goes, layer by layer, in context (each layer's
 * forward and backward timed inside real steps, so caches hold what they hold in training):
 * median microseconds over the steps after a warm-up. A guide for where to work, not a
 * benchmark result (JMH's TrainingStepBenchmark is that). Usage: StepProfile [threads] [steps].
 */
public final class StepProfile {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2, steps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, executor);
            model.initialize(42);
            TrainingState state = new TrainingState(model, new Sgd(0.01f, 0.9f, 0f, false));
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Tensor x = BenchData.gaussian(Shape.of(64, 1, 28, 28), 5);
            int[] y = BenchData.labels(64, 10, 7);
            List<Step> layers = state.layers().steps();  // a fused conv → ReLU → pool is one step
            int n = layers.size();
            long[][] fwd = new long[n][steps], bwd = new long[n][steps];
            long[] rest = new long[steps], total = new long[steps];
            for (int s = -steps; s < steps; s++) {  // the first half warms up
                if (s == -steps / 2) model.initialize(42);  // away from subnormal gradients of a long-fitted batch
                long t0 = System.nanoTime();
                Tensor t = x;
                for (int i = 0; i < n; i++) {
                    long a = System.nanoTime();
                    t = layers.get(i).forward(t, true);
                    if (s >= 0) fwd[i][s] = System.nanoTime() - a;
                }
                long r0 = System.nanoTime();
                loss.forward(t, y);
                Tensor g = loss.gradient();
                long r1 = System.nanoTime() - r0;
                for (int i = n - 1; i >= 0; i--) {
                    long a = System.nanoTime();
                    g = layers.get(i).backward(g, i > 0);
                    if (s >= 0) bwd[i][s] = System.nanoTime() - a;
                }
                long r2 = System.nanoTime();
                state.step();
                if (s >= 0) {
                    rest[s] = r1 + System.nanoTime() - r2;
                    total[s] = System.nanoTime() - t0;
                }
            }
            System.out.printf("%-44s %10s %10s%n", "layer (" + threads + " threads, " + steps + " steps)", "fwd µs", "bwd µs");
            for (int i = 0; i < n; i++) {
                System.out.printf("%-44s %10.1f %10.1f%n", layers.get(i).describe(), median(fwd[i]), median(bwd[i]));
            }
            System.out.printf("%-44s %10.1f%n", "loss + SGD step", median(rest));
            System.out.printf("%-44s %10.1f%n", "whole step", median(total));
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e3;
    }
}
