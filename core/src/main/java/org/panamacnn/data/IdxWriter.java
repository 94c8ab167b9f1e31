package org.panamacnn.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files, raw or gzip. Java's gzip header carries no time stamp,
 * so the same content always gives the same bytes.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /**
     * Writes {@code data} (row-major, read as unsigned bytes) with dimension sizes {@code dims}
     * to {@code file}, gzip-compressed if {@code gzip}. Replaces an existing file.
     *
     * @throws IllegalArgumentException if a size is not positive, there are more than 255
     *         dimensions, or {@code data.length} is not the product of {@code dims}
     */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        checkShape(dims, data);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (gzip) {
                try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
                    write(gz, dims, data);
                }
            } else {
                write(out, dims, data);
            }
        }
    }

    /** Writes an uncompressed IDX stream; flushes but does not close {@code out}. */
    public static void write(OutputStream out, int[] dims, byte[] data) throws IOException {
        checkShape(dims, data);
        DataOutputStream header = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        header.writeByte(0);
        header.writeByte(0);
        header.writeByte(IdxFile.TYPE_UNSIGNED_BYTE);
        header.writeByte(dims.length);
        for (int size : dims) {
            header.writeInt(size);  // DataOutputStream is big-endian, as IDX wants
        }
        header.write(data);
        header.flush();
    }

    /** Writes class labels as a 1-D IDX file, e.g. the output of {@code predict}. */
    public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        byte[] data = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i]
                        + "; an unsigned-byte IDX file holds only 0..255");
            }
            data[i] = (byte) labels[i];
        }
        write(file, new int[] {labels.length}, data, gzip);
    }

    private static void checkShape(int[] dims, byte[] data) {
        if (dims.length == 0 || dims.length > 255) {
            throw new IllegalArgumentException("IDX needs 1..255 dimensions, got " + dims.length);
        }
        long product = 1;
        for (int size : dims) {
            if (size <= 0) {
                throw new IllegalArgumentException("dimension sizes must be positive: " + Arrays.toString(dims));
            }
            product *= size;
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " are too large");
            }
        }
        if (product != data.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " need " + product
                    + " bytes, data has " + data.length);
        }
    }
}
