package org.panamacnn.onnx.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.panamacnn.infer.Predictor;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.OnnxImport;
import org.panamacnn.parallel.ParallelExecutor;

/** The committed ONNX seeds are OnnxFuzzSeeds' files, and each reaches the form it is for: it imports as that layer and predicts. */
class OnnxFuzzSeedsTest {
    @Test
    void everySeedIsCommittedAndImportsAsItsForm() throws IOException {
        for (OnnxFuzzSeeds.Seed s : OnnxFuzzSeeds.all()) {
            try (InputStream committed = OnnxFuzzSeedsTest.class.getResourceAsStream("OnnxFuzzTestInputs/read/" + s.file())) {
                assertTrue(committed != null, s.file() + " is not in the corpus: run OnnxFuzzSeeds.main");
                assertArrayEquals(s.bytes(), committed.readAllBytes(), s.file() + " differs from OnnxFuzzSeeds: run its main");
            }
            Sequential m = OnnxImport.read(new ByteArrayInputStream(s.bytes()), s.file(), ParallelExecutor.SEQUENTIAL);
            assertEquals(s.spec(), m.layers().getFirst().spec(), s.file());
            try (Predictor p = new Predictor(m)) {
                float[] x = new float[p.inputShape().size()];
                for (int i = 0; i < x.length; i++) x[i] = (i % 11 - 5) * 0.3f;
                float[] probs = p.probabilities(x);
                assertEquals(p.classes(), probs.length, s.file());
                for (float v : probs) assertTrue(Float.isFinite(v), s.file());
            }
        }
    }
}
