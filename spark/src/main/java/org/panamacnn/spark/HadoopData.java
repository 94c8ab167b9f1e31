package org.panamacnn.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.IdxFormatException;

/**
 * An IDX (Fashion-MNIST layout) directory on any file system Hadoop knows (file://, hdfs://,
 * s3a:// with its connector on the classpath). The driver reads the training files' headers
 * only and plans shards (record ranges) that the executors read; it loads the test set, which
 * it evaluates on.
 */
final class HadoopData {
    /** The training set as planned shards, and what the model needs to know of its images. */
    record TrainingSet(List<Shard> shards, int size, int channels, int height, int width, int classes) {}

    /** A shard's pixels must fit one Java array on its executor. */
    static final long MAX_SHARD_BYTES = Integer.MAX_VALUE - 16;

    private HadoopData() {}

    /** Plans `partitions` contiguous shards of the training set in dir (reads the headers only). */
    static TrainingSet describe(String dir, int partitions, Configuration conf) throws IOException {
        Path images = find(dir, FashionMnist.TRAIN_IMAGES, conf), labels = find(dir, FashionMnist.TRAIN_LABELS, conf);
        IdxHeader ih = header(images, conf), lh = header(labels, conf);
        ih.expectRank(3, "images × rows × columns");
        lh.expectRank(1, "labels");
        if (ih.records() != lh.records()) {
            throw new IdxFormatException(labels.toString(), 4, "label count " + lh.records() + " does not match the image count "
                    + ih.records() + " of " + images);
        }
        checkLength(images, ih, conf);
        checkLength(labels, lh, conf);
        int n = ih.records();
        if (n < partitions) throw new IllegalArgumentException(n + " training images cannot fill " + partitions + " partitions");
        if ((long) Math.ceil((double) n / partitions) * ih.recordSize() > MAX_SHARD_BYTES) {
            throw new IllegalArgumentException(n + " images of " + ih.recordSize() + " bytes in " + partitions
                    + " partitions: a shard would pass Java's 2 GB array limit; use more partitions");
        }
        List<Shard> shards = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            long from = (long) n * p / partitions, to = (long) n * (p + 1) / partitions;
            shards.add(new Shard(p, images.toString(), labels.toString(), n, from, to, 1, ih.dims()[1], ih.dims()[2],
                    FashionMnist.NUM_CLASSES));
        }
        return new TrainingSet(List.copyOf(shards), n, 1, ih.dims()[1], ih.dims()[2], FashionMnist.NUM_CLASSES);
    }

    /** The test set, read whole (the driver evaluates on it), with the same checks as one machine. */
    static Dataset testSet(String dir, Configuration conf) throws IOException {
        return FashionMnist.loadPair(read(find(dir, FashionMnist.TEST_IMAGES, conf), conf), read(find(dir, FashionMnist.TEST_LABELS, conf), conf));
    }

    /** NAME or NAME.gz in dir, fully qualified (file:/..., hdfs://...) so that executors open the same file. */
    private static Path find(String dir, String name, Configuration conf) throws IOException {
        Path base = new Path(dir);
        FileSystem fs = base.getFileSystem(conf);
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = new Path(base, candidate);
            if (fs.isFile(p)) return fs.makeQualified(p);
        }
        throw new NoSuchFileException(new Path(base, name).toString(), null, "looked for " + name + " and " + name + ".gz in " + dir);
    }

    private static IdxHeader header(Path p, Configuration conf) throws IOException {
        try (FSDataInputStream raw = p.getFileSystem(conf).open(p)) {
            int b0 = raw.read(), b1 = raw.read();
            raw.seek(0);
            return IdxHeader.read(b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw) : raw, p.toString());
        }
    }

    /** An uncompressed file must be exactly header + data long (a gzip file is checked by the executors as they read). */
    private static void checkLength(Path p, IdxHeader h, Configuration conf) throws IOException {
        long length = p.getFileSystem(conf).getFileStatus(p).getLen(), expected = h.length() + (long) h.records() * h.recordSize();
        boolean gzip;
        try (FSDataInputStream raw = p.getFileSystem(conf).open(p)) {
            gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        }
        if (!gzip && length != expected) {
            throw new IdxFormatException(p.toString(), Math.min(length, expected), "dimensions " + java.util.Arrays.toString(h.dims())
                    + " need " + expected + " bytes in all, the file has " + length);
        }
    }

    private static IdxFile read(Path p, Configuration conf) throws IOException {
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return IdxFile.read(in, p.toString());
        }
    }
}
