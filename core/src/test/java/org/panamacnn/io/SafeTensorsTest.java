package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static final NamedTensor W = new NamedTensor("0.weight", new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, -0f});
    private static final NamedTensor B = new NamedTensor("0.bias", new int[] {2}, new float[] {0.25f, -7});

    @Test
    void roundTripKeepsTensorsBitForBitAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(W, B), Map.of("format", "pt", "note", "quote \" and \\ and é"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("0.weight").shape());
        assertEquals(Arrays.toString(W.data()), Arrays.toString(c.tensors().get("0.weight").data()));
        assertArrayEquals(B.data(), c.tensors().get("0.bias").data());
        assertEquals("quote \" and \\ and é", c.metadata().get("note"));
        assertEquals("pt", c.metadata().get("format"));
    }

    @Test
    void layoutIsTheSafetensorsFormat() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(B), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data is 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8).strip();
        assertEquals("{\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) headerLen, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.25f, data.getFloat());
        assertEquals(-7f, data.getFloat());
    }

    @Test
    void truncatedFileNamesTheTensorAndOffset() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(W, B), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("0.bias")
                && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageIsNotMistakenForAModel() throws IOException {
        Path f = dir.resolve("junk.safetensors");
        Files.writeString(f, "this is not a model file at all");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void brokenJsonNamesTheByteOffset() throws IOException {
        Path f = dir.resolve("m.safetensors");
        byte[] json = "{\"a\": [1, }".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        Files.write(f, buf.array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("at byte offset 18") && e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void wrongDtypeIsRefused() throws IOException {
        Path f = dir.resolve("m.safetensors");
        byte[] json = "{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        Files.write(f, buf.array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("F16"), e.getMessage());
    }

    @Test
    void failedWriteLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(B), Map.of());
        byte[] before = Files.readAllBytes(f);
        NamedTensor reserved = new NamedTensor("__metadata__", new int[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, List.of(reserved), Map.of()));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    /** The model file gets the permissions any new file gets here (the umask's), not a temporary file's owner-only ones. */
    @Test
    void savedFileHasTheDefaultPermissions() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain"));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(W), Map.of());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
        SafeTensors.write(f, List.of(B), Map.of()); // replacing it too
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }
}
