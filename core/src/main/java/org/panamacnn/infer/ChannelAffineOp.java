package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/**
 * y = scale[c]·x + shift[c] per channel of an NHWC image, in place, in one rounding (a fused
 * multiply-add): a batch norm with no convolution to fold into, or an imported model's constant
 * add / subtract / multiply (see {@link InPlacePixelOp}).
 */
final class ChannelAffineOp extends InPlacePixelOp {
    private final float[] scale, shift;

    ChannelAffineOp(int slot, PixelMap map, int h, int w, int channels, float[] scale, float[] shift) {
        super(slot, map, h, w, channels);
        this.scale = scale;
        this.shift = shift;
    }

    @Override
    void apply(float[] x, int at, int pixels) {
        for (int p = 0; p < pixels; p++, at += channels) {
            for (int c = 0; c < channels; c++) x[at + c] = Math.fma(x[at + c], scale[c], shift[c]);
        }
    }
}
