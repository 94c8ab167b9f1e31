package org.panamacnn.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.cli.report.LayerProfile;
import org.panamacnn.cli.report.LayerProfile.Kind;
import org.panamacnn.cli.report.LayerProfile.Row;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.TrainingState;

/** The profiler runs the model's own computation, step by step, and names and counts its rows. */
class StepProfilerTest {
    static Stream<Path> definitions() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("../models"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** Logits and every parameter's gradient of a profiled forward and backward equal the model's own, bit for bit. */
    @ParameterizedTest
    @MethodSource("definitions")
    void profiledStepComputesTheModelsOwnBits(Path definition) throws Exception {
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Sequential net = ModelDefinition.load(definition, StepProfile.defaultShape(definition), 10, executor);
            net.initialize(3);
            TrainingState state = new TrainingState(net, new Sgd(0.01f, 0.9f, 0f, false));
            Tensor x = BenchData.gaussian(net.inputShape().withBatch(5), 11);
            int[] y = BenchData.labels(5, 10, 12);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            StepProfiler profiler = new StepProfiler(state.layers(), 1);

            float[] logits = profiler.forward(x, 0).data().clone();
            loss.forward(Tensor.of(logits, 5, 10), y);
            profiler.backward(loss.gradient(), 0);
            List<float[]> profiled = gradients(state);

            float[] plainLogits = state.forward(x).data().clone();
            loss.forward(Tensor.of(plainLogits, 5, 10), y);
            state.backward(loss.gradient());
            assertArrayEquals(plainLogits, logits, definition.toString());
            List<float[]> plain = gradients(state);
            for (int i = 0; i < plain.size(); i++) assertArrayEquals(plain.get(i), profiled.get(i), definition + ": parameter " + i);
        }
    }

    private static List<float[]> gradients(TrainingState state) {
        List<float[]> g = new ArrayList<>();
        for (Param p : state.params()) g.add(p.grad().data().clone());
        return g;
    }

    @Test
    void residualBlocksAreOpenedAndTheirConvolutionsCounted() throws Exception {
        LayerProfile p = StepProfile.profile("../models/small-resnet.json", null, 4, 1, 3);
        Map<String, Row> rows = p.rows().stream().collect(Collectors.toMap(Row::path, Function.identity()));
        assertEquals("1x28x28", p.shape());
        // the stem: 1 → 32 channels, 3×3, 28×28; no input gradient for the model's input
        Row stem = rows.get("0");
        assertEquals(Kind.STEP, stem.kind());
        assertEquals(2.0 * 4 * 32 * 28 * 28 * 1 * 9, stem.forwardFlops());
        assertEquals(stem.forwardFlops(), stem.backwardFlops());
        // layer 3: a residual block of 32 → 32 convolutions; its second one (main.3) with the input gradient too
        assertEquals(Kind.BLOCK, rows.get("3").kind());
        Row conv = rows.get("3.main.3");
        assertEquals(1, conv.depth());
        assertEquals(2.0 * 4 * 32 * 28 * 28 * 32 * 9, conv.forwardFlops());
        assertEquals(2 * conv.forwardFlops(), conv.backwardFlops());
        assertEquals(Kind.MERGE, rows.get("3 (sum)").kind());
        // layer 7 halves the size and has a 1×1, stride-2 convolution on its shortcut
        assertEquals(2.0 * 4 * 64 * 14 * 14 * 32, rows.get("7.shortcut.0").forwardFlops());
        assertEquals(0, rows.get("7.main.1").forwardFlops());  // batch norm: not counted
        Row dense = p.rows().get(p.rows().size() - 3);
        assertEquals(2.0 * 4 * 128 * 10, dense.forwardFlops(), dense.toString());
        assertEquals(List.of(Kind.LOSS, Kind.UPDATE), p.rows().subList(p.rows().size() - 2, p.rows().size()).stream().map(Row::kind).toList());
        assertTrue(p.stepMicros() > 0 && p.plainStepMicros() > 0);
    }

    @Test
    void graphNodesAreRowsWithTheirMergesAndGradientSums() throws Exception {
        LayerProfile p = StepProfile.profile("../models/small-inception.json", null, 2, 2, 2);
        List<String> paths = p.rows().stream().map(Row::path).toList();
        assertEquals("0", paths.getFirst());  // the graph is the model's one layer
        assertEquals(Kind.BLOCK, p.rows().getFirst().kind());
        assertTrue(paths.containsAll(List.of("0.stem", "0.a1", "0.a_cat", "0.a_sum", "0 (gradient sums)")), paths.toString());
        Row a5 = p.rows().get(paths.indexOf("0.a5"));
        assertEquals(2.0 * 2 * 16 * 14 * 14 * 8 * 25, a5.forwardFlops());  // 8 → 16 channels, 5×5, on the 14×14 pooled stem
        assertEquals(Kind.MERGE, p.rows().get(paths.indexOf("0.a_cat")).kind());
    }

    @Test
    void modelFilesAreProfiledAtTheirOwnShapeAndTheProfileReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.safetensors");
        try (ParallelExecutor executor = new ParallelExecutor(1)) {
            Sequential net = ModelDefinition.load(Path.of("../models/notes-conv16.json"), Shape.of(3, 32, 32), 10, executor);
            net.initialize(1);
            ModelFile.save(file, net, Map.of());
        }
        LayerProfile p = StepProfile.profile(file.toString(), null, 2, 1, 2);
        assertEquals("3x32x32", p.shape());
        assertEquals("m.safetensors", p.model());
        Path json = dir.resolve(LayerProfile.fileName(p.model()));
        assertEquals("layers-m.json", json.getFileName().toString());
        p.write(json);
        assertEquals(p, LayerProfile.read(json));
    }
}
