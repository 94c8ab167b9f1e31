package org.panamacnn.infer;

import org.panamacnn.simd.NhwcPool;
import org.panamacnn.simd.NhwcWindowPool;
import org.panamacnn.simd.PixelMap;

/**
 * A max- or average-pool with ceil mode or a padded average ({@link org.panamacnn.nn.WindowPool2d}),
 * NHWC in and out: every window clipped to the image (the input's border is never read), the
 * average divided as PyTorch divides. Split by images.
 */
final class WindowPoolOp extends ImageOp {
    private final int in, out, h, w, window, stride, pad, oh, ow, channels;
    private final boolean average, countPad;
    private final PixelMap inMap, outMap;

    WindowPoolOp(int in, PixelMap inMap, int h, int w, int channels, boolean average, int window, int stride, int pad, boolean countPad,
                 int out, PixelMap outMap, int oh, int ow) {
        this.in = in;
        this.inMap = inMap;
        this.h = h;
        this.w = w;
        this.channels = channels;
        this.average = average;
        this.window = window;
        this.stride = stride;
        this.pad = pad;
        this.countPad = countPad;
        this.out = out;
        this.outMap = outMap;
        this.oh = oh;
        this.ow = ow;
    }

    @Override
    void runImage(Workspace ws, int n) {
        if (average) {
            NhwcWindowPool.average(ws.buffer(in), inMap, h, w, window, stride, pad, countPad, ws.buffer(out), outMap, n, oh, ow, channels);
        } else {
            NhwcPool.maxPadded(ws.buffer(in), inMap, h, w, window, stride, pad, ws.buffer(out), outMap, n, oh, ow, channels);
        }
    }
}
