package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.infer.Predictor;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.optim.Sgd;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * Structures far larger and deeper than real models, through every walk over them — spec
 * parsing and writing, building, training, inference planning, saving: loops or bounded depth,
 * never a recursion as deep as the input.
 */
class GraphScaleTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aHundredThousandNodeGraphParsesBuildsTrainsAndPlans() {
        int n = 100_000;
        StringBuilder spec = new StringBuilder("graph nodes=[");
        for (int i = 0; i < n; i++) spec.append(i == 0 ? "" : " | ").append('r').append(i).append(": relu");
        spec.append(" | side(input): relu | cat(r").append(n - 1).append(", side): concat | f: flatten | d: dense out=3]");
        Graph g = (Graph) LayerSpec.parse(spec.toString());
        assertEquals(n + 4, g.nodes().size());
        assertEquals(g.spec(), LayerSpec.parse(g.spec()).spec());
        Sequential model = new Sequential(Shape.of(1, 2, 2), g);
        model.initialize(1);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f), 2, 1);
        float[] x = {1, -2, 3, -4, -1, 2, -3, 4};
        double loss = trainer.step(new Tensor(Shape.of(2, 1, 2, 2), x), new int[] {0, 2});
        assertTrue(Double.isFinite(loss), "loss " + loss);
        try (Predictor p = new Predictor(model)) {
            float[] probs = p.probabilities(new float[] {1, -2, 3, -4});
            assertEquals(1f, probs[0] + probs[1] + probs[2], 1e-5f);
        }
    }

    private static Layer nestedResiduals(int depth) {
        Layer inner = new ReLU();
        for (int i = 0; i < depth; i++) inner = new Residual(List.of(new ReLU(), inner), List.of());
        return inner;
    }

    @Test
    void deepNestingIsMeasuredWithoutRecursionAndNeverSavedWhereLoadingWouldRefuseIt() throws IOException {
        assertEquals(100_000, Nesting.depth(List.of(nestedResiduals(100_000))));
        IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(Shape.of(4), nestedResiduals(10_000)));
        assertEquals("residual blocks and graphs nest 10000 levels deep; at most " + Nesting.MAX_BUILD + " are supported", tooDeep.getMessage());
        new Sequential(Shape.of(4), nestedResiduals(Nesting.MAX_BUILD));  // the deepest that builds: no stack overflow
        Path file = dir.resolve("nested.safetensors");
        Sequential deep = new Sequential(Shape.of(4), nestedResiduals(LayerSpec.MAX_NESTING + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(file, deep, Map.of()));
        assertEquals("not saving " + file + ": residual blocks and graphs nest 9 levels deep; a model file holds at most 8", e.getMessage());
        List<Layer> layers = new ArrayList<>(List.of(nestedResiduals(LayerSpec.MAX_NESTING)));
        Sequential deepest = new Sequential(Shape.of(4), org.panamacnn.parallel.ParallelExecutor.SEQUENTIAL, layers);
        ModelFile.save(file, deepest, Map.of());
        assertEquals(LayerSpec.MAX_NESTING, Nesting.depth(ModelFile.load(file, org.panamacnn.parallel.ParallelExecutor.SEQUENTIAL).model().layers()));
    }
    @Test
    @Timeout(10)
    void specsNestedTooDeepAreRefusedInOnePassAtEveryEntry() {
        // 8 levels of blocks parse; the 9th is refused, as a residual block, a graph or a
        // model-definition graph node (itself one level); brackets that open no block do not count
        String eight = "residual main=[".repeat(8) + "relu" + "]".repeat(8);
        assertEquals(8, Nesting.depth(List.of(LayerSpec.parse(eight))));
        String nine = "residual main=[relu] shortcut=[" + eight + "]";
        for (String spec : List.of(nine, "graph nodes=[a: " + eight + "]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(spec));
            assertEquals("residual blocks and graphs nest deeper than 8 levels", e.getMessage());
        }
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class, () -> LayerSpec.node("n", null, eight, List.of(), 1));
        assertEquals("node 'n': residual blocks and graphs nest deeper than 8 levels", node.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("relu " + "[".repeat(20)));
        assertTrue(plain.getMessage().startsWith("bad layer setting"), plain.getMessage());
        // a million levels: refused from one scan, not parsed level by level
        String deep = "residual main=[".repeat(1_000_000) + "relu" + "]".repeat(1_000_000);
        for (int i = 0; i < 20; i++) assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(deep));
    }
}
