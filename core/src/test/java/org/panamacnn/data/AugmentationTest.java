package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final PixelNormalization NORM = new PixelNormalization(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.5f});

    private static float[] random(int n) {
        SplittableRandom r = new SplittableRandom(n);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void cropAndFlipFollowTheirDefinition() {
        int c = 2, h = 5, w = 7, pad = 2;
        float[] src = random(c * h * w), dst = new float[c * h * w], black = {-1f, -0.5f};
        // offset (pad, pad) without a flip is the identity
        Augmentation.cropFlip(src, dst, 0, c, h, w, pad, pad, pad, false, black);
        assertArrayEquals(src, dst);
        // offset (0, 0): the image moves down-right by pad, black enters at the top and left
        Augmentation.cropFlip(src, dst, 0, c, h, w, pad, 0, 0, false, black);
        assertEquals(black[1], dst[(1 * h + 1) * w + 4], 0f);
        assertEquals(src[(1 * h + 0) * w + 3], dst[(1 * h + 2) * w + 5], 0f);
        // a flip twice is the identity; once, it mirrors each row
        float[] once = new float[dst.length], twice = new float[dst.length];
        Augmentation.cropFlip(src, once, 0, c, h, w, pad, pad, pad, true, black);
        Augmentation.cropFlip(once, twice, 0, c, h, w, pad, pad, pad, true, black);
        assertArrayEquals(src, twice);
        assertEquals(src[(0 * h + 3) * w + 0], once[(0 * h + 3) * w + 6], 0f);
    }

    @Test
    void choicesAreSeededByEpochAndBatchAndCoverEveryOffset() {
        int c = 2, h = 6, w = 6, n = 64;
        float[] batch = random(n * c * h * w);
        float[] a = batch.clone(), b = batch.clone(), other = batch.clone();
        new Augmentation(3, true, 9, c, h, w, NORM).apply(a, n, 2, 5);
        new Augmentation(3, true, 9, c, h, w, NORM).apply(b, n, 2, 5);
        new Augmentation(3, true, 9, c, h, w, NORM).apply(other, n, 2, 6);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, other));
        // every crop offset and both flips occur over enough samples; black is the normalised 0 pixel
        Set<Integer> offsets = new HashSet<>();
        int flips = 0, total = 0;
        Augmentation aug = new Augmentation(1, true, 1, 1, 3, 3, PixelNormalization.FASHION_MNIST);
        for (int batchIndex = 0; batchIndex < 40; batchIndex++) {
            float[] img = new float[9 * 16];
            for (int i = 0; i < 16; i++) for (int k = 0; k < 9; k++) img[i * 9 + k] = 10 + k;  // values 10..18
            aug.apply(img, 16, 0, batchIndex);
            for (int i = 0; i < 16; i++, total++) {
                float centre = img[i * 9 + 4];
                boolean blackTop = img[i * 9 + 1] == PixelNormalization.FASHION_MNIST.apply(0, 0);
                offsets.add((int) centre * 10 + (blackTop ? 1 : 0));
                if (img[i * 9 + 4] == 14 && img[i * 9 + 3] == 15) flips++;
            }
        }
        assertEquals(9, offsets.stream().map(v -> v / 10).distinct().count(), "every centre value: " + offsets);
        assertTrue(flips > total / 9 / 4 && flips < total / 9, "flips at offset (1,1): " + flips + " of ~" + total / 9);
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(7, false, 1, 1, 6, 6, PixelNormalization.FASHION_MNIST));
    }
}
