package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.distinct;
import static org.panamacnn.nn.TestSupport.set;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleMaxPool;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * Forward and backward on batch 13 (8 uneven chunks) give bit-identical outputs and gradients with
 * 1, 2, 3 and 8 threads.
 */
class ThreadCountIndependenceTest {
    static final int BATCH = 13;
    static final int[] THREADS = {1, 2, 3, 8};

    /** The output, ∂L/∂input and every parameter gradient, copied, for one thread count. */
    private static List<float[]> run(Supplier<Layer> make, Shape in, float[] x, float[] params, float[] gradOut,
                                     int threads) {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Layer layer = make.get();
            Shape out = layer.build(in, executor);
            int offset = 0;
            for (Param p : layer.params()) {
                set(p, Arrays.copyOfRange(params, offset, offset + p.size()));
                offset += p.size();
            }
            List<float[]> results = new ArrayList<>();
            // Twice, so that per-chunk buffers left over from the first pass cannot leak into the second.
            for (int pass = 0; pass < 2; pass++) {
                results.add(layer.forward(tensor(in, BATCH, x), true).toArray());
                results.add(layer.backward(tensor(out, BATCH, gradOut), true).toArray());
                for (Param p : layer.params()) results.add(p.grad().toArray());
            }
            return results;
        }
    }

    private static List<float[]> assertSameAtEveryThreadCount(String what, Supplier<Layer> make, Shape in, Shape out,
                                                               float[] x, float[] params, Random rnd) {
        float[] gradOut = uniform(rnd, BATCH * out.size());
        List<float[]> reference = run(make, in, x, params, gradOut, 1);
        for (int threads : THREADS) {
            List<float[]> results = run(make, in, x, params, gradOut, threads);
            assertEquals(reference.size(), results.size());
            for (int i = 0; i < results.size(); i++) {
                assertTrue(Arrays.equals(reference.get(i), results.get(i)), what + " on [" + BATCH + ", " + in
                        + "]: result " + i + " (output, ∂L/∂input, parameter gradients; two passes) with " + threads
                        + " threads differs from 1 thread");
            }
        }
        return reference;
    }

    @Test
    void conv2d() {
        Random rnd = new Random(13);
        Shape in = Shape.of(3, 9, 11);
        int cout = 5, k = 3, stride = 1, pad = 1;
        Shape out = Shape.of(cout, 9, 11);
        float[] x = uniform(rnd, BATCH * in.size());
        float[] params = uniform(rnd, cout * 3 * k * k + cout);
        List<float[]> r = assertSameAtEveryThreadCount("Conv2d(3→5, 3×3, stride 1, pad 1)",
                () -> new Conv2d(3, cout, k, stride, pad), in, out, x, params, rnd);

        // …and the result is the right one.
        double[] w = toDouble(Arrays.copyOf(params, cout * 27));
        double[] b = toDouble(Arrays.copyOfRange(params, cout * 27, params.length));
        assertClose("Conv2d(3→5) on [13, 3, 9, 11] forward", OracleConv2d.forward(toDouble(x), BATCH, 3, 9, 11, w, cout,
                k, k, b, stride, pad), toDouble(r.get(0)), 2e-5);
    }

    /** 32 → 40 channels on 4×5 planes: the weights outweigh the activations, so the weight gradient is one GEMM over the whole batch. */
    @Test
    void conv2dWholeBatchWeightGradient() {
        Random rnd = new Random(15);
        Shape in = Shape.of(32, 4, 5);
        Shape out = Shape.of(40, 4, 5);
        assertSameAtEveryThreadCount("Conv2d(32→40, 3×3, stride 1, pad 1)", () -> new Conv2d(40, 3, 1, 1), in, out,
                uniform(rnd, BATCH * in.size()), uniform(rnd, 40 * 32 * 9 + 40), rnd);
    }

    @Test
    void conv2dStride2() {
        Random rnd = new Random(14);
        Shape in = Shape.of(2, 8, 7);
        Shape out = Shape.of(4, 4, 4);
        assertSameAtEveryThreadCount("Conv2d(2→4, 3×3, stride 2, pad 1)", () -> new Conv2d(2, 4, 3, 2, 1), in, out,
                uniform(rnd, BATCH * in.size()), uniform(rnd, 4 * 2 * 9 + 4), rnd);
    }

    @Test
    void maxPool2dOverlapping() {
        Random rnd = new Random(15);
        Shape in = Shape.of(3, 9, 8);
        Shape out = Shape.of(3, 4, 3);
        float[] x = distinct(rnd, BATCH * in.size());
        List<float[]> r = assertSameAtEveryThreadCount("MaxPool2d(3×3, stride 2)", () -> new MaxPool2d(3, 2), in, out,
                x, new float[0], rnd);
        assertClose("MaxPool2d(3×3, stride 2) on [13, 3, 9, 8] forward",
                OracleMaxPool.forward(toDouble(x), BATCH, 3, 9, 8, 3, 2), toDouble(r.get(0)), 0);
    }

    @Test
    void maxPool2d2x2() {
        Random rnd = new Random(16);
        Shape in = Shape.of(2, 10, 7);
        assertSameAtEveryThreadCount("MaxPool2d(2×2, stride 2)", () -> new MaxPool2d(2), in, Shape.of(2, 5, 3),
                distinct(rnd, BATCH * in.size()), new float[0], rnd);
    }

    /** The whole conv → ReLU → pool → flatten → dense stack, built through Sequential with each executor. */
    @Test
    void sequentialModel() {
        Random rnd = new Random(17);
        Shape in = Shape.of(3, 12, 12);
        float[] x = uniform(rnd, BATCH * in.size());
        float[] gradOut = uniform(rnd, BATCH * 10);
        List<float[]> reference = null;
        for (int threads : THREADS) {
            try (ParallelExecutor executor = new ParallelExecutor(threads)) {
                Sequential model = new Sequential(in, executor, List.of(new Conv2d(6, 3, 1, 1), new ReLU(),
                        new MaxPool2d(2), new Conv2d(8, 3, 1, 0), new ReLU(), new Flatten(), new Dense(10)));
                model.initialize(1234);
                List<float[]> results = new ArrayList<>();
                results.add(model.forward(tensor(in, BATCH, x), true).toArray());
                model.backward(tensor(Shape.of(10), BATCH, gradOut));
                for (Param p : model.params()) results.add(p.grad().toArray());
                if (reference == null) {
                    reference = results;
                } else {
                    for (int i = 0; i < results.size(); i++) {
                        assertTrue(Arrays.equals(reference.get(i), results.get(i)), "model on [13, 3, 12, 12]: "
                                + (i == 0 ? "output" : "gradient of " + model.params().get(i - 1)) + " with " + threads
                                + " threads differs from 1 thread");
                    }
                }
            }
        }
    }

    /** A branching graph (fan-out, concat, add, batch norm): the same bits at every thread count. */
    @Test
    void graph() {
        Random rnd = new Random(19);
        Shape in = Shape.of(3, 7, 5);
        Graph probe = GraphTest.inception();
        Shape out = probe.build(in);
        int n = 0;
        for (Param p : probe.params()) n += p.size();
        assertSameAtEveryThreadCount("GraphTest.inception()", GraphTest::inception, in, out,
                uniform(rnd, BATCH * in.size()), uniform(rnd, n), rnd);
    }
}
