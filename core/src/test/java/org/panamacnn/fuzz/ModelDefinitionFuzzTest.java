package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.AllocationBudget;
import org.panamacnn.tensor.Shape;

/**
 * Model-definition files (JSON + layer specs): a model, or IllegalArgumentException naming the file.
 * Loaded under a memory budget of 1 MiB (262,144 parameters): the fuzzer soon writes "out=88888",
 * and building such a model's weights took most of each run; past the budget the file is refused
 * by the same check a large one meets under the full budget, so no path is lost, only the filling
 * of big arrays.
 */
class ModelDefinitionFuzzTest {
    private static final long BUDGET_BYTES = 1 << 20;

    @FuzzTest
    void load(byte[] input) throws IOException {
        Path file = FuzzFiles.write(input, ".json");
        try {
            Sequential model = AllocationBudget.withLimit(BUDGET_BYTES, () -> load(file));
            if (model.layers().isEmpty()) throw new AssertionError("a model without layers");
        } catch (IllegalArgumentException expected) {
            if (!expected.getMessage().contains("input.json")) throw new AssertionError("error does not name the file", expected);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Sequential load(Path file) {
        try {
            return ModelDefinition.load(file, Shape.of(1, 12, 12), 4, ParallelExecutor.SEQUENTIAL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
