package org.panamacnn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file of unsigned bytes (type code 0x08), the format of MNIST and Fashion-MNIST.
 *
 * <p>Layout (big-endian): two zero bytes, the type code, the number of dimensions {@code d},
 * then {@code d} 32-bit sizes, then exactly {@code product(sizes)} bytes of data, row-major.
 * Reading checks every part of that and throws {@link IdxFormatException} on any mismatch,
 * including a truncated payload or bytes after it: a half-read data set would otherwise
 * train silently on wrong data.
 */
public final class IdxFile {
    /** IDX type code for unsigned bytes, the only type this engine reads. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;
    /**
     * Most data bytes a file may declare: 1 GiB (full Fashion-MNIST is 47 MB). Larger claims are
     * refused from the header, and memory grows only as data actually arrives, so a short file or
     * a .gz bomb whose header claims more than it holds never drives a large allocation.
     */
    public static final long MAX_DATA = 1L << 30;
    private static final int FIRST_CHUNK = 1 << 20;
    private static final long TRAILING_COUNT_LIMIT = 1 << 20;

    private final String source;
    private final int[] dims;
    private final byte[] data;

    IdxFile(String source, int[] dims, byte[] data) {
        this.source = source;
        this.dims = dims;
        this.data = data;
    }

    /** Reads {@code file}, raw or gzip; gzip is recognised by its magic bytes 1f 8b, not by the name. */
    public static IdxFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads an IDX stream, raw or gzip (detected by magic bytes). {@code source} names the
     * stream in error messages. The stream is read to its end but not closed.
     */
    public static IdxFile read(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new Parser(source, true).parse(new GZIPInputStream(buffered, 1 << 16));
            } catch (ZipException | EOFException e) {
                // A damaged or cut-off gzip stream: say so rather than leak a bare zlib message.
                throw new IdxFormatException(source, -1, "corrupt or truncated gzip data: " + e.getMessage(), e);
            }
        }
        return new Parser(source, false).parse(buffered);
    }

    /** Reads the IDX structure from a (decompressed) stream, naming {@code source} in errors. */
    private record Parser(String source, boolean gzip) {
        IdxFile parse(InputStream in) throws IOException {
            byte[] magic = readHeader(in, 0, 4);
            if (magic[0] != 0 || magic[1] != 0) {
                throw error(0, String.format("bad magic number: expected 00 00 08 <dims>, found %02x %02x %02x %02x",
                        magic[0] & 0xff, magic[1] & 0xff, magic[2] & 0xff, magic[3] & 0xff));
            }
            int type = magic[2] & 0xff;
            if (type != TYPE_UNSIGNED_BYTE) {
                throw error(2, String.format("unsupported type code: expected 0x08 (unsigned byte), found 0x%02x (%s)",
                        type, typeName(type)));
            }
            int rank = magic[3] & 0xff;
            if (rank == 0) {
                throw error(3, "dimension count: expected at least 1, found 0");
            }

            byte[] sizes = readHeader(in, 4, 4 * rank);
            int[] dims = new int[rank];
            long payload = 1;
            for (int i = 0; i < rank; i++) {
                long size = ((sizes[4 * i] & 0xffL) << 24) | ((sizes[4 * i + 1] & 0xff) << 16)
                        | ((sizes[4 * i + 2] & 0xff) << 8) | (sizes[4 * i + 3] & 0xff);
                long at = 4 + 4L * i;
                if (size == 0) {
                    throw error(at, "size of dimension " + i + ": expected a positive number, found 0");
                }
                payload *= size;  // both factors < 2^31, so no long overflow before the check below
                if (payload > MAX_DATA) {
                    throw error(at, "size of dimension " + i + " is " + size + ": the dimensions so far need "
                            + payload + " data bytes, more than the supported " + MAX_DATA);
                }
                dims[i] = (int) size;
            }

            long headerLength = 4 + 4L * rank;
            byte[] data = readUpTo(in, (int) payload);
            int got = data.length;
            if (got < payload) {
                throw error(headerLength + got, "data ended early: dimensions " + Arrays.toString(dims) + " need "
                        + payload + " bytes after the " + headerLength + "-byte header, found only " + got);
            }
            long trailing = countRest(in);
            if (trailing > 0) {
                throw error(headerLength + payload, (trailing >= TRAILING_COUNT_LIMIT ? "at least " : "") + trailing
                        + " unexpected byte(s) after the data: dimensions "
                        + Arrays.toString(dims) + " need exactly " + payload + " bytes after the " + headerLength
                        + "-byte header");
            }
            return new IdxFile(source, dims, data);
        }

        /** Reads up to n bytes, growing the buffer as they arrive (at most 2× what was read). */
        private static byte[] readUpTo(InputStream in, int n) throws IOException {
            byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
            int got = 0;
            while (true) {
                got += in.readNBytes(buf, got, buf.length - got);
                if (got < buf.length || got == n) return got == buf.length ? buf : Arrays.copyOf(buf, got);
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
        }

        private byte[] readHeader(InputStream in, long at, int length) throws IOException {
            byte[] bytes = new byte[length];
            int got = in.readNBytes(bytes, 0, length);
            if (got < length) {
                throw error(at + got, "file ended inside the header: expected " + (at + length)
                        + " header bytes, found " + (at + got));
            }
            return bytes;
        }

        private IdxFormatException error(long offset, String problem) {
            return new IdxFormatException(source, offset,
                    gzip ? problem + " (offset in the decompressed data)" : problem);
        }
    }

    /** Bytes left in the stream, counted up to 1 MiB: enough to report, bounded against gzip bombs. */
    private static long countRest(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long total = 0;
        for (int n; total < TRAILING_COUNT_LIMIT && (n = in.read(sink)) > 0; ) {
            total += n;
        }
        return total;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }

    /** Where this was read from, as used in error messages. */
    public String source() {
        return source;
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The dimension sizes, outermost first (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }

    /** The number of data bytes (the product of the dimensions). */
    public int length() {
        return data.length;
    }

    /** Data byte {@code i} as an unsigned value 0..255. */
    public int unsignedAt(int i) {
        return data[i] & 0xff;
    }

    /** The data bytes, row-major; read each with {@code & 0xff} (a copy). */
    public byte[] bytes() {
        return data.clone();
    }

    /** The data without a copy, for loaders in this package that only read it. */
    byte[] rawBytes() {
        return data;
    }

    /** The byte offset of data byte 0 in the (decompressed) file. */
    public int headerLength() {
        return 4 + 4 * dims.length;
    }
}
