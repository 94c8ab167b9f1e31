package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.ClassNames;
import org.panamacnn.io.ModelFormatException;
import org.panamacnn.io.ModelMetadata;
import org.panamacnn.tensor.Shape;

/**
 * Model-file metadata (scripts/fuzz 3m ModelMetadataFuzzTest): lines "key=value" checked against
 * a 1×28×28 → 10 model; either consistent (then the class names number ten) or a
 * ModelFormatException naming the file.
 */
class ModelMetadataFuzzTest {
    @FuzzTest
    void check(byte[] input) {
        Map<String, String> meta = new HashMap<>();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) meta.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            ModelMetadata.check("fuzz.safetensors", meta, Shape.of(1, 28, 28), Shape.of(10));
            if (meta.containsKey("classes")) {
                List<String> names = ClassNames.fromMetadata(meta.get("classes"));
                if (names.size() != 10) throw new AssertionError("accepted " + names.size() + " class names for 10 outputs");
            }
        } catch (ModelFormatException expected) {
            if (!expected.getMessage().startsWith("fuzz.safetensors: ")) throw new AssertionError("error does not name the file", expected);
        }
    }
}
