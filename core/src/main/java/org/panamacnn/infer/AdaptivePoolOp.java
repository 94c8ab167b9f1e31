package org.panamacnn.infer;

import org.panamacnn.simd.NhwcAdaptivePool;
import org.panamacnn.simd.PixelMap;

/**
 * An adaptive average pool ({@link org.panamacnn.nn.AdaptiveAvgPool2d}), NHWC in and out: each
 * output pixel the mean of its window of input pixels, vectors over the channels, the training
 * pass's order and bits. Split by images.
 */
final class AdaptivePoolOp extends ImageOp {
    private final int in, out, h, w, oh, ow, channels;
    private final PixelMap inMap, outMap;

    AdaptivePoolOp(int in, PixelMap inMap, int h, int w, int channels, int out, PixelMap outMap, int oh, int ow) {
        this.in = in;
        this.inMap = inMap;
        this.h = h;
        this.w = w;
        this.channels = channels;
        this.out = out;
        this.outMap = outMap;
        this.oh = oh;
        this.ow = ow;
    }

    @Override
    void runImage(Workspace ws, int n) {
        NhwcAdaptivePool.average(ws.buffer(in), inMap, h, w, ws.buffer(out), outMap, n, oh, ow, channels);
    }
}
