package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Photos decoded batch by batch: same batches whatever the threads, bounded buffers, errors that name the file. */
class PhotoFolderTest {
    private static final int S = 24;

    @TempDir
    Path dir;

    private PhotoFolder.Split open(int decoders, int ahead) throws IOException {
        return PhotoFolder.open(dir, new ImageFolder.Options(S, S, 3, 0.25, 5), null, decoders, ahead);
    }

    /** All of an epoch's batches, concatenated: images, then labels as floats. */
    private static List<float[]> epoch(BatchSource source, int epoch, int batch, boolean shuffle) {
        List<float[]> out = new ArrayList<>();
        float[] images = new float[batch * source.channels() * source.height() * source.width()];
        int[] labels = new int[batch];
        try (BatchSource.Batches b = source.batches(epoch, batch, shuffle, 7)) {
            for (int n; (n = b.next(images, labels)) > 0; ) {
                out.add(Arrays.copyOf(images, n * source.channels() * source.height() * source.width()));
                float[] l = new float[n];
                for (int i = 0; i < n; i++) l[i] = labels[i];
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void theSameBatchesWhateverTheDecoderCountAndTiming() throws IOException {
        Photos.folder(dir, 12, 60, 45);
        PhotoFolder.Split one = open(1, 1), many = open(3, 4);
        assertEquals(18, one.train().size());
        assertEquals(6, one.test().size());
        List<float[]> a = epoch(one.train(), 1, 5, true), b = epoch(many.train(), 1, 5, true);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "batch part " + i);
        List<float[]> other = epoch(one.train(), 2, 5, true);
        assertFalse(Arrays.equals(a.getFirst(), other.getFirst()), "another epoch, another order and other crops");
        List<float[]> t1 = epoch(one.test(), 0, 4, false), t2 = epoch(many.test(), 3, 4, false);
        for (int i = 0; i < t1.size(); i++) assertArrayEquals(t1.get(i), t2.get(i), "test images are centre crops, every epoch");
    }

    @Test
    void trainingOrderIsTheInMemoryShuffleAndTestImagesAreCentreCrops() throws IOException {
        Photos.folder(dir, 6, 50, 40);
        PhotoFolder train = open(2, 2).train(), test = open(2, 2).test();
        int[] order = new int[train.size()];
        BatchIterator.shuffle(order, 7, 3);
        List<float[]> batches = epoch(train, 3, order.length, true);
        float[] labels = batches.get(1);
        for (int k = 0; k < order.length; k++) assertEquals(train.label(order[k]), (int) labels[k]);
        // a test image is the resize to ⌊24·256/224⌋ = 27 on the shorter side, centre crop, ImageNet's normalisation
        BufferedImage picture = ImageFiles.read(test.file(0));
        byte[] px = new byte[3 * S * S];
        PhotoTransform.centre(picture, 3, S, S, px, 0);
        float[] first = epoch(test, 0, 1, false).getFirst();
        for (int i = 0; i < px.length; i++) assertEquals(PixelNormalization.IMAGENET.apply(i / (S * S), px[i] & 0xFF), first[i], 0f);
        assertEquals(27, PhotoTransform.resizeSide(S));
        assertEquals(256, PhotoTransform.resizeSide(224));
    }

    @Test
    void memoryIsBoundedByTheBatchesAheadNotByTheDataSet() throws IOException {
        Path one = Photos.jpeg(dir.resolve("src.jpg"), 80, 60, 3);
        for (int i = 0; i < 600; i++) {  // hard links: many photos, no disk space
            for (String c : new String[] {"a", "b"}) {
                Path to = dir.resolve("data").resolve(c).resolve(i + ".jpg");
                Files.createDirectories(to.getParent());
                Files.createLink(to, one);
            }
        }
        PhotoFolder train = PhotoFolder.open(dir.resolve("data"), new ImageFolder.Options(S, S, 3, 0.1, 1), null, 2, 3).train();
        float[] images = new float[4 * 3 * S * S];
        int[] labels = new int[4];
        long seen = 0;
        try (PrefetchedBatches b = (PrefetchedBatches) train.batches(0, 4, true, 1)) {
            for (int n; (n = b.next(images, labels)) > 0; ) {
                seen += n;
                assertTrue(b.buffers() <= 3, "batch buffers: " + b.buffers());
            }
            assertEquals(3, b.buffers());
            assertEquals(270, b.batchesPerEpoch());
        }
        assertEquals(train.size(), seen);
        assertEquals(1080, seen);
    }

    @Test
    void aCorruptPhotoStopsTheEpochWithItsNameAndTheDecodersEnd() throws IOException {
        Photos.folder(dir, 10, 40, 30);
        Path bad = dir.resolve("b").resolve("p5.jpg");
        byte[] good = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(good, 200));  // a truncated JPEG: found only when its batch is decoded
        PhotoFolder train = all(dir);
        PrefetchedBatches batches = train.batches(0, 3, true, 1);
        UncheckedIOException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(UncheckedIOException.class, () -> {
            float[] images = new float[3 * 3 * S * S];
            int[] labels = new int[3];
            while (batches.next(images, labels) > 0) {
                // drain until the bad photo's batch
            }
        }));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (!batches.terminated()) Thread.sleep(10);
        });
        assertThrows(IllegalStateException.class, () -> batches.next(new float[3 * 3 * S * S], new int[3]));
        // a file that vanishes mid-epoch is named too
        Files.delete(bad);
        Path gone = dir.resolve("a").resolve("p4.jpg");
        PhotoFolder again = all(dir);
        Files.delete(gone);
        UncheckedIOException e2 = assertThrows(UncheckedIOException.class, () -> epoch(again, 0, 3, true));
        assertTrue(e2.getMessage().contains(gone.toString()), e2.getMessage());
    }

    /** Every photo of dir/a and dir/b, for training. */
    private static PhotoFolder all(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String c : new String[] {"a", "b"}) {
            try (var s = Files.list(dir.resolve(c))) {
                for (Path p : s.sorted().toList()) {
                    files.add(p);
                    labels.add(c.equals("a") ? 0 : 1);
                }
            }
        }
        return new PhotoFolder(files, labels.stream().mapToInt(Integer::intValue).toArray(), 2, 3, S, S, true,
                PixelNormalization.IMAGENET, 2, 2);
    }

    @Test
    void randomResizedCropFollowsTorchvisionsRule() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            int w = r.nextInt(1, 400), h = r.nextInt(1, 400);
            PhotoTransform.Box b = PhotoTransform.randomBox(w, h, r);
            assertTrue(b.x() >= 0 && b.y() >= 0 && b.w() >= 1 && b.h() >= 1 && b.x() + b.w() <= w && b.y() + b.h() <= h, b + " in " + w + "x" + h);
        }
        // a strip too flat for any 3/4..4/3 crop of 8%+ of its area: the centre crop of ratio 4/3
        assertEquals(new PhotoTransform.Box(493, 0, 13, 10), PhotoTransform.randomBox(1000, 10, new SplittableRandom(1)));
        assertEquals(new PhotoTransform.Box(0, 493, 10, 13), PhotoTransform.randomBox(10, 1000, new SplittableRandom(1)));
        // typical photos: areas cover (0.08, 1) of the image, ratios (3/4, 4/3) up to rounding
        double minArea = 1, maxArea = 0;
        for (int i = 0; i < 2000; i++) {
            PhotoTransform.Box b = PhotoTransform.randomBox(500, 375, r);
            double area = (double) b.w() * b.h() / (500 * 375), ratio = (double) b.w() / b.h();
            minArea = Math.min(minArea, area);
            maxArea = Math.max(maxArea, area);
            assertTrue(ratio > 0.74 && ratio < 1.35, "ratio " + ratio);
        }
        assertTrue(minArea < 0.1 && maxArea > 0.7, minArea + " .. " + maxArea);
    }

    @Test
    void greyPhotosKeepTheirSamples() {
        BufferedImage grey = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 30; x++) grey.getRaster().setSample(x, y, 0, x * 8);
        byte[] planes = PhotoTransform.planes(grey, 3, new PhotoTransform.Box(2, 3, 5, 4));
        for (int c = 0; c < 3; c++) assertEquals(16, planes[c * 20] & 0xFF);
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x808080);
        // Pillow's convert("L"): (19595 R + 38470 G + 7471 B + 2^15) >> 16
        assertArrayEquals(new byte[] {76, (byte) 128}, PhotoTransform.planes(rgb, 1, new PhotoTransform.Box(0, 0, 2, 1)));
    }
}
