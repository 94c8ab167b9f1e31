package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 binary batches, image folders and per-channel normalisation. */
class ImageDataTest {
    @TempDir
    Path dir;

    @Test
    void normalisationIsPerChannelAndSurvivesTheModelFile() {
        byte[] px = new byte[2 * 2 * 4];  // 2 samples × 2 channels × 4 pixels
        for (int i = 0; i < px.length; i++) px[i] = (byte) (((i / 4) % 2 == 0) ? 51 : 204 + (i % 2) * 51);
        PixelNormalization n = PixelNormalization.of(px, 2, 4);
        assertEquals(0.2f, n.mean()[0], 1e-6f);
        assertEquals(1f, n.std()[0], 0f);  // a constant channel gets std 1
        assertEquals(0.9f, n.mean()[1], 1e-6f);
        assertEquals(0.1f, n.std()[1], 1e-6f);
        assertEquals(n, PixelNormalization.fromMetadata(n.toMetadata()));
        assertEquals(PixelNormalization.FASHION_MNIST, PixelNormalization.fromMetadata(null));
        assertEquals(Dataset.normalize(77), PixelNormalization.FASHION_MNIST.apply(0, 77), 0f);
        assertThrows(IllegalArgumentException.class, () -> PixelNormalization.fromMetadata("0.5;0"));
        Dataset d = Dataset.fromPixels(px, new int[] {0, 1}, 2, 2, 2, 2, n);
        float[] s = new float[8];
        d.copySample(1, s, 0);
        assertEquals(n.apply(0, 51), s[0], 0f);
        assertEquals(n.apply(1, px[12] & 0xff), s[4], 0f);
    }

    @Test
    void readsCifar10BinaryBatches() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        byte[][] files = new byte[2][];
        for (int f = 0; f < 2; f++) {
            files[f] = new byte[3 * Cifar10.RECORD];
            r.nextBytes(files[f]);
            for (int k = 0; k < 3; k++) files[f][k * Cifar10.RECORD] = (byte) ((k + f) % 10);
        }
        Files.write(dir.resolve("data_batch_1.bin"), files[0]);
        Files.write(dir.resolve("test_batch.bin"), files[1]);
        assertTrue(Cifar10.isCifar(dir));
        LabelledData d = DataSets.load(dir, ImageFolder.Options.defaults(1));
        assertEquals(3, d.train().size());
        assertEquals(3, d.train().channels());
        assertEquals(32, d.train().height());
        assertEquals(2, d.train().label(2));
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"), d.classes());
        float[] s = new float[3072];
        d.train().copySample(1, s, 0);
        // sample 1, green plane, pixel 5: byte 1 + 1024 + 5 of record 1
        assertEquals(d.normalization().apply(1, files[0][Cifar10.RECORD + 1 + 1024 + 5] & 0xff), s[1024 + 5], 0f);
        Files.write(dir.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(files[0], 100));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Cifar10.load(dir));
        assertTrue(e.getMessage().contains("not a whole number of 3073-byte"), e.getMessage());
    }

    private static void png(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, x < w / 2 ? rgb : 0);
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void readsAnImageFolderWithASeededHeldOutPart() throws IOException {
        for (int i = 0; i < 10; i++) {
            png(dir.resolve("red").resolve(i + ".png"), 12, 8, 0xff0000);
            png(dir.resolve("blue").resolve(i + ".png"), 24, 16, 0x0000ff);  // other sizes are scaled
        }
        LabelledData d = DataSets.load(dir, new ImageFolder.Options(0, 0, 0, 0.2, 5));
        assertEquals(List.of("blue", "red"), d.classes());
        assertEquals(16, d.train().size());
        assertEquals(4, d.test().size());
        assertArrayEquals(new int[] {8, 8}, d.train().classCounts());
        assertEquals(3, d.train().channels());
        assertEquals(16, d.train().height());  // the first image's size: classes sorted, blue first, 24x16
        assertEquals(24, d.train().width());
        LabelledData again = DataSets.load(dir, new ImageFolder.Options(0, 0, 0, 0.2, 5));
        assertArrayEquals(d.test().images(), again.test().images());  // the split is seeded
        LabelledData grey = DataSets.load(dir, new ImageFolder.Options(10, 10, 1, 0.2, 5));
        assertEquals(1, grey.train().channels());
        assertEquals(10, grey.train().width());
        // red images: the left half red, so channel 0 (red) is bright there, channel 2 (blue) dark
        Dataset reds = d.train();
        float[] s = new float[3 * 16 * 24];
        for (int i = 0; i < reds.size(); i++) {
            if (reds.label(i) != 1) continue;
            reds.copySample(i, s, 0);
            assertTrue(s[0] > 0 && s[2 * 384] < 0, "red plane " + s[0] + " vs blue plane " + s[2 * 384]);
            break;
        }
    }

    @Test
    void trainAndTestFoldersAndBadFoldersAreReported() throws IOException {
        for (String part : new String[] {"train", "test"}) {
            for (int i = 0; i < 3; i++) {
                png(dir.resolve(part).resolve("a").resolve(i + ".png"), 6, 6, 0xffffff);
                png(dir.resolve(part).resolve("b").resolve(i + ".png"), 6, 6, 0x808080);
            }
        }
        LabelledData d = ImageFolder.load(dir, ImageFolder.Options.defaults(1));
        assertEquals(6, d.train().size());
        assertEquals(6, d.test().size());
        Path bad = dir.resolve("bad");
        png(bad.resolve("x").resolve("0.png"), 4, 4, 1);
        png(bad.resolve("x").resolve("1.png"), 4, 4, 1);
        png(bad.resolve("y").resolve("1.png"), 4, 4, 1);
        Files.writeString(bad.resolve("y").resolve("0.png"), "not an image");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFolder.load(bad, new ImageFolder.Options(0, 0, 0, 0.5, 1)));
        assertTrue(e.getMessage().contains("0.png"), e.getMessage());
        Path one = dir.resolve("one");
        png(one.resolve("only").resolve("0.png"), 4, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(one, ImageFolder.Options.defaults(1)));
    }
}
