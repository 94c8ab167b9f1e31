package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/** y = x / divisor[c] per channel, in place: an imported model's division by a constant (see {@link InPlacePixelOp}). */
final class ChannelDivideOp extends InPlacePixelOp {
    private final float[] divisor;

    ChannelDivideOp(int slot, PixelMap map, int h, int w, int channels, float[] divisor) {
        super(slot, map, h, w, channels);
        this.divisor = divisor;
    }

    @Override
    void apply(float[] x, int at, int pixels) {
        for (int p = 0; p < pixels; p++, at += channels) {
            for (int c = 0; c < channels; c++) x[at + c] = x[at + c] / divisor[c];
        }
    }
}
