package org.panamacnn.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.data.IdxFile;

/**
 * Reads an IDX (Fashion-MNIST layout) directory from any file system Hadoop knows (file://,
 * hdfs://, s3a:// with its connector on the classpath), with the same validation as one machine.
 */
final class HadoopData {
    /** Training images as raw pixels (for shards) and both sets as data sets (for the driver). */
    record Loaded(byte[] trainPixels, int[] trainLabels, Dataset train, Dataset test) {}

    private HadoopData() {}

    static Loaded load(String dir, Configuration conf) throws IOException {
        IdxFile trainImages = read(dir, FashionMnist.TRAIN_IMAGES, conf), trainLabels = read(dir, FashionMnist.TRAIN_LABELS, conf);
        Dataset train = FashionMnist.loadPair(trainImages, trainLabels);
        Dataset test = FashionMnist.loadPair(read(dir, FashionMnist.TEST_IMAGES, conf), read(dir, FashionMnist.TEST_LABELS, conf));
        int[] labels = new int[train.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = train.label(i);
        return new Loaded(trainImages.bytes(), labels, train, test);
    }

    /** NAME or NAME.gz in dir (gzip is recognised by content). */
    private static IdxFile read(String dir, String name, Configuration conf) throws IOException {
        Path base = new Path(dir);
        FileSystem fs = base.getFileSystem(conf);
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = new Path(base, candidate);
            if (fs.isFile(p)) {
                try (InputStream in = fs.open(p)) {
                    return IdxFile.read(in, p.toString());
                }
            }
        }
        throw new NoSuchFileException(new Path(base, name).toString(), null, "looked for " + name + " and " + name + ".gz in " + dir);
    }
}
