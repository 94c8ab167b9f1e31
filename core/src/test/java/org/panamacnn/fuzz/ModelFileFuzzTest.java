package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.panamacnn.infer.Predictor;
import org.panamacnn.io.ModelFormatException;

/**
 * Model files (safetensors + JSON header + architecture metadata) through the path a service
 * takes: load, plan inference, predict once. The one allowed failure is ModelFormatException;
 * anything else (an unchecked exception, an error, a hang) is a finding.
 */
class ModelFileFuzzTest {
    @FuzzTest
    void loadAndPredict(byte[] input) throws IOException {
        try (Predictor p = Predictor.load(FuzzFiles.write(input, ".safetensors"))) {
            float[] probs = p.probabilities(new float[p.inputShape().size()]);
            if (probs.length != p.classes()) throw new AssertionError("wrong output length");
        } catch (ModelFormatException expected) {
            // the documented failure
        }
    }
}
