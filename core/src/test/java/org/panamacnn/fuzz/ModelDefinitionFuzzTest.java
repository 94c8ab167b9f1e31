package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** Model-definition files (JSON + layer specs): a model, or IllegalArgumentException naming the file. */
class ModelDefinitionFuzzTest {
    @FuzzTest
    void load(byte[] input) throws IOException {
        try {
            Sequential model = ModelDefinition.load(FuzzFiles.write(input, ".json"), Shape.of(1, 12, 12), 4,
                    ParallelExecutor.SEQUENTIAL);
            if (model.layers().isEmpty()) throw new AssertionError("a model without layers");
        } catch (IllegalArgumentException expected) {
            if (!expected.getMessage().contains("input.json")) throw new AssertionError("error does not name the file", expected);
        }
    }
}
