package org.panamacnn.io;

import java.util.Arrays;

/** A named float32 tensor as stored in a safetensors file: shape and row-major values. */
public record NamedTensor(String name, int[] shape, float[] data) {
    public NamedTensor {
        long size = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + size
                    + " values but the data has " + data.length);
        }
    }
}
