package org.panamacnn.spark;

import java.io.Serializable;
import org.panamacnn.data.Dataset;

/** One fixed partition of the training set, as raw pixels (4× smaller than floats on the wire). */
record Shard(int index, byte[] pixels, int[] labels, int channels, int height, int width, int classes) implements Serializable {
    Dataset dataset() {
        return Dataset.fromPixels(pixels, labels, channels, height, width, classes);
    }

    int size() {
        return labels.length;
    }
}
