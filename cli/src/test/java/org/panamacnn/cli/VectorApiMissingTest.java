package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VectorApiMissingTest {
    @Test
    void aJvmWithoutTheVectorApiModuleGetsOneLineSayingWhichFlagIsMissing() throws Exception {
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "predict", "--model",
                "../bench/models/default-cnn.safetensors", "../data/examples/ankle-boot.png")).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(1, p.exitValue(), output);
        assertEquals("panama-cnn: panama-cnn needs the JVM option --add-modules=jdk.incubator.vector (JDK 25)", output);
    }
}
