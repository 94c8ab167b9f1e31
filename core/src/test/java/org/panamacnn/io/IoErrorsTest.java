package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I/O failures read as "FILE: problem", never a bare path or a bare reason. */
class IoErrorsTest {
    @TempDir
    Path dir;

    @Test
    void fileSystemExceptionsNameTheFileAndTheProblem() {
        assertEquals("/m.safetensors: No space left on device",
                IoErrors.describe(new FileSystemException("/m.safetensors", null, "No space left on device")));
        assertEquals("/ro/m.safetensors: permission denied", IoErrors.describe(new AccessDeniedException("/ro/m.safetensors")));
        assertEquals("/data: no such file or directory", IoErrors.describe(new NoSuchFileException("/data")));
        assertEquals("IOException", IoErrors.describe(new IOException()));
    }

    @Test
    void aSaveThatCannotWriteNamesTheFile() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "x");
        Path file = notADirectory.resolve("model.safetensors");
        IOException e = assertThrows(IOException.class,
                () -> SafeTensors.write(file, List.of(new NamedTensor("w", new int[] {1}, new float[] {1})), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
    }
}
