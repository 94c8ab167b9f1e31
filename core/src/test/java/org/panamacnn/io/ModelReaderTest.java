package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.infer.Predictor;

/** Without panama-cnn-onnx on the class path (as in core's own tests), an ONNX file gets a clear message. */
class ModelReaderTest {
    @TempDir
    Path dir;

    @Test
    void anOnnxFileWithoutTheOnnxModuleSaysWhatIsMissing() throws Exception {
        Path onnx = Files.write(dir.resolve("m.onnx"), new byte[] {8, 7});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Predictor.load(onnx));
        assertTrue(e.getMessage().contains("needs panama-cnn-onnx on the class path"), e.getMessage());
        assertNull(ModelReader.forFile(dir.resolve("m.safetensors")));  // our own format: no reader needed
    }
}
