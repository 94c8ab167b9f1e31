package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void normalisationOfExtremePixels() {
        assertEquals((0f - 0.2860f) / 0.3530f, Dataset.normalize(0), 0f);
        assertEquals((1f - 0.2860f) / 0.3530f, Dataset.normalize(255), 0f);
        assertEquals(-0.810198f, Dataset.normalize(0), 1e-5f);
        assertEquals(2.022663f, Dataset.normalize(255), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> Dataset.normalize(256));
    }

    @Test
    void fromPixelsNormalisesUnsignedBytes() {
        Dataset d = Dataset.fromPixels(new byte[] {0, (byte) 255, (byte) 128, 1}, new int[] {3, 7}, 1, 1, 2, 10);
        assertArrayEquals(new float[] {Dataset.normalize(0), Dataset.normalize(255),
                                       Dataset.normalize(128), Dataset.normalize(1)}, d.images());
        assertArrayEquals(new int[] {3, 7}, d.labels());
        assertEquals(2, d.sampleSize());
    }

    @Test
    void subsetAndCopySample() {
        float[] images = new float[5 * 2 * 3];
        for (int i = 0; i < images.length; i++) {
            images[i] = i;
        }
        Dataset d = Dataset.of(images, new int[] {0, 1, 2, 1, 0}, 2, 1, 3, 3);
        Dataset sub = d.subset(1, 4);
        assertEquals(3, sub.size());
        assertArrayEquals(new int[] {1, 2, 1}, sub.labels());
        assertEquals(2, sub.label(1));
        assertArrayEquals(new int[] {0, 2, 1}, sub.classCounts());
        float[] buf = new float[8];
        sub.copySample(2, buf, 1);
        assertArrayEquals(new float[] {0, 18, 19, 20, 21, 22, 23, 0}, buf);
        assertEquals(18f, sub.images()[12]);
        assertEquals(1, sub.subset(1, 2).size());
        assertEquals(2, sub.subset(1, 2).label(0));

        assertThrows(IndexOutOfBoundsException.class, () -> sub.copySample(3, buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> sub.copySample(0, buf, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(2, 6));
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[5], new int[] {0, 0}, 1, 1, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[2], new int[] {0, 10}, 1, 1, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[2], new int[] {0, -1}, 1, 1, 1, 10));
    }
}
