package org.panamacnn.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Step;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Does a trained model run into subnormal floats (which the CPU handles slowly and Java cannot
 * flush to zero)? Counts them in every activation, loss gradient, input gradient, weight and
 * weight gradient over 40 training batches, for a fresh model and for a saved one, then times
 * forward + backward of both, alternating, on 2 threads.
 *
 * <pre>java @jvm.config -cp bench/target/benchmarks.jar org.panamacnn.bench.SubnormalCheck MODEL.safetensors [DATA_DIR]</pre>
 */
public final class SubnormalCheck {
    private static final int BATCH = 64, BATCHES = 40, TIMED = 200;

    private SubnormalCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SubnormalCheck MODEL.safetensors [DATA_DIR (default /usr/share/datasets/fashion-mnist)]");
            System.exit(2);
        }
        Path data = Path.of(args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist");
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Dataset train = FashionMnist.load(data).train();
            Sequential fresh = Models.defaultCnn(Shape.of(1, 28, 28), 10, executor);
            fresh.initialize(42);
            Sequential trained = ModelFile.load(Path.of(args[0]), executor).model();
            Tensor[] xs = new Tensor[BATCHES];
            int[][] ys = new int[BATCHES][BATCH];
            for (int b = 0; b < BATCHES; b++) {
                xs[b] = new Tensor(Shape.of(BATCH, 1, 28, 28));
                for (int i = 0; i < BATCH; i++) {
                    train.copySample(b * BATCH + i, xs[b].data(), i * 28 * 28);
                    ys[b][i] = train.label(b * BATCH + i);
                }
            }
            SoftmaxCrossEntropy lossFresh = new SoftmaxCrossEntropy(), lossTrained = new SoftmaxCrossEntropy();
            for (int m = 0; m < 2; m++) {
                long[] counts = new long[2];
                for (int b = 0; b < BATCHES; b++) step(m == 0 ? fresh : trained, xs[b], ys[b], lossFresh, counts);
                System.out.printf("%s model: %d subnormal values among %d%n", m == 0 ? "fresh" : "trained", counts[0], counts[1]);
            }
            double[] tFresh = new double[TIMED], tTrained = new double[TIMED];
            for (int i = 0; i < 2 * TIMED; i++) {
                int b = i % BATCHES;
                double f = step(fresh, xs[b], ys[b], lossFresh, null), t = step(trained, xs[b], ys[b], lossTrained, null);
                if (i >= TIMED) {
                    tFresh[i - TIMED] = f;
                    tTrained[i - TIMED] = t;
                }
            }
            Arrays.sort(tFresh);
            Arrays.sort(tTrained);
            System.out.printf("forward + backward, batch %d, 2 threads, alternating: fresh median %.2f ms, trained median %.2f ms%n",
                    BATCH, tFresh[TIMED / 2], tTrained[TIMED / 2]);
        }
    }

    /** One forward + backward (no update); counts subnormals into counts unless it is null; returns milliseconds. */
    private static double step(Sequential model, Tensor x, int[] y, SoftmaxCrossEntropy loss, long[] counts) {
        long start = System.nanoTime();
        List<Step> layers = model.steps();  // as forward and backward run them, fused steps included
        Tensor t = x;
        for (Step step : layers) {
            t = step.forward(t, true);
            count(t, counts);
        }
        loss.forward(t, y);
        Tensor g = loss.gradient();
        count(g, counts);
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g, i > 0);
            if (g != null) count(g, counts);
        }
        if (counts != null) {
            for (Param p : model.params()) {
                count(p.value(), counts);
                count(p.grad(), counts);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void count(Tensor t, long[] counts) {
        if (counts == null) return;
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            float v = Math.abs(d[i]);
            if (v != 0f && v < Float.MIN_NORMAL) counts[0]++;
        }
        counts[1] += t.size();
    }
}
