package org.panamacnn.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch file per fuzzing JVM, rewritten with each input, for readers that take a path. */
final class FuzzFiles {
    private static Path scratch;

    static synchronized Path write(byte[] bytes, String suffix) {
        try {
            if (scratch == null) scratch = Files.createTempDirectory("panama-cnn-fuzz");
            Path file = scratch.resolve("input" + suffix);
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FuzzFiles() {}
}
