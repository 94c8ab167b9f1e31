package org.panamacnn.infer;

import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.PixelMap;

/** A residual block's sum: out = a + b per pixel over the real channels, NHWC, into a third buffer (b &lt; 0: a copy of a). */
final class AddOp extends PixelPairOp {
    AddOp(int a, PixelMap aMap, int b, PixelMap bMap, int out, PixelMap outMap, int h, int w, int channels) {
        super(a, aMap, b, bMap, out, outMap, h, w, channels);
    }

    @Override
    void pixel(float[] x, int xAt, float[] y, int yAt, float[] z, int zAt) {
        System.arraycopy(x, xAt, z, zAt, channels);
        if (y != null) Blas1.add(channels, y, yAt, z, zAt);
    }
}
