package org.panamacnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.IdxFormatException;
import org.panamacnn.data.IdxWriter;

/** The driver plans shards from the files' headers; executors read their record ranges, raw or gzip, and check them. */
class HadoopDataTest {
    private static final Path SAMPLE = Path.of("../data/fashion-mnist-sample");
    private final Configuration conf = new Configuration();

    @TempDir
    Path dir;

    @Test
    void shardsReadFromRawAndGzipFilesAreTheRecordsOfTheWholeFile() throws IOException {
        IdxFile images = IdxFile.read(SAMPLE.resolve(FashionMnist.TRAIN_IMAGES + ".gz")), labels = IdxFile.read(SAMPLE.resolve(FashionMnist.TRAIN_LABELS + ".gz"));
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_IMAGES), images.dims(), images.bytes(), false);
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_LABELS), labels.dims(), labels.bytes(), false);
        // 3 partitions of 10,000: 3,333 / 3,333 / 3,334 records
        HadoopData.TrainingSet gz = HadoopData.describe(SAMPLE.toString(), 3, conf), raw = HadoopData.describe(dir.toString(), 3, conf);
        assertEquals(10_000, raw.size());
        assertEquals(List.of(3333, 3333, 3334), raw.shards().stream().map(Shard::size).toList());
        int at = 0;
        for (int p = 0; p < 3; p++) {
            ShardData a = raw.shards().get(p).read(conf), b = gz.shards().get(p).read(conf);
            assertArrayEquals(a.pixels(), b.pixels());
            assertArrayEquals(a.labels(), b.labels());
            assertArrayEquals(java.util.Arrays.copyOfRange(images.bytes(), at * 784, (at + a.size()) * 784), a.pixels(), "shard " + p);
            for (int i = 0; i < a.size(); i++) assertEquals(labels.unsignedAt(at + i), a.label(i));
            at += a.size();
        }
        assertEquals(10_000, at);
    }

    @Test
    void aShardIsADescriptionOfAFewHundredBytesNotItsData() throws IOException {
        Shard s = HadoopData.describe(SAMPLE.toString(), 2, conf).shards().getFirst();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        assertTrue(bytes.size() < 1024, bytes.size() + " bytes");
        assertTrue(s.images().startsWith("file:/"), s.images());  // qualified: executors open the same file
    }

    @Test
    void badFilesAreNamedWithWhatIsWrong() throws IOException {
        IdxFile images = IdxFile.read(SAMPLE.resolve(FashionMnist.TRAIN_IMAGES + ".gz"));
        byte[] few = java.util.Arrays.copyOf(images.bytes(), 100 * 784);
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_IMAGES), new int[] {100, 28, 28}, few, false);
        byte[] y = new byte[100];
        y[57] = 12;
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_LABELS), new int[] {100}, y, false);
        Shard last = HadoopData.describe(dir.toString(), 2, conf).shards().get(1);
        var e = assertThrows(IdxFormatException.class, () -> last.read(conf));
        assertTrue(e.getMessage().contains("label of image 57 is 12, expected 0..9"), e.getMessage());

        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_LABELS), new int[] {99}, new byte[99], false);
        e = assertThrows(IdxFormatException.class, () -> HadoopData.describe(dir.toString(), 2, conf));
        assertTrue(e.getMessage().contains("label count 99 does not match the image count 100"), e.getMessage());

        // a raw file cut short: the driver sees it from its length
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_LABELS), new int[] {100}, new byte[100], false);
        byte[] whole = Files.readAllBytes(dir.resolve(FashionMnist.TRAIN_IMAGES));
        Files.write(dir.resolve(FashionMnist.TRAIN_IMAGES), java.util.Arrays.copyOf(whole, whole.length - 10));
        e = assertThrows(IdxFormatException.class, () -> HadoopData.describe(dir.toString(), 2, conf));
        assertTrue(e.getMessage().contains("the file has " + (whole.length - 10)), e.getMessage());

        var missing = assertThrows(java.nio.file.NoSuchFileException.class, () -> HadoopData.describe(dir.resolve("nowhere").toString(), 2, conf));
        assertTrue(missing.getMessage().contains(FashionMnist.TRAIN_IMAGES), missing.getMessage());
        var tooMany = assertThrows(IllegalArgumentException.class, () -> HadoopData.describe(SAMPLE.toString(), 10_001, conf));
        assertTrue(tooMany.getMessage().contains("cannot fill 10001 partitions"), tooMany.getMessage());
    }
}
