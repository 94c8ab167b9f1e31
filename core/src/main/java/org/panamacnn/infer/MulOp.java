package org.panamacnn.infer;

import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.PixelMap;

/**
 * out = a ⊙ b per pixel over the real channels, NHWC, into a third buffer; b is either an image of
 * a's size or a 1×1 image of per-channel scales (a squeeze-and-excitation block's), read at every pixel.
 */
final class MulOp extends PixelPairOp {
    private final boolean scale;

    MulOp(int a, PixelMap aMap, int b, PixelMap bMap, boolean scale, int out, PixelMap outMap, int h, int w, int channels) {
        super(a, aMap, b, bMap, out, outMap, h, w, channels);
        this.scale = scale;
    }

    @Override
    int secondAt(PixelMap bMap, int n, int i, int j) {
        return scale ? bMap.at(n, 0, 0) : bMap.at(n, i, j);
    }

    @Override
    void pixel(float[] x, int xAt, float[] y, int yAt, float[] z, int zAt) {
        Blas1.multiply(channels, x, xAt, y, yAt, z, zAt);
    }
}
