package org.panamacnn.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.IdxFormatException;

/**
 * The header of an IDX file of unsigned bytes: its dimensions and where the data starts. The
 * driver reads only this (it plans record ranges from it); the executors read the records.
 */
record IdxHeader(String source, int[] dims, int length) {
    /** Reads the header from the (decompressed) start of an IDX stream. */
    static IdxHeader read(InputStream in, String source) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[4];
        readFully(d, magic, source, 0);
        if (magic[0] != 0 || magic[1] != 0 || (magic[2] & 0xff) != IdxFile.TYPE_UNSIGNED_BYTE || magic[3] == 0) {
            throw new IdxFormatException(source, 0, String.format(
                    "bad magic number: expected 00 00 08 <dims>, found %02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3]));
        }
        int[] dims = new int[magic[3] & 0xff];
        byte[] size = new byte[4];
        for (int i = 0; i < dims.length; i++) {
            readFully(d, size, source, 4 + 4L * i);
            long v = ((size[0] & 0xffL) << 24) | ((size[1] & 0xff) << 16) | ((size[2] & 0xff) << 8) | (size[3] & 0xff);
            if (v <= 0 || v > Integer.MAX_VALUE) throw new IdxFormatException(source, 4 + 4L * i, "size of dimension " + i + " is " + v);
            dims[i] = (int) v;
        }
        return new IdxHeader(source, dims, 4 + 4 * dims.length);
    }

    private static void readFully(DataInputStream d, byte[] b, String source, long at) throws IOException {
        try {
            d.readFully(b);
        } catch (java.io.EOFException e) {
            throw new IdxFormatException(source, at, "file ends inside the header", e);
        }
    }

    int records() {
        return dims[0];
    }

    /** Bytes per record: the product of the dimensions after the first. */
    long recordSize() {
        long s = 1;
        for (int i = 1; i < dims.length; i++) s *= dims[i];
        return s;
    }

    void expectRank(int rank, String what) throws IdxFormatException {
        if (dims.length != rank) {
            throw new IdxFormatException(source, 3, "expected " + rank + " dimension(s) (" + what + "), found " + dims.length + " "
                    + Arrays.toString(dims));
        }
    }
}
