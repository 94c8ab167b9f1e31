package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The libraries a service embeds (simd-kernels, core, onnx, spark) log through System.Logger and
 * print nothing themselves: output to a terminal is the command line's (this module's) business,
 * or goes to a stream the caller passes in (core's ProgressBar). The exception is spark's
 * spark-submit entry point, itself a command line.
 */
class LibraryLoggingTest {
    private static final Pattern PRINT = Pattern.compile("System\\.(out|err)\\b|\\.printStackTrace\\(\\)");
    private static final List<String> COMMAND_LINES = List.of("spark/src/main/java/org/panamacnn/spark/SparkTrain.java");

    @Test
    void librarySourcesPrintNothingThemselves() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : List.of("simd-kernels", "core", "onnx", "spark")) {
            Path root = Path.of("..", module, "src", "main", "java");
            assertTrue(Files.isDirectory(root), root + " is where the library's sources are");
            List<Path> sources;
            try (Stream<Path> s = Files.walk(root)) {
                sources = s.filter(p -> p.toString().endsWith(".java")).toList();
            }
            for (Path f : sources) {
                files++;
                if (COMMAND_LINES.stream().anyMatch(c -> f.normalize().endsWith(c))) continue;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) continue;
                    if (PRINT.matcher(code).find()) found.add(f + ":" + (i + 1) + ": " + code);
                }
            }
        }
        assertTrue(files > 100, "read " + files + " source files");
        assertEquals(List.of(), found, "library code that prints instead of logging through System.Logger");
    }

    @Test
    void theCheckSeesAPrint() {
        assertTrue(PRINT.matcher("System.err.println(\"x\");").find());
        assertTrue(PRINT.matcher("e.printStackTrace();").find());
        assertTrue(!PRINT.matcher("System.getLogger(KernelProvider.class.getName())").find());
    }
}
