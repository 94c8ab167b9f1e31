package org.panamacnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Fine-tuning: frozen tensors ({@link Freeze}) and a new classifier head ({@link ClassifierHead}). */
class FineTuningTest {
    private static final Shape INPUT = Shape.of(3, 10, 10);
    private static final String[] PREFIX = {"conv2d out=6 kernel=3 pad=1", "batchnorm2d", "relu", "maxpool2d window=2"};
    private static final String[] TAIL = {"conv2d out=8 kernel=3 pad=1", "batchnorm2d", "relu", "flatten", "dense out=4"};

    private static Sequential model(Shape input, long seed, String... specs) {
        Sequential m = new Sequential(input, ParallelExecutor.SEQUENTIAL, Arrays.stream(specs).map(LayerSpec::parse).toList());
        m.initialize(seed);
        return m;
    }

    private static Sequential network() {
        String[] all = new String[PREFIX.length + TAIL.length];
        System.arraycopy(PREFIX, 0, all, 0, PREFIX.length);
        System.arraycopy(TAIL, 0, all, PREFIX.length, TAIL.length);
        Sequential m = model(INPUT, 5, all);
        // running statistics as a pretrained model has them, so evaluation mode differs from training mode
        SplittableRandom r = new SplittableRandom(3);
        for (Map.Entry<String, Tensor> e : m.weights().byName().entrySet()) {
            if (e.getKey().endsWith("running_mean")) for (int i = 0; i < e.getValue().size(); i++) e.getValue().data()[i] = (float) r.nextGaussian() * 0.1f;
            if (e.getKey().endsWith("running_var")) for (int i = 0; i < e.getValue().size(); i++) e.getValue().data()[i] = 0.5f + (float) r.nextDouble();
        }
        return m;
    }

    private static Tensor images(Shape sample, int batch, long seed) {
        Tensor x = new Tensor(sample.withBatch(batch));
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        return x;
    }

    private static int[] labels(int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(4);
        return y;
    }

    private static Map<String, float[]> snapshot(Sequential m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        m.weights().byName().forEach((k, v) -> s.put(k, v.data().clone()));
        return s;
    }

    private static double step(TrainingState state, Tensor x, int[] y) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double l = loss.forward(state.forward(x), y);
        state.backward(loss.gradient());
        state.step();
        return l;
    }

    @Test
    void frozenTensorsKeepTheirBitsBatchNormItsStatisticsAndTheRestLearns() {
        Sequential m = network();
        Map<String, float[]> before = snapshot(m);
        TrainingState state = new TrainingState(m, new Sgd(0.05f, 0.9f, 1e-4f, false), m.executor(), Freeze.prefixes("0", "1."));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"), List.copyOf(state.frozenTensors()));
        assertEquals(4, state.layers().frozenPrefixSteps(), "conv, batch norm, ReLU (done in the norm) and max-pool run as the frozen prefix");
        Tensor x = images(INPUT, 16, 1);
        int[] y = labels(16, 2);
        double first = step(state, x, y), last = first;
        for (int i = 0; i < 40; i++) last = step(state, x, y);
        assertTrue(last < first * 0.5, "the unfrozen part learns: loss " + first + " → " + last);
        Map<String, float[]> after = snapshot(m);
        for (String name : before.keySet()) {
            boolean frozen = name.startsWith("0.") || name.startsWith("1.");
            assertEquals(frozen, Arrays.equals(before.get(name), after.get(name)), name + (frozen ? " kept its bits" : " trained"));
        }
        for (Param p : state.layers().layers().get(0).params()) assertFalse(p.hasGradient(), "no gradient is computed for frozen " + p);
        for (Param p : state.params()) assertFalse(p.name().isEmpty() || state.layers().layerOf(p) < 4, "only the tail is trained: " + p);
    }

    /**
     * A frozen prefix is a fixed feature extractor: training the network with it frozen gives, bit
     * for bit, what training the rest gives on the prefix's (evaluation-mode) output as data.
     */
    @Test
    void aFrozenPrefixTrainsAsTheRestOnItsPrecomputedOutput() {
        Sequential whole = network();
        Sequential prefix = model(INPUT, 1, PREFIX);
        Sequential tail = model(prefix.outputShape(), 1, TAIL);
        for (Map.Entry<String, Tensor> e : whole.weights().byName().entrySet()) {
            int layer = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('.')));
            String rest = e.getKey().substring(e.getKey().indexOf('.'));
            Tensor to = layer < PREFIX.length ? prefix.weights().byName().get(layer + rest)
                    : tail.weights().byName().get((layer - PREFIX.length) + rest);
            System.arraycopy(e.getValue().data(), 0, to.data(), 0, to.size());
        }
        TrainingState frozen = new TrainingState(whole, new Sgd(0.05f, 0.9f, 0f, false), whole.executor(), Freeze.prefixes("0.", "1."));
        TrainingState plain = new TrainingState(tail, new Sgd(0.05f, 0.9f, 0f, false));
        for (int s = 0; s < 6; s++) {
            Tensor x = images(INPUT, 12, 100 + s);
            int[] y = labels(12, 200 + s);
            Tensor features = prefix.forward(x, false);
            assertEquals(step(frozen, x, y), step(plain, features, y), "loss of step " + s);
        }
        for (Map.Entry<String, Tensor> e : tail.weights().byName().entrySet()) {
            int layer = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('.')));
            String name = (layer + PREFIX.length) + e.getKey().substring(e.getKey().indexOf('.'));
            assertArrayEquals(e.getValue().data(), whole.weights().byName().get(name).data(), name);
        }
    }

    @Test
    void aFrozenBatchNormAfterTrainableLayersRunsInEvaluationMode() {
        Sequential m = network();
        Map<String, float[]> before = snapshot(m);
        TrainingState state = new TrainingState(m, new Sgd(0.02f), m.executor(), Freeze.prefixes("5."));
        assertEquals(0, state.layers().frozenPrefixSteps());
        assertEquals("BatchNorm2d(8), frozen (evaluation mode)", state.layers().layers().get(5).describe());
        for (int i = 0; i < 3; i++) step(state, images(INPUT, 8, 4 + i), labels(8, 5));
        Map<String, float[]> after = snapshot(m);
        for (String name : List.of("5.weight", "5.bias", "5.running_mean", "5.running_var")) assertArrayEquals(before.get(name), after.get(name), name);
        assertFalse(Arrays.equals(before.get("0.weight"), after.get("0.weight")), "the convolution before the frozen norm trains");
        assertFalse(Arrays.equals(before.get("1.running_mean"), after.get("1.running_mean")), "an unfrozen norm moves its statistics");
        // evaluation mode in training: the training forward gives what the model's evaluation forward gives
        Tensor x = images(INPUT, 8, 9);
        float[] trained = state.forward(x).toArray();
        TrainingState all = new TrainingState(m, new Sgd(0.02f), m.executor(), Freeze.prefixes("1.", "5."));
        assertArrayEquals(m.forward(x, false).toArray(), all.forward(x).toArray(), "both norms frozen: the evaluation forward");
        assertFalse(Arrays.equals(trained, m.forward(x, false).toArray()), "norm 1 unfrozen: batch statistics");
    }

    /** The gradient that passes a frozen norm, against central differences on a smooth network (no ReLU or pooling kinks). */
    @Test
    void theGradientPassesAFrozenBatchNorm() {
        Sequential m = model(Shape.of(2, 5, 5), 3, "conv2d out=3 kernel=3 pad=1", "batchnorm2d", "flatten", "dense out=4");
        float[] var = m.weights().byName().get("1.running_var").data(), gamma = m.weights().byName().get("1.weight").data();
        for (int c = 0; c < 3; c++) {
            var[c] = 0.3f + c;
            gamma[c] = 1.5f - c;
        }
        TrainingState state = new TrainingState(m, new Sgd(0.02f), m.executor(), Freeze.prefixes("1."));
        Tensor x = images(Shape.of(2, 5, 5), 4, 8);
        int[] y = labels(4, 9);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(state.forward(x), y);
        state.backward(loss.gradient());
        float[] analytic = state.params().get(0).grad().data().clone();
        Tensor w = m.weights().byName().get("0.weight");
        for (int i = 0; i < w.size(); i += 5) {
            float keep = w.data()[i], h = 1e-2f;
            w.data()[i] = keep + h;
            double up = loss.forward(state.forward(x), y);
            w.data()[i] = keep - h;
            double down = loss.forward(state.forward(x), y);
            w.data()[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic[i], 1e-3 + 1e-2 * Math.abs(numeric), "∂L/∂0.weight[" + i + "]");
        }
    }

    @Test
    void aFrozenPrefixOfAGraphStopsBackwardThere() throws Exception {
        Sequential m = ModelDefinition.load(Path.of("../models/small-inception.json"), INPUT, 4, ParallelExecutor.SEQUENTIAL);
        m.initialize(9);
        Map<String, float[]> before = snapshot(m);
        TrainingState state = new TrainingState(m, new Sgd(0.05f, 0.9f, 0f, false), m.executor(), Freeze.prefixes("stem"));
        Tensor x = images(INPUT, 8, 6);
        int[] y = labels(8, 7);
        double first = step(state, x, y), last = first;
        for (int i = 0; i < 30; i++) last = step(state, x, y);
        assertTrue(last < first * 0.5, "the rest of the graph learns: loss " + first + " → " + last);
        Map<String, float[]> after = snapshot(m);
        for (String name : before.keySet()) {
            assertEquals(name.startsWith("stem."), Arrays.equals(before.get(name), after.get(name)), name);
        }
        Map<String, Param> named = state.layers().layers().get(0).namedParams();
        assertFalse(named.get("stem.weight").hasGradient(), "backward stops before the frozen stem");
        assertTrue(named.get("b1.weight").hasGradient());
    }

    @Test
    void badPrefixesAndFreezingEverythingAreRefused() {
        Sequential m = network();
        Sgd sgd = new Sgd(0.1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingState(m, sgd, m.executor(), Freeze.prefixes("layer1.")));
        assertEquals("the prefix 'layer1.' matches none of the model's tensors; its top-level layers are 0., 1., 4., 5., 8.", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingState(m, sgd, m.executor(), Freeze.prefixes("8.weight.x")))
                .getMessage().contains("under '8.' are 8.weight, 8.bias"), "a prefix under an existing layer lists that layer's tensors' modules");
        assertThrows(IllegalArgumentException.class, () -> Freeze.prefixes(""));
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingState(m, sgd, m.executor(), Freeze.prefixes("0", "1", "4", "5", "8")));
        assertEquals("every layer is frozen: nothing is left to train", e.getMessage());
        assertTrue(Freeze.matches("3", "3.main.0.weight") && !Freeze.matches("3", "30.weight") && Freeze.matches("3.w", "3.w"));
    }

    @Test
    void aNewHeadHasTheNewClassCountPyTorchsInitialisationAndEveryOtherTensorAsItWas() {
        Sequential m = network();
        Sequential tuned = ClassifierHead.replace(m, 7, 42);
        assertEquals("layer 8 (Dense(200→4))", ClassifierHead.locate(m).describe());
        assertEquals(Shape.of(7), tuned.outputShape());
        assertEquals(Shape.of(7, 200), tuned.weights().byName().get("8.weight").shape());
        for (Map.Entry<String, Tensor> e : m.weights().byName().entrySet()) {
            if (!e.getKey().startsWith("8.")) assertArrayEquals(e.getValue().data(), tuned.weights().byName().get(e.getKey()).data(), e.getKey());
        }
        float[] w = tuned.weights().byName().get("8.weight").data();
        double bound = 1 / Math.sqrt(200), sumSq = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, "U(±1/√fan_in): " + v);
            sumSq += v * v;
        }
        assertEquals(bound * bound / 3, sumSq / w.length, bound * bound / 3 * 0.15, "the variance of U(±b) is b²/3");
        for (float v : tuned.weights().byName().get("8.bias").data()) assertTrue(Math.abs(v) <= bound && v != 0f);
        assertArrayEquals(w, ClassifierHead.replace(m, 7, 42).weights().byName().get("8.weight").data(), "seeded");
        assertFalse(Arrays.equals(w, ClassifierHead.replace(m, 7, 43).weights().byName().get("8.weight").data()));
        assertEquals(Shape.of(4), m.outputShape(), "the model itself is unchanged");
    }

    @Test
    void headsOfGraphsAndConvolutionalClassifiers() throws Exception {
        Sequential g = ModelDefinition.load(Path.of("../models/small-inception.json"), INPUT, 4, ParallelExecutor.SEQUENTIAL);
        g.initialize(1);
        assertEquals("graph node 'fc' (Dense(128→4))", ClassifierHead.locate(g).describe());  // a definition's graph is named from the root
        Sequential tuned = ClassifierHead.replace(g, 3, 1);
        assertEquals(Shape.of(3), tuned.outputShape());
        assertArrayEquals(g.weights().byName().get("stem.weight").data(), tuned.weights().byName().get("stem.weight").data());
        assertEquals(g.layers().getFirst().spec().replace("out=4", "out=3"), tuned.layers().getFirst().spec(), "still named from the root");
        // the same graph as layer 0 of a chain (as ONNX imports are): its tensors are "0.stem.weight"
        Sequential chained = new Sequential(INPUT, ParallelExecutor.SEQUENTIAL,
                List.of(LayerSpec.parse(g.layers().getFirst().spec().replace("graph root=true", "graph"))));
        assertEquals("graph node 'fc' of layer 0 (Dense(128→4))", ClassifierHead.locate(chained).describe());
        assertEquals(Shape.of(3), ClassifierHead.replace(chained, 3, 1).weights().byName().get("0.fc.bias").shape());
        // SqueezeNet's classifier: a 1×1 convolution to the classes, ReLU, global pooling
        Sequential squeeze = model(INPUT, 2, "conv2d out=8 kernel=3 pad=1", "relu", "conv2d out=5 kernel=1", "relu", "globalavgpool2d", "flatten");
        assertEquals("layer 2 (Conv2d(8→5, 1×1, stride 1, pad 0))", ClassifierHead.locate(squeeze).describe());
        Sequential s2 = ClassifierHead.replace(squeeze, 2, 1);
        assertEquals(Shape.of(2), s2.outputShape());
        assertEquals(Shape.of(2, 8, 1, 1), s2.weights().byName().get("2.weight").shape());
    }

    @Test
    void noHeadIsAnErrorSayingWhy() {
        Sequential bnLast = model(INPUT, 1, "conv2d out=4 kernel=3 pad=1", "batchnorm2d", "globalavgpool2d", "flatten");
        assertEquals("no classifier head: the last layer with weights before the output, layer 1 (BatchNorm2d(4)), is not a dense layer or a convolution",
                assertThrows(IllegalArgumentException.class, () -> ClassifierHead.replace(bnLast, 3, 1)).getMessage());
        Sequential merged = new Sequential(Shape.of(5), ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Graph(List.of(
                Graph.Node.of("a", LayerSpec.parse("dense out=4"), Graph.INPUT),
                Graph.Node.of("b", LayerSpec.parse("dense out=4"), Graph.INPUT),
                Graph.Node.of("sum", new org.panamacnn.nn.Add(), "a", "b")))));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClassifierHead.locate(merged)).getMessage()
                .startsWith("no classifier head: the output is reached from graph node 'sum' (Add"));
        Sequential none = model(INPUT, 1, "relu", "flatten");
        assertEquals("no classifier head: the model has no layer with weights",
                assertThrows(IllegalArgumentException.class, () -> ClassifierHead.locate(none)).getMessage());
    }
}
