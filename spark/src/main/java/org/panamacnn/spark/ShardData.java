package org.panamacnn.spark;

import java.io.Serializable;
import org.panamacnn.data.Dataset;

/**
 * A shard's records as an executor holds them between rounds: raw pixels (a quarter of the
 * floats' size) normalised sample by sample as batches are filled, as {@link Dataset#fromPixels}
 * normalises them.
 */
record ShardData(byte[] pixels, int[] labels, int sampleSize) implements Serializable {
    int size() {
        return labels.length;
    }

    int label(int i) {
        return labels[i];
    }

    void copySample(int i, float[] dst, int at) {
        int from = i * sampleSize;
        for (int k = 0; k < sampleSize; k++) dst[at + k] = Dataset.normalize(pixels[from + k] & 0xff);
    }
}
