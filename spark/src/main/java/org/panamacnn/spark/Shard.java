package org.panamacnn.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.panamacnn.data.IdxFormatException;
import org.slf4j.LoggerFactory;

/**
 * One fixed partition of the training set, as the driver plans it: records [from, to) of an IDX
 * images file and its labels file on storage every executor can see (a path present on every
 * node, HDFS, any Hadoop file system). A few hundred bytes: this is what tasks carry; the
 * executor that computes the partition reads the records itself, so a shard lost with its
 * executor is read again wherever Spark reruns the task.
 */
record Shard(int index, String images, String labels, int records, long from, long to, int channels, int height, int width, int classes)
        implements Serializable {
    int size() {
        return (int) (to - from);
    }

    int sampleSize() {
        return channels * height * width;
    }

    /** Reads and checks this shard's images and labels. */
    ShardData read(Configuration conf) throws IOException {
        long start = System.nanoTime();
        byte[] pixels = range(images, new int[] {records, height, width}, conf);
        byte[] raw = range(labels, new int[] {records}, conf);
        int[] y = new int[raw.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = raw[i] & 0xff;
            if (y[i] >= classes) {
                throw new IdxFormatException(labels, -1, "label of image " + (from + i) + " is " + y[i] + ", expected 0.." + (classes - 1));
            }
        }
        LoggerFactory.getLogger(Shard.class).info("read shard {} (images {}..{} of {}) in {} ms", index, from, to, images,
                (System.nanoTime() - start) / 1_000_000);
        return new ShardData(pixels, y, sampleSize());
    }

    /**
     * Records [from, to) of an IDX file whose dimensions must be dims (the driver planned on
     * them). A raw file is read from an offset; gzip cannot seek, so it is decompressed up to the
     * range.
     */
    private byte[] range(String file, int[] dims, Configuration conf) throws IOException {
        Path p = new Path(file);
        try (FSDataInputStream raw = p.getFileSystem(conf).open(p)) {
            int b0 = raw.read(), b1 = raw.read();
            raw.seek(0);
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            IdxHeader h = IdxHeader.read(in, file);
            if (!java.util.Arrays.equals(h.dims(), dims)) {
                throw new IdxFormatException(file, 4, "dimensions " + java.util.Arrays.toString(h.dims()) + ", expected "
                        + java.util.Arrays.toString(dims) + " (the file changed after the driver read it?)");
            }
            long start = h.length() + from * h.recordSize(), bytes = (to - from) * h.recordSize();
            if (gzip) in.skipNBytes(from * h.recordSize());
            else raw.seek(start);
            byte[] out = in.readNBytes((int) bytes);
            if (out.length < bytes) {
                throw new IdxFormatException(file, start + out.length, "data ended early: records " + from + ".." + to + " need "
                        + bytes + " bytes from offset " + start + ", found " + out.length);
            }
            return out;
        } catch (java.io.EOFException e) {
            throw new IdxFormatException(file, -1, "data ended early: " + e.getMessage(), e);
        }
    }
}
