package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} runs the plain-Java kernels:
 * {@code predict} gives the class the Vector API kernels give, and the log says which kernels ran
 * and which flag brings the vectorised ones.
 */
class VectorApiMissingTest {
    private static final List<String> PREDICT = List.of("predict", "--model", "../bench/models/default-cnn.safetensors",
            "../data/examples/ankle-boot.png");

    @Test
    void aJvmWithoutTheVectorApiModulePredictsWithThePlainJavaKernels(@TempDir Path dir) throws Exception {
        Run plain = run(dir, false), vector = run(dir, true);
        assertEquals(0, plain.exit, plain.out + plain.err);
        assertEquals(0, vector.exit, vector.out + vector.err);
        assertTrue(plain.err.contains("panama-cnn kernels: plain Java (jdk.incubator.vector not loaded; start the JVM with"
                + " --add-modules=jdk.incubator.vector for the vectorized kernels)"), plain.err);
        assertTrue(vector.err.contains("panama-cnn kernels: Vector API"), vector.err);
        // "FILE: CLASS  (CLASS p% ...)": the file and the top class; the percentages may differ in the last digit
        String predicted = vector.out.substring(0, Math.max(0, vector.out.indexOf('(')));
        assertTrue(predicted.startsWith("../data/examples/ankle-boot.png: "), vector.out);
        assertEquals(predicted, plain.out.substring(0, Math.max(0, plain.out.indexOf('('))), plain.out);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(Path dir, boolean vectorModule) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (vectorModule) command.add("--add-modules=jdk.incubator.vector");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(PREDICT);
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, Files.readString(err));
    }
}
