package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/**
 * An op that maps each pixel's real channels on their own, in place over the interior of NHWC
 * images (the zero border and the padding channels are not touched, since f(0) need not be 0), or
 * over flat features as 1×1 images. Where a row's pixels hold only real channels, a row is one
 * run of pixels. Split by images.
 */
abstract class InPlacePixelOp implements Op {
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
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(slot);
        boolean dense = map.perColumn() == channels; // a pixel row's real channels are contiguous
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            for (int y = 0; y < h; y++) {
                if (dense) {
                    apply(x, map.at(n, y, 0), w);
                    continue;
                }
                for (int xx = 0; xx < w; xx++) apply(x, map.at(n, y, xx), 1);
            }
        }
    }
}
