package org.panamacnn.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scratch files for readers that take a path: one file per fuzzing JVM, rewritten with each input,
 * in memory (/dev/shm) where the machine has it. Rewriting a file on a disk that other work keeps
 * busy took milliseconds per input, most of each run of the file-reading targets.
 */
final class FuzzFiles {
    private static final Path MEMORY = Path.of("/dev/shm");
    private static Path scratch;

    static synchronized Path write(byte[] bytes, String suffix) {
        try {
            if (scratch == null) scratch = directory("panama-cnn-fuzz");
            Path file = scratch.resolve("input" + suffix);
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new temporary directory, in memory when /dev/shm is there and writable, else in java.io.tmpdir. */
    static Path directory(String prefix) throws IOException {
        if (Files.isDirectory(MEMORY) && Files.isWritable(MEMORY)) {
            Path dir = Files.createTempDirectory(MEMORY, prefix);
            return dir;
        }
        return Files.createTempDirectory(prefix);
    }

    private FuzzFiles() {}
}
