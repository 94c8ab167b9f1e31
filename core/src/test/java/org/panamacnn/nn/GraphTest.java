package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertMessageNames;
import static org.panamacnn.nn.TestSupport.floatCentralDifference;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.uniform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.ModelFile;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.oracle.OracleMerge;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * {@link Graph}, {@link Add} and {@link Concat}: the merges against the oracle, a graph against
 * the {@link Residual} block it spells out (same bits), gradients of a branching graph against
 * finite differences, fusion only of sole consumers, specs, names and errors.
 */
class GraphTest {
    private static final Shape IN = Shape.of(3, 7, 5);

    /** Branches from one ReLU (three readers), a concat of three, an add of three, a flat concat. */
    static Graph inception() {
        return new Graph(List.of(
                Graph.Node.of("stem", new Conv2d(4, 3, 1, 1), Graph.INPUT),
                Graph.Node.of("bn", new BatchNorm2d(), "stem"),
                Graph.Node.of("a", new ReLU(), "bn"),
                Graph.Node.of("b1", new Conv2d(2, 1, 1, 0), "a"),
                Graph.Node.of("b3", new Conv2d(3, 3, 1, 1), "a"),
                Graph.Node.of("b3r", new LeakyReLU(0.1f), "b3"),
                Graph.Node.of("bp", new AvgPool2d(3, 1), "a"),
                Graph.Node.of("bpc", new Conv2d(1, 1, 1, 1), "bp"), // 1×1 with pad 1 restores 7×5
                Graph.Node.of("cat", new Concat(), "b1", "b3r", "bpc"),
                Graph.Node.of("proj", new Conv2d(6, 1, 1, 0), Graph.INPUT),
                Graph.Node.of("sum", new Add(), "cat", "proj", "cat"),
                Graph.Node.of("r", new ReLU(), "sum"),
                Graph.Node.of("pool", new MaxPool2d(2), "r"),
                Graph.Node.of("flat", new Flatten(), "pool"),
                Graph.Node.of("d1", new Dense(4), "flat"),
                Graph.Node.of("d2", new Dense(3), "flat"),
                Graph.Node.of("heads", new Concat(), "d1", "d2"),
                Graph.Node.of("out", new Dense(2), "heads")));
    }

    @Test
    void mergesAgreeWithTheOracle() {
        Random rnd = new Random(1);
        int batch = 3;
        Shape[] parts = {Shape.of(2, 5, 3), Shape.of(3, 5, 3), Shape.of(1, 5, 3)};
        Concat concat = new Concat();
        assertEquals(Shape.of(6, 5, 3), concat.build(List.of(parts), ParallelExecutor.SEQUENTIAL));
        Tensor[] x = new Tensor[3];
        double[][] xd = new double[3][];
        int[] sizes = new int[3];
        for (int i = 0; i < 3; i++) {
            x[i] = tensor(parts[i], batch, uniform(rnd, batch * parts[i].size()));
            xd[i] = TestSupport.toDouble(x[i]);
            sizes[i] = parts[i].size();
        }
        assertArrayEquals(OracleMerge.concat(xd, batch, sizes), TestSupport.toDouble(concat.forward(x)), 0);
        float[] g = uniform(rnd, batch * 90);
        Tensor[] dx = new Tensor[3];
        concat.backward(tensor(Shape.of(6, 5, 3), batch, g), dx);
        double[][] expected = OracleMerge.concatBackward(TestSupport.toDouble(g), batch, sizes);
        for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], TestSupport.toDouble(dx[i]), 0, "δx_" + i);

        Add add = new Add();
        Shape s = Shape.of(5, 3, 7);
        assertEquals(s, add.build(List.of(s, s, s), ParallelExecutor.SEQUENTIAL));
        Tensor[] y = new Tensor[3];
        double[][] yd = new double[3][];
        for (int i = 0; i < 3; i++) {
            y[i] = tensor(s, batch, uniform(rnd, batch * s.size()));
            yd[i] = TestSupport.toDouble(y[i]);
        }
        TestSupport.assertClose("add", OracleMerge.add(yd, batch, s.size()), add.forward(y), 1e-7);
        Tensor gy = tensor(s, batch, uniform(rnd, batch * s.size()));
        add.backward(gy, dx);
        for (Tensor d : dx) assertSame(gy, d);
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Add().build(List.of(s, Shape.of(5, 3, 6)), ParallelExecutor.SEQUENTIAL)),
                "[5, 3, 7]", "[5, 3, 6]");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Concat().build(List.of(s, Shape.of(5, 4, 7)), ParallelExecutor.SEQUENTIAL)),
                "first dimension", "[5, 4, 7]");
    }

    /** y = relu(bn(conv(relu(bn(conv(x))))) + x) as a residual block and as a graph: the same bits forward and backward. */
    @Test
    void aResidualBlockAsAGraphGivesTheSameBits() {
        Shape in = Shape.of(4, 6, 5);
        Sequential block = new Sequential(in, ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Residual(List.of(
                new Conv2d(4, 3, 1, 1), new BatchNorm2d(), new ReLU(), new Conv2d(4, 3, 1, 1), new BatchNorm2d()), List.of()), new ReLU()));
        Sequential graph = new Sequential(in, ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Graph(List.of(
                Graph.Node.of("c1", new Conv2d(4, 3, 1, 1), Graph.INPUT), Graph.Node.of("n1", new BatchNorm2d(), "c1"),
                Graph.Node.of("r1", new ReLU(), "n1"), Graph.Node.of("c2", new Conv2d(4, 3, 1, 1), "r1"),
                Graph.Node.of("n2", new BatchNorm2d(), "c2"), Graph.Node.of("sum", new Add(), "n2", Graph.INPUT),
                Graph.Node.of("r", new ReLU(), "sum")))));
        block.initialize(7);
        List<Param> a = block.params(), b = graph.params();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) TestSupport.set(b.get(i), a.get(i).value().toArray());
        Random rnd = new Random(2);
        int batch = 3;
        float[] x = uniform(rnd, batch * in.size()), g = uniform(rnd, batch * in.size());
        for (Sequential m : List.of(block, graph)) m.forward(tensor(in, batch, x), true);
        assertArrayEquals(block.forward(tensor(in, batch, x), true).toArray(), graph.forward(tensor(in, batch, x), true).toArray());
        Tensor dxBlock = block.layers().getFirst().backward(tensor(in, batch, g), true);
        // the ReLU after the block: run both models' full backward from the same δy instead
        block.forward(tensor(in, batch, x), true);
        graph.forward(tensor(in, batch, x), true);
        float[] dxa = backwardToInput(block, tensor(in, batch, g)), dxb = backwardToInput(graph, tensor(in, batch, g));
        assertArrayEquals(dxa, dxb);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).grad().toArray(), b.get(i).grad().toArray(), a.get(i).name());
        assertTrue(dxBlock.size() > 0);
    }

    /**
     * A stem and four residual blocks (two with projections) as Sequential/Residual and as a graph:
     * the same bits over several steps, while the graph gives its node gradients back to the
     * arena (so a deep graph holds a few gradient arrays, not one per node, and re-lent arrays
     * never alias a live gradient).
     */
    @Test
    void aResidualNetworkAsAGraphGivesTheSameBitsAndHoldsAFewGradientArrays() {
        Shape in = Shape.of(3, 12, 12);
        List<Layer> chain = new ArrayList<>(List.of(new Conv2d(8, 3, 1, 1), new BatchNorm2d(), new ReLU()));
        List<Graph.Node> nodes = new ArrayList<>(List.of(Graph.Node.of("stem", new Conv2d(8, 3, 1, 1), Graph.INPUT),
                Graph.Node.of("stem_bn", new BatchNorm2d(), "stem"), Graph.Node.of("stem_relu", new ReLU(), "stem_bn")));
        String last = "stem_relu";
        for (int b = 0; b < 4; b++) {
            int out = b < 2 ? 8 : 16, stride = b == 2 || b == 3 ? 2 : 1;
            chain.add(new Residual(List.of(new Conv2d(out, 3, stride, 1), new BatchNorm2d(), new ReLU(), new Conv2d(out, 3, 1, 1), new BatchNorm2d()),
                    stride == 1 ? List.of() : List.of(new Conv2d(out, 1, stride, 0), new BatchNorm2d())));
            chain.add(new ReLU());
            String p = "b" + b + ".";
            nodes.addAll(List.of(Graph.Node.of(p + "c1", new Conv2d(out, 3, stride, 1), last), Graph.Node.of(p + "n1", new BatchNorm2d(), p + "c1"),
                    Graph.Node.of(p + "r1", new ReLU(), p + "n1"), Graph.Node.of(p + "c2", new Conv2d(out, 3, 1, 1), p + "r1"),
                    Graph.Node.of(p + "n2", new BatchNorm2d(), p + "c2")));
            String shortcut = last;
            if (stride != 1) {
                nodes.add(Graph.Node.of(p + "proj", new Conv2d(out, 1, stride, 0), last));
                nodes.add(Graph.Node.of(p + "proj_bn", new BatchNorm2d(), p + "proj"));
                shortcut = p + "proj_bn";
            }
            nodes.add(Graph.Node.of(p + "sum", new Add(), p + "n2", shortcut));
            nodes.add(Graph.Node.of(p + "relu", new ReLU(), p + "sum"));
            last = p + "relu";
        }
        chain.addAll(List.of(new GlobalAvgPool2d(), new Flatten(), new Dense(5)));
        nodes.addAll(List.of(Graph.Node.of("gap", new GlobalAvgPool2d(), last), Graph.Node.of("flat", new Flatten(), "gap"),
                Graph.Node.of("fc", new Dense(5), "flat")));
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Sequential block = new Sequential(in, chain, new BuildContext(executor, Weights.create(), EngineOptions.defaults()));
            BuildContext graphContext = new BuildContext(executor, Weights.create(), EngineOptions.defaults());
            Sequential graph = new Sequential(in, List.<Layer>of(Graph.root(nodes)), graphContext);
            block.initialize(7);
            List<Param> a = block.params(), b = graph.params();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) TestSupport.set(b.get(i), a.get(i).value().toArray());
            int batch = 5;
            long largest = (long) batch * 8 * 12 * 12, afterSecond = 0;
            for (int step = 0; step < 4; step++) {
                Random rnd = new Random(10 + step);
                float[] x = uniform(rnd, batch * in.size()), g = uniform(rnd, batch * 5);
                assertArrayEquals(block.forward(tensor(in, batch, x), true).toArray(), graph.forward(tensor(in, batch, x), true).toArray(), "step " + step);
                block.backward(tensor(Shape.of(5), batch, g));
                graph.backward(tensor(Shape.of(5), batch, g));
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i).grad().toArray(), b.get(i).grad().toArray(), "step " + step + ": " + a.get(i).name());
                }
                if (step == 1) afterSecond = graphContext.gradientArena().floats();
            }
            long held = graphContext.gradientArena().floats();
            assertEquals(afterSecond, held, "steps after the second made new gradient arrays");
            // one array per node's input gradient would be 30 arrays, most of the largest size
            assertTrue(held <= 7 * largest, held + " gradient floats, more than 7 of the largest activation (" + largest + ")");
        }
    }

    private static float[] backwardToInput(Sequential m, Tensor g) {
        for (int i = m.layers().size() - 1; i >= 0; i--) g = m.layers().get(i).backward(g, true);
        return g.toArray();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Graph graph = inception();
        Shape out = graph.build(IN);
        graph.initialize(new SplittableRandom(2));
        Random rnd = new Random(3);
        int batch = 2;
        float[] x = uniform(rnd, batch * IN.size()), r = uniform(rnd, batch * out.size());
        DoubleSupplier loss = () -> {
            Tensor y = graph.forward(tensor(IN, batch, x), true);
            double s = 0;
            for (int i = 0; i < y.size(); i++) s += r[i] * (double) y.get(i);
            return s;
        };
        loss.getAsDouble();
        double[] dx = TestSupport.toDouble(graph.backward(tensor(out, batch, r.clone()), true));
        double err = FiniteDifference.maxRelativeError(dx, floatCentralDifference(x, x.length, 1e-3f, loss));
        assertTrue(err < 2e-2, "∂L/∂x relative error " + err);
        Map<String, Param> named = graph.namedParams();
        for (String name : List.of("stem.weight", "b1.weight", "b3.bias", "bpc.weight", "proj.weight", "d1.weight", "d2.bias", "bn.weight")) {
            Param p = named.get(name);
            loss.getAsDouble();
            graph.backward(tensor(out, batch, r.clone()), true);
            double[] analytic = TestSupport.toDouble(p.grad());
            double[] numeric = floatCentralDifference(p.value().data(), p.size(), 1e-3f, loss);
            err = FiniteDifference.maxRelativeError(analytic, numeric);
            assertTrue(err < 2e-2, "∂L/∂" + name + " relative error " + err);
        }
    }

    @Test
    void fusesAReluOnlyIntoASoleProducer() {
        Graph g = new Graph(List.of(
                Graph.Node.of("c1", new Conv2d(3, 3, 1, 1), Graph.INPUT), Graph.Node.of("r1", new ReLU(), "c1"),
                Graph.Node.of("p1", new MaxPool2d(1), "r1"),
                Graph.Node.of("c2", new Conv2d(3, 3, 1, 1), "p1"), Graph.Node.of("r2", new ReLU(), "c2"),
                Graph.Node.of("sum", new Add(), "r2", "c2")));
        g.build(Shape.of(3, 5, 5));
        assertEquals("ReLU (fused)", g.nodes().get(1).layer().describe());
        assertEquals("ReLU", g.nodes().get(4).layer().describe()); // c2 is read by the add as well
        assertEquals(1, g.soleConsumer(0));
        assertEquals(-1, g.soleConsumer(3));
    }

    @Test
    void specsAndNamesRoundTripThroughAModelFile(@TempDir Path dir) throws Exception {
        Sequential model = new Sequential(IN, ParallelExecutor.SEQUENTIAL, List.<Layer>of(inception()));
        model.initialize(5);
        String spec = model.layers().getFirst().spec();
        assertEquals(spec, LayerSpec.parse(spec).spec());
        assertTrue(spec.contains("cat(b1, b3r, bpc): concat") && spec.contains("b3r: leakyrelu"), spec);
        Graph nested = new Graph(List.of(Graph.Node.of("g", LayerSpec.parse(spec), Graph.INPUT)));
        assertEquals(nested.spec(), LayerSpec.parse(nested.spec()).spec());
        Path file = dir.resolve("graph.safetensors");
        ModelFile.save(file, model, Map.of());
        Sequential back = ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        Tensor x = tensor(IN, 2, uniform(new Random(6), 2 * IN.size()));
        assertArrayEquals(model.forward(x, false).toArray(), back.forward(x, false).toArray());
        assertTrue(back.layers().getFirst().namedBuffers().containsKey("bn.running_var"));
    }

    @Test
    void badGraphsAreRefusedNamingTheNode() {
        Shape s = Shape.of(2, 4, 4);
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Graph(List.of(
                Graph.Node.of("a", new ReLU(), "b"), Graph.Node.of("b", new ReLU(), "a")))), "'a'", "'b'", "before it");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Graph(List.of(
                Graph.Node.of("a", new ReLU(), Graph.INPUT), Graph.Node.of("a", new ReLU(), "a")))), "'a'", "twice");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Graph(List.of(
                Graph.Node.of("input", new ReLU(), Graph.INPUT)))), "reserved");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Graph(List.of(
                Graph.Node.of("dead", new ReLU(), Graph.INPUT), Graph.Node.of("b", new ReLU(), Graph.INPUT)))), "'dead'", "feeds no other");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Graph(List.of(
                new Graph.Node("a", new ReLU(), null, List.of(Graph.INPUT, Graph.INPUT))))), "'a'", "one input");
        Graph mismatch = new Graph(List.of(Graph.Node.of("c", new Conv2d(3, 3, 1, 0), Graph.INPUT),
                Graph.Node.of("sum", new Add(), "c", Graph.INPUT)));
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> mismatch.build(s)),
                "'sum'", "c [3, 2, 2]", "input [2, 4, 4]");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("add")), "graph node");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("graph nodes=[a: relu | s: add]")),
                "'s'", "inputs named");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("graph nodes=[a: relu | b: conv2d kernel=3]")),
                "'b'", "out=");
    }

    @Test
    void aRootGraphNamesItsTensorsByNodeAloneAndDottedNamesNestAsPyTorchModules(@TempDir Path dir) throws Exception {
        List<Graph.Node> nodes = List.of(
                Graph.Node.of("conv1", new Conv2d(0, 4, 3, 1, 1, false), Graph.INPUT),
                Graph.Node.of("layer1.0.bn1", new BatchNorm2d(), "conv1"),
                Graph.Node.of("layer1.0.relu1", new ReLU(), "layer1.0.bn1"),
                Graph.Node.of("layer1.0.add", new Add(), "layer1.0.relu1", "conv1"),
                Graph.Node.of("flatten", new Flatten(), "layer1.0.add"),
                Graph.Node.of("fc", new Dense(3), "flatten"));
        Sequential root = new Sequential(IN, ParallelExecutor.SEQUENTIAL, List.<Layer>of(Graph.root(nodes)));
        assertEquals(List.of("conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean",
                "layer1.0.bn1.running_var", "fc.weight", "fc.bias"), List.copyOf(root.weights().byName().keySet()));
        assertEquals("", root.tensorPrefix(0));
        Sequential chained = new Sequential(IN, ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Graph(nodes)));
        assertEquals("0.conv1.weight", chained.weights().byName().keySet().iterator().next());
        // the spec keeps root=true; the file keeps the names and reads back as the same model
        String spec = root.layers().getFirst().spec();
        assertTrue(spec.startsWith("graph root=true nodes=[conv1: conv2d") && spec.contains("layer1.0.add(layer1.0.relu1, conv1): add"), spec);
        assertEquals(spec, LayerSpec.parse(spec).spec());
        assertTrue(root.layers().getFirst().copy().spec().startsWith("graph root=true nodes=[conv1: "), "a copy is named from the root too");
        root.initialize(4);
        Path file = dir.resolve("root.safetensors");
        ModelFile.save(file, root, Map.of());
        Sequential back = ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        assertEquals(root.weights().byName().keySet(), back.weights().byName().keySet());
        Tensor x = tensor(IN, 2, uniform(new Random(2), 2 * IN.size()));
        assertArrayEquals(root.forward(x, false).toArray(), back.forward(x, false).toArray());
        // the copy a training state trains over shares the model's tensors by those names
        assertEquals(root.parameterCount(), root.sharingWeights(ParallelExecutor.SEQUENTIAL).parameterCount());
    }

    @Test
    void aRootGraphMustBeTheModelsOnlyLayerAndNamesMustBeModulePaths() {
        Graph whole = Graph.root(List.of(Graph.Node.of("a", new ReLU(), Graph.INPUT)));
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> new Sequential(IN, ParallelExecutor.SEQUENTIAL, List.of(whole, new Flatten()))), "root=true", "only layer");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new Sequential(IN, ParallelExecutor.SEQUENTIAL,
                List.<Layer>of(new Graph(List.of(Graph.Node.of("inner", whole, Graph.INPUT)))))), "'inner'", "only layer");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("graph big=true nodes=[a: relu]")), "big=true");
        for (String bad : List.of("1a", "a..b", "a.", ".a", "a-b", "a.b c")) {
            assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> new Graph(List.of(Graph.Node.of(bad, new ReLU(), Graph.INPUT)))), "'" + bad + "'", "not a valid name");
        }
        new Graph(List.of(Graph.Node.of("features.0.0", new ReLU(), Graph.INPUT), Graph.Node.of("_x.1_b", new ReLU(), "features.0.0")));
    }

    /** The graph's layers in node order (those of nested blocks included), for tests that set weights. */
    static List<Layer> layersOf(Graph g) {
        List<Layer> all = new ArrayList<>();
        for (Graph.Node n : g.nodes()) if (n.layer() != null) all.add(n.layer());
        return all;
    }
}
