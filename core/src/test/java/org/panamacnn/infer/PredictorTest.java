package org.panamacnn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.AvgPool2d;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.Add;
import org.panamacnn.nn.Concat;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Dropout;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LeakyReLU;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Residual;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.TestSupport;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Activations;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The inference plan against the training path's forward (itself held against the scalar
 * oracle): every fusion and layout the planner picks, on odd shapes; bit-identity over batch
 * slicing and thread counts; input validation; zero allocation per call.
 */
class PredictorTest {

    /** Architectures that exercise each planning case. */
    static List<Sequential> architectures() {
        return List.of(
                Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL),
                // 3 channels, stride 2, pad 2, conv without ReLU, overlapping pool on its own, ReLU on its own
                new Sequential(Shape.of(3, 13, 11), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(37, 5, 2, 2), new MaxPool2d(3, 2), new LeakyReLU(0.1f), new Conv2d(5, 3, 1, 1), new ReLU(),
                        new MaxPool2d(2), new Flatten(), new Dense(7))),
                // 1×1 convolution, pool after ReLU fused, flatten last (output in NCHW order)
                new Sequential(Shape.of(2, 9, 9), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(3, 1, 1, 0), new ReLU(), new MaxPool2d(3), new Flatten())),
                // average pools, standalone and global, before the classifier
                new Sequential(Shape.of(3, 12, 10), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(6, 3, 1, 1), new ReLU(), new AvgPool2d(2), new Conv2d(19, 3, 1, 1), new LeakyReLU(),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(4))),
                // batch norm folded into a convolution, and on its own after a pool
                new Sequential(Shape.of(2, 10, 9), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(5, 3, 1, 1), new BatchNorm2d(), new ReLU(), new MaxPool2d(2), new BatchNorm2d(),
                        new Conv2d(4, 3, 1, 1), new Flatten(), new Dense(3))),
                // residual blocks: identity and projection shortcuts, batch norm inside
                new Sequential(Shape.of(3, 11, 9), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(8, 3, 1, 1), new BatchNorm2d(), new ReLU(),
                        new Residual(List.of(new Conv2d(8, 3, 1, 1), new BatchNorm2d(), new ReLU(), new Conv2d(8, 3, 1, 1),
                                new BatchNorm2d()), List.of()), new ReLU(),
                        new Residual(List.of(new ReLU(), new Conv2d(16, 3, 2, 1), new BatchNorm2d(), new ReLU(),
                                new Conv2d(16, 3, 1, 1)), List.of(new Conv2d(16, 1, 2, 0), new BatchNorm2d())), new ReLU(),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(5))),
                // a graph: the raw input read by two convolutions with different paddings, branches
                // from one ReLU (one of them in place: a copy), a concat of three, an add of three, a
                // graph that ends in place before a padded convolution outside it
                new Sequential(Shape.of(3, 9, 7), ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Graph(List.of(
                        Graph.Node.of("c5", new Conv2d(6, 5, 1, 2), Graph.INPUT), Graph.Node.of("c1", new Conv2d(6, 1, 1, 0), Graph.INPUT),
                        Graph.Node.of("s", new Add(), "c5", "c1"), Graph.Node.of("n", new BatchNorm2d(), "s"),
                        Graph.Node.of("a", new ReLU(), "n"),
                        Graph.Node.of("b1", new Conv2d(3, 1, 1, 0), "a"), Graph.Node.of("b3", new Conv2d(4, 3, 1, 1), "a"),
                        Graph.Node.of("b3n", new BatchNorm2d(), "b3"), Graph.Node.of("b3r", new ReLU(), "b3n"),
                        Graph.Node.of("bl", new LeakyReLU(0.2f), "a"),
                        Graph.Node.of("cat", new Concat(), "b1", "b3r", "bl"),
                        Graph.Node.of("proj", new Conv2d(13, 1, 1, 0), "a"),
                        Graph.Node.of("sum", new Add(), "cat", "proj", "cat"), Graph.Node.of("r", new ReLU(), "sum"))),
                        new Conv2d(5, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                        new Graph(List.of(Graph.Node.of("p", new MaxPool2d(1), Graph.INPUT),
                                Graph.Node.of("q", new Conv2d(5, 3, 1, 1), Graph.INPUT), Graph.Node.of("pq", new Concat(), "p", "q"))),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(4))),
                // a graph with flat merges: two dense heads of one flattened NHWC image concatenated,
                // a residual add of dense features
                new Sequential(Shape.of(3, 6, 5), ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Conv2d(4, 3, 1, 1), new ReLU(),
                        new Graph(List.of(Graph.Node.of("flat", new Flatten(), Graph.INPUT),
                                Graph.Node.of("d1", new Dense(6), "flat"), Graph.Node.of("r1", new ReLU(), "d1"),
                                Graph.Node.of("d2", new Dense(5), "flat"), Graph.Node.of("heads", new Concat(), "r1", "d2", "flat"),
                                Graph.Node.of("d3", new Dense(7), "heads"), Graph.Node.of("d4", new Dense(7), "d3"),
                                Graph.Node.of("sum", new Add(), "d3", "d4"))), new Dense(3))),
                // a plain MLP on flat input
                new Sequential(Shape.of(19), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Dense(33), new ReLU(), new Dropout(0.5f), new Dense(40), new LeakyReLU(), new Dense(3))));
    }

    private static float[] images(Random rnd, Shape sample, int count) {
        float[] x = new float[count * sample.size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    /** Softmax of the training path's inference forward. */
    private static float[] reference(Sequential model, float[] x, int count) {
        Tensor logits = model.forward(new Tensor(model.inputShape().withBatch(count), x.clone()), false);
        int k = model.outputShape().dim(0);
        float[] p = new float[count * k];
        Activations.softmaxRows(count, k, logits.data(), 0, p, 0);
        return p;
    }

    @Test
    void agreesWithTheTrainingForwardOnEveryPlan() {
        Random rnd = new Random(5);
        for (Sequential model : architectures()) {
            model.initialize(rnd.nextLong());
            for (Layer l : all(model.layers())) { // non-zero biases, so the bias paths are checked
                if (l instanceof Conv2d c) fill(rnd, c.bias().value().data());
                if (l instanceof Dense d) fill(rnd, d.bias().value().data());
                if (l instanceof BatchNorm2d bn) { // statistics as training leaves them
                    fill(rnd, bn.bias().value().data());
                    fill(rnd, bn.runningMean());
                    for (int i = 0; i < bn.runningVar().length; i++) {
                        bn.runningVar()[i] = 0.5f + rnd.nextFloat();
                        bn.weight().value().data()[i] = 0.5f + rnd.nextFloat();
                    }
                }
            }
            int count = 5;
            float[] x = images(rnd, model.inputShape(), count);
            float[] expected = reference(model, x, count);
            try (Predictor p = new Predictor(model, 1)) {
                float[] got = new float[expected.length];
                p.probabilities(x, count, got);
                double[] e = TestSupport.toDouble(expected);
                TestSupport.assertClose(model.summary() + p.model().plan(), e, got, 2e-5);
                float[] one = new float[p.classes()];
                int size = model.inputShape().size();
                for (int n = 0; n < count; n++) { // one at a time: the same bits as in a batch
                    float[] image = java.util.Arrays.copyOfRange(x, n * size, (n + 1) * size);
                    p.probabilities(image, one);
                    assertArrayEquals(java.util.Arrays.copyOfRange(got, n * one.length, (n + 1) * one.length), one);
                }
            }
        }
    }

    /** The layers, those inside residual blocks included. */
    private static List<Layer> all(List<Layer> layers) {
        List<Layer> out = new java.util.ArrayList<>();
        for (Layer l : layers) {
            out.add(l);
            if (l instanceof Residual r) {
                out.addAll(all(r.main()));
                out.addAll(all(r.shortcut()));
            }
            if (l instanceof Graph g) {
                List<Layer> nodes = new java.util.ArrayList<>();
                for (Graph.Node n : g.nodes()) if (n.layer() != null) nodes.add(n.layer());
                out.addAll(all(nodes));
            }
        }
        return out;
    }

    private static void fill(Random rnd, float[] a) {
        for (int i = 0; i < a.length; i++) a[i] = (float) (0.1 * rnd.nextGaussian());
    }

    @Test
    void sameBitsAtAnyThreadCountAndBatchSlicing() {
        Random rnd = new Random(6);
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(3);
        int count = Predictor.MAX_BATCH + 9; // two slices
        float[] x = images(rnd, model.inputShape(), count);
        float[] first = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (Predictor p = new Predictor(model, threads)) {
                float[] got = new float[count * 10];
                p.probabilities(x, count, got);
                if (first == null) first = got;
                else assertArrayEquals(first, got, threads + " threads");
                float[] one = new float[10];
                p.probabilities(java.util.Arrays.copyOfRange(x, 784 * 70, 784 * 71), one);
                assertArrayEquals(java.util.Arrays.copyOfRange(first, 700, 710), one, threads + " threads, batch 1");
            }
        }
    }

    @Test
    void isASnapshotOfTheWeights() {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(4);
        float[] x = images(new Random(1), model.inputShape(), 1);
        try (Predictor p = new Predictor(model)) {
            float[] before = p.probabilities(x);
            model.initialize(5);
            assertArrayEquals(before, p.probabilities(x));
        }
    }

    @Test
    void rejectsBadInputNamingTheProblem() {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(4);
        try (Predictor p = new Predictor(model)) {
            TestSupport.assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> p.probabilities(new float[783], new float[10])), "783", "[1, 28, 28]");
            float[] nan = new float[784];
            nan[17] = Float.NaN;
            TestSupport.assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> p.probabilities(nan, new float[10])), "17", "NaN");
            nan[17] = Float.POSITIVE_INFINITY;
            TestSupport.assertMessageNames(assertThrows(IllegalArgumentException.class, () -> p.probabilities(nan)), "Infinity");
            TestSupport.assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> p.probabilities(new float[784], new float[9])), "9", "10 classes");
            TestSupport.assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> p.probabilities(new float[784 * 2], 3, new float[30])), "3 images", "2352");
        }
        Sequential unsupported = new Sequential(Shape.of(1, 6, 6), ParallelExecutor.SEQUENTIAL,
                List.<Layer>of(new Conv2d(2, 3, 1, 1)));
        TestSupport.assertMessageNames(assertThrows(IllegalArgumentException.class, () -> InferenceModel.compile(unsupported)),
                "[classes]");
    }

    @Test
    void allocatesNothingPerCall() {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(4);
        float[] x = images(new Random(2), model.inputShape(), 8), out = new float[80], one = new float[10];
        float[] image = java.util.Arrays.copyOf(x, 784);
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int threads : new int[] {1, 2}) {
            try (Predictor p = new Predictor(model, threads)) {
                for (int i = 0; i < 3000; i++) { // warm up (JIT) and make the workspaces
                    p.probabilities(image, one);
                    p.probabilities(x, 8, out);
                }
                long before = bean.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2000; i++) {
                    p.probabilities(image, one);
                    p.probabilities(x, 8, out);
                }
                long bytes = bean.getCurrentThreadAllocatedBytes() - before;
                assertTrue(bytes < 2000, threads + " threads: " + bytes + " bytes allocated over 4000 calls");
            }
        }
    }

    @Test
    void workspaceSizeIsReported() {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(4);
        try (Predictor p = new Predictor(model)) {
            assertTrue(p.model().weightFloats() >= model.parameterCount());
            Workspace ws = p.newWorkspace(1);
            assertTrue(ws.floats() > 784, "workspace " + ws.floats());
            assertEquals(1, ws.capacity());
            assertThrows(IllegalArgumentException.class, () -> p.probabilities(new float[784 * 2], 2, new float[20], ws));
        }
    }
}
