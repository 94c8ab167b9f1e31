package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.panamacnn.infer.NonFiniteOutputException;
import org.panamacnn.infer.Predictor;
import org.panamacnn.io.ModelFormatException;

/**
 * Model files (safetensors + JSON header + architecture metadata) through the path a service
 * takes: load, plan inference, predict once. The allowed failures are ModelFormatException for
 * the file and, for a file whose finite weights overflow float range on the zero image (found by
 * the fuzzer: a dense layer's weights near 3e38), NonFiniteOutputException naming the layer;
 * anything else (another exception, an error, a hang, NaN probabilities) is a finding.
 */
class ModelFileFuzzTest {
    @FuzzTest
    void loadAndPredict(byte[] input) throws IOException {
        try (Predictor p = Predictor.load(FuzzFiles.write(input, ".safetensors"))) {
            float[] probs;
            try {
                probs = p.probabilities(new float[p.inputShape().size()]);
            } catch (NonFiniteOutputException documented) {
                String m = documented.getMessage();
                if (!m.contains("for a finite input") || !m.contains("layer")) throw new AssertionError("does not name the layer: " + m, documented);
                return;
            }
            if (probs.length != p.classes()) throw new AssertionError("wrong output length");
            for (float v : probs) if (!Float.isFinite(v)) throw new AssertionError("non-finite probability " + v + " returned as an answer");
        } catch (ModelFormatException expected) {
            // the documented failure
        }
    }
}
