package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path tmp;

    private static byte[] ramp(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 7);
        }
        return data;
    }

    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.write(out, dims, data);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private IdxFormatException assertBad(Path file, String... fragments) {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), () -> "no file name in: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "no '" + fragment + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void roundTripRaw() throws IOException {
        Path path = tmp.resolve("images-idx3-ubyte");
        byte[] data = ramp(3 * 4 * 5);
        IdxWriter.write(path, new int[] {3, 4, 5}, data, false);
        assertEquals(16 + 60, Files.size(path));
        IdxFile read = IdxFile.read(path);
        assertArrayEquals(new int[] {3, 4, 5}, read.dims());
        assertArrayEquals(data, read.bytes());
        assertEquals(16, read.headerLength());
        assertEquals((7 * 59) & 0xff, read.unsignedAt(59));
    }

    @Test
    void roundTripGzipIsDetectedByContentNotName() throws IOException {
        Path gzNoSuffix = tmp.resolve("labels-idx1-ubyte");
        byte[] data = ramp(300);
        IdxWriter.write(gzNoSuffix, new int[] {300}, data, true);
        assertEquals(0x1f, Files.readAllBytes(gzNoSuffix)[0] & 0xff);
        IdxFile read = IdxFile.read(gzNoSuffix);
        assertArrayEquals(new int[] {300}, read.dims());
        assertArrayEquals(data, read.bytes());

        Path rawWithGzSuffix = file("raw.gz", idx(new int[] {2, 2}, new byte[] {1, 2, (byte) 255, 4}));
        assertEquals(255, IdxFile.read(rawWithGzSuffix).unsignedAt(2));
    }

    @Test
    void gzipOutputIsDeterministic() throws IOException {
        Path a = tmp.resolve("a.gz");
        Path b = tmp.resolve("b.gz");
        IdxWriter.write(a, new int[] {10, 10}, ramp(100), true);
        IdxWriter.write(b, new int[] {10, 10}, ramp(100), true);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void badMagic() throws IOException {
        byte[] bytes = idx(new int[] {4}, ramp(4));
        bytes[1] = 0x01;
        IdxFormatException e = assertBad(file("bad-magic", bytes), "byte offset 0", "magic", "00 01 08 01");
        assertEquals(0, e.offset());
    }

    @Test
    void notIdxAtAll() throws IOException {
        assertBad(file("text.idx", "hello, world".getBytes()), "byte offset 0", "magic");
    }

    @Test
    void wrongTypeCode() throws IOException {
        byte[] bytes = idx(new int[] {4}, ramp(4));
        bytes[2] = 0x0D;
        IdxFormatException e = assertBad(file("floats", bytes), "byte offset 2", "expected 0x08", "found 0x0d", "float");
        assertEquals(2, e.offset());
    }

    @Test
    void zeroDimensionsOrZeroSize() throws IOException {
        assertBad(file("rank0", new byte[] {0, 0, 8, 0}), "byte offset 3", "found 0");
        byte[] bytes = idx(new int[] {2, 3}, ramp(6));
        bytes[8] = bytes[9] = bytes[10] = bytes[11] = 0;
        assertBad(file("size0", Arrays.copyOf(bytes, 12)), "byte offset 8", "dimension 1", "positive");
    }

    @Test
    void hugeDimensionsAreRejectedBeforeAllocating() throws IOException {
        byte[] bytes = {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0};  // 65536 × 65536
        assertBad(file("huge", bytes), "byte offset 8", "more than the supported");
        byte[] negative = {0, 0, 8, 1, (byte) 0x80, 0, 0, 0};
        assertBad(file("negative", negative), "byte offset 4", "2147483648");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] bytes = Arrays.copyOf(idx(new int[] {2, 3, 4}, ramp(24)), 10);
        assertBad(file("short-header", bytes), "byte offset 10", "header", "expected 16", "found 10");
        assertBad(file("empty", new byte[0]), "byte offset 0", "expected 4");
    }

    @Test
    void truncatedPayload() throws IOException {
        byte[] bytes = Arrays.copyOf(idx(new int[] {5, 28, 28}, ramp(5 * 784)), 16 + 1000);
        IdxFormatException e = assertBad(file("truncated", bytes),
                "byte offset 1016", "ended early", "need 3920 bytes", "found only 1000");
        assertEquals(1016, e.offset());
    }

    @Test
    void truncatedPayloadInGzipNamesDecompressedOffset() throws IOException {
        byte[] bytes = gzip(Arrays.copyOf(idx(new int[] {5, 28, 28}, ramp(5 * 784)), 16 + 1000));
        assertBad(file("truncated.gz", bytes), "byte offset 1016", "decompressed", "need 3920 bytes");
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] good = idx(new int[] {2, 3}, ramp(6));
        byte[] bytes = Arrays.copyOf(good, good.length + 3);
        IdxFormatException e = assertBad(file("trailing", bytes), "byte offset 18", "3 unexpected byte(s)",
                "exactly 6 bytes");
        assertEquals(18, e.offset());
        assertBad(file("trailing.gz", gzip(bytes)), "byte offset 18", "3 unexpected");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzip(idx(new int[] {100}, ramp(100)));
        assertBad(file("cut.gz", Arrays.copyOf(gz, gz.length / 2)), "gzip");
        byte[] flipped = gz.clone();
        flipped[2] = 7;  // compression method other than deflate
        assertBad(file("flags.gz", flipped), "gzip");
    }

    @Test
    void writerRejectsMismatchedShape() {
        assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.write(tmp.resolve("x"), new int[] {2, 3}, new byte[5], false));
        assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.writeLabels(tmp.resolve("y"), new int[] {1, 256}, false));
    }

    /** Bytes this thread allocated while running r (HotSpot's per-thread counter). */
    private static long allocatedBy(org.junit.jupiter.api.function.Executable r) {
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        assertThrows(IdxFormatException.class, r);
        return bean.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aHeaderClaimingAGigabyteDoesNotAllocateIt() throws IOException {
        byte[] small = new byte[18];
        small[2] = 8;
        small[3] = 1;
        small[4] = 0x40;  // one dimension of 2^30 bytes, the largest allowed, but only 10 follow
        Path raw = tmp.resolve("claims.idx");
        Files.write(raw, small);
        long bytes = allocatedBy(() -> IdxFile.read(raw));
        assertTrue(bytes < 16 << 20, "allocated " + bytes + " bytes for a " + small.length + "-byte file");
        small[4] = (byte) 0x80;  // 2^31: refused from the header
        Files.write(raw, small);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(raw));
        assertTrue(e.getMessage().contains("more than the supported " + IdxFile.MAX_DATA), e.getMessage());
    }

    @Test
    void aGzipBombAfterTheDataIsCutShort() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4});
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 512; i++) out.write(zeros);  // 512 MiB of trailing zeros, ~0.5 MB packed
        }
        Path bomb = tmp.resolve("bomb.idx.gz");
        Files.write(bomb, gz.toByteArray());
        long bytes = allocatedBy(() -> IdxFile.read(bomb));
        assertTrue(bytes < 16 << 20, "allocated " + bytes + " bytes");
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(bomb));
        assertTrue(e.getMessage().contains("at least 1048576 unexpected byte(s) after the data"), e.getMessage());
    }
}
