package org.panamacnn.onnx.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.panamacnn.infer.Predictor;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.OnnxFormatException;
import org.panamacnn.onnx.OnnxImport;
import org.panamacnn.parallel.ParallelExecutor;

/** ONNX files: a model that plans and predicts, or OnnxFormatException; nothing else (scripts/fuzz 3m OnnxFuzzTest). */
class OnnxFuzzTest {
    @FuzzTest
    void read(byte[] input) throws IOException {
        Sequential model;
        try {
            model = OnnxImport.read(new ByteArrayInputStream(input), "fuzz.onnx", ParallelExecutor.SEQUENTIAL);
        } catch (OnnxFormatException expected) {
            return;
        }
        Predictor p;
        try {
            p = new Predictor(model);
        } catch (IllegalArgumentException notPlannable) {  // documented: a model inference cannot plan
            return;
        }
        try (p) {
            if (p.probabilities(new float[p.inputShape().size()]).length != p.classes()) throw new AssertionError("wrong output length");
        } catch (org.panamacnn.infer.NonFiniteOutputException documented) {
            // finite weights may still overflow float range (e.g. 3e38 × 3e38): named, not returned as NaN
        }
    }
}
