package org.panamacnn.onnx.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.panamacnn.infer.Predictor;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.OnnxFormatException;
import org.panamacnn.onnx.OnnxImport;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * The committed ONNX seeds are OnnxFuzzSeeds' files, and each reaches the form it is for: it
 * imports as that layer and predicts; the regression files are refused naming their node.
 */
class OnnxFuzzSeedsTest {
    @Test
    void everyRegressionIsCommittedAndRefusedNamingItsNode() throws IOException {
        for (OnnxFuzzSeeds.Seed s : OnnxFuzzSeeds.regressions()) {
            assertArrayEquals(s.bytes(), committed(s), s.file() + " differs from OnnxFuzzSeeds: run its main");
            OnnxFormatException e = assertThrows(OnnxFormatException.class,
                    () -> OnnxImport.read(new ByteArrayInputStream(s.bytes()), s.file(), ParallelExecutor.SEQUENTIAL));
            assertTrue(e.getMessage().startsWith(s.file() + ": " + s.spec()), e.getMessage());
        }
    }

    private static byte[] committed(OnnxFuzzSeeds.Seed s) throws IOException {
        try (InputStream in = OnnxFuzzSeedsTest.class.getResourceAsStream("OnnxFuzzTestInputs/read/" + s.file())) {
            assertTrue(in != null, s.file() + " is not in the corpus: run OnnxFuzzSeeds.main");
            return in.readAllBytes();
        }
    }

    @Test
    void everySeedIsCommittedAndImportsAsItsForm() throws IOException {
        for (OnnxFuzzSeeds.Seed s : OnnxFuzzSeeds.all()) {
            assertArrayEquals(s.bytes(), committed(s), s.file() + " differs from OnnxFuzzSeeds: run its main");
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
