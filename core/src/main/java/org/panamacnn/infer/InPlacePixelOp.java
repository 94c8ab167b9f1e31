package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/**
 * An op that maps each pixel's real channels on their own, in place over the interior of NHWC
 * images (the zero border and the padding channels are not touched, since f(0) need not be 0), or
 * over flat features as 1×1 images. Where a row's pixels hold only real channels, a row is one
 * run of pixels. Split by images.
 */
abstract class InPlacePixelOp extends ImageOp {
    private final int slot, h, w;
    final int channels;
    private final PixelMap map;

    InPlacePixelOp(int slot, PixelMap map, int h, int w, int channels) {
        this.slot = slot;
        this.map = map;
        this.h = h;
        this.w = w;
        this.channels = channels;
    }

    /** Maps `pixels` pixels of `channels` floats each, one after the other from x[at]. */
    abstract void apply(float[] x, int at, int pixels);

    @Override
    void runImage(Workspace ws, int n) {
        float[] x = ws.buffer(slot);
        boolean dense = map.perColumn() == channels; // a pixel row's real channels are contiguous
        for (int y = 0; y < h; y++) {
            if (dense) {
                apply(x, map.at(n, y, 0), w);
                continue;
            }
            for (int xx = 0; xx < w; xx++) apply(x, map.at(n, y, xx), 1);
        }
    }
}
