package org.panamacnn.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** Finite input that drives the model past float range is an error naming the first layer that made non-finite values. */
class NonFiniteOutputTest {
    @TempDir
    Path dir;

    /** dense 4 → 3 (all weights 1) → ReLU → dense 3 → 2: inputs of 1e38 overflow in the first layer. */
    private static Sequential model() {
        Dense first = new Dense(4, 3), second = new Dense(3, 2);
        Sequential m = new Sequential(Shape.of(4), first, new ReLU(), second);
        Arrays.fill(first.weight().value().data(), 1f);
        Arrays.fill(second.weight().value().data(), 0.5f);
        return m;
    }

    @Test
    void hugeFiniteInputsAreAnErrorNamingTheLayerNotNaNProbabilities() throws IOException {
        float[] huge = {1e38f, 1e38f, 1e38f, 1e38f};
        try (Predictor p = new Predictor(model())) {
            NonFiniteOutputException e = assertThrows(NonFiniteOutputException.class, () -> p.probabilities(huge));
            assertTrue(e.getMessage().startsWith("the model's output is ") && e.getMessage().contains("for a finite input")
                    && e.getMessage().endsWith("the first non-finite values are in layer 0 (" + new Dense(4, 3).describe() + ") output"),
                    e.getMessage());
            float[] ok = p.probabilities(new float[] {1, 2, 3, 4});
            assertEquals(1f, ok[0] + ok[1], 1e-6f);
            float[] batch = new float[8], out = new float[4];
            System.arraycopy(huge, 0, batch, 4, 4);
            assertThrows(NonFiniteOutputException.class, () -> p.probabilities(batch, 2, out));
        }
        // a loaded predictor reads its file again to find the layer (it keeps only the packed weights)
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, model(), Map.of());
        try (Predictor p = Predictor.load(file)) {
            NonFiniteOutputException e = assertThrows(NonFiniteOutputException.class, () -> p.probabilities(huge));
            assertTrue(e.getMessage().contains("layer 0 (") && e.getMessage().endsWith(") output"), e.getMessage());
        }
    }

    @Test
    void anExecutorOfAbsurdlyManyThreadsIsRefusedWithTheFigure() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ParallelExecutor(Integer.MAX_VALUE));
        assertEquals("thread count 2147483647 is more than the " + ParallelExecutor.MAX_THREADS + " supported", e.getMessage());
    }
}
