package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    // Surefire runs with the module directory (core/) as working directory.
    private static final Path SAMPLE = Path.of("../data/fashion-mnist-sample");

    @TempDir
    Path tmp;

    /** Writes a small valid set: n images of rows×cols and labels i % 10, under the standard names. */
    private void writeSet(String prefix, int n, int rows, int cols, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        String gz = gzip ? ".gz" : "";
        IdxWriter.write(tmp.resolve(prefix + "-images-idx3-ubyte" + gz), new int[] {n, rows, cols}, pixels, gzip);
        IdxWriter.writeLabels(tmp.resolve(prefix + "-labels-idx1-ubyte" + gz), labels, gzip);
    }

    private static void assertMentions(Exception e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "no '" + fragment + "' in: " + e.getMessage());
        }
    }

    @Test
    void loadsRawAndGzipFiles() throws IOException {
        writeSet("train", 30, 4, 3, true);
        writeSet("t10k", 12, 4, 3, false);
        FashionMnist fm = FashionMnist.load(tmp);
        assertEquals(30, fm.train().size());
        assertEquals(12, fm.test().size());
        assertEquals(1, fm.train().channels());
        assertEquals(4, fm.train().height());
        assertEquals(3, fm.train().width());
        assertEquals(10, fm.train().numClasses());
        assertEquals(7, fm.train().label(17));
        float[] sample = new float[12];
        fm.test().copySample(1, sample, 0);
        assertEquals(Dataset.normalize(12), sample[0]);
    }

    @Test
    void missingFileListsWhatWasLookedFor() throws IOException {
        writeSet("train", 10, 2, 2, false);
        Files.delete(tmp.resolve("train-labels-idx1-ubyte"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(tmp));
        assertMentions(e, tmp.toString(), "train-labels-idx1-ubyte and train-labels-idx1-ubyte.gz");
        NoSuchFileException noDir = assertThrows(NoSuchFileException.class,
                () -> FashionMnist.load(tmp.resolve("nowhere")));
        assertMentions(noDir, "nowhere", "not a directory", "train-images-idx3-ubyte.gz");
    }

    @Test
    void labelOutOfRangeNamesFileAndOffset() throws IOException {
        writeSet("train", 20, 2, 2, false);
        writeSet("t10k", 10, 2, 2, false);
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[8 + 6] = 10;
        bytes[8 + 9] = (byte) 200;
        Files.write(labels, bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(tmp));
        assertMentions(e, labels.toString(), "byte offset 14", "image 6 is 10", "expected 0..9");
        assertEquals(14, e.offset());
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        writeSet("train", 20, 2, 2, false);
        IdxWriter.writeLabels(tmp.resolve("train-labels-idx1-ubyte"), new int[19], false);
        writeSet("t10k", 10, 2, 2, false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(tmp));
        assertMentions(e, "train-labels-idx1-ubyte", "label count 19", "image count 20", "train-images-idx3-ubyte");
    }

    @Test
    void wrongRank() throws IOException {
        writeSet("t10k", 10, 2, 2, false);
        IdxWriter.write(tmp.resolve("train-images-idx3-ubyte"), new int[] {10, 4}, new byte[40], false);
        IdxWriter.writeLabels(tmp.resolve("train-labels-idx1-ubyte"), new int[10], false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(tmp));
        assertMentions(e, "train-images-idx3-ubyte", "expected 3 dimensions", "found 2 [10, 4]");
    }

    @Test
    void trainAndTestImageSizesMustAgree() throws IOException {
        writeSet("train", 10, 28, 28, false);
        writeSet("t10k", 10, 28, 27, false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(tmp));
        assertMentions(e, tmp.toString(), "28×28", "28×27");
    }

    @Test
    void malformedFileInTheDirectoryNamesThatFile() throws IOException {
        writeSet("train", 10, 2, 2, false);
        writeSet("t10k", 10, 2, 2, false);
        Path images = tmp.resolve("t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 1));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(tmp));
        assertMentions(e, images.toString(), "byte offset 55", "need 40 bytes", "found only 39");
    }

    @Test
    void bundledSampleIsClassBalanced() throws IOException {
        FashionMnist fm = FashionMnist.load(SAMPLE);
        Dataset train = fm.train();
        Dataset test = fm.test();
        assertEquals(10_000, train.size());
        assertEquals(2_000, test.size());
        for (Dataset d : new Dataset[] {train, test}) {
            assertEquals(1, d.channels());
            assertEquals(28, d.height());
            assertEquals(28, d.width());
            assertEquals(10, d.numClasses());
            assertEquals(d.size() * 784, d.images().length);
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1_000);
        assertArrayEquals(thousand, train.classCounts());
        int[] twoHundred = new int[10];
        Arrays.fill(twoHundred, 200);
        assertArrayEquals(twoHundred, test.classCounts());

        // Values lie in the normalised range and the sample's statistics are near the full set's.
        float[] x = train.images();
        double sum = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(Dataset.normalize(0), min);
        assertEquals(Dataset.normalize(255), max);
        assertEquals(0.0, sum / x.length, 0.05);
    }
}
