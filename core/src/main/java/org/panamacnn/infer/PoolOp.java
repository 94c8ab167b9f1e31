package org.panamacnn.infer;

import org.panamacnn.simd.NhwcPool;
import org.panamacnn.simd.PixelMap;

/**
 * A max- or average-pool on its own (not fused into a convolution), NHWC in and out; a max-pool
 * may be padded (padding as −∞).
 */
final class PoolOp extends ImageOp {
    private final int in, out, windowH, windowW, rowFloats, channels, oh, ow;
    private final boolean average;
    private final PixelMap corners, outMap;
    /** A padded max-pool: the input's map and size, the stride and the padding (pad 0: none). */
    private final PixelMap inMap;
    private final int h, w, stride, pad;

    /** A max-pool of an h×w input with padding pad (≥ 1) counting as −∞. */
    static PoolOp paddedMax(int in, int out, PixelMap inMap, int h, int w, int channels, int window, int stride, int pad,
                            int oh, int ow, PixelMap outMap) {
        return new PoolOp(in, out, inMap, channels, window, window, stride, stride, false, oh, ow, outMap, h, w, pad);
    }

    PoolOp(int in, int out, PixelMap inMap, int channels, int windowH, int windowW, int strideH, int strideW,
           boolean average, int oh, int ow, PixelMap outMap) {
        this(in, out, inMap, channels, windowH, windowW, strideH, strideW, average, oh, ow, outMap, 0, 0, 0);
    }

    private PoolOp(int in, int out, PixelMap inMap, int channels, int windowH, int windowW, int strideH, int strideW,
                   boolean average, int oh, int ow, PixelMap outMap, int h, int w, int pad) {
        this.in = in;
        this.inMap = inMap;
        this.h = h;
        this.w = w;
        this.stride = strideH;
        this.pad = pad;
        this.out = out;
        this.windowH = windowH;
        this.windowW = windowW;
        this.average = average;
        this.rowFloats = inMap.perRow();
        this.channels = channels;
        this.oh = oh;
        this.ow = ow;
        this.corners = new PixelMap(inMap.perImage(), strideH * inMap.perRow(), strideW * inMap.perColumn(), inMap.base());
        this.outMap = outMap;
        if (!average && windowH != windowW) throw new IllegalArgumentException("max-pool windows are square");
    }

    @Override
    void runImage(Workspace ws, int n) {
        if (pad > 0) {
            NhwcPool.maxPadded(ws.buffer(in), inMap, h, w, windowH, stride, pad, ws.buffer(out), outMap, n, oh, ow, channels);
        } else if (average) {
            NhwcPool.average(ws.buffer(in), corners, 0, rowFloats, channels, windowH, windowW, ws.buffer(out), outMap, 0,
                    n, 0, oh, ow, channels);
        } else {
            NhwcPool.max(ws.buffer(in), corners, 0, rowFloats, channels, windowH, ws.buffer(out), outMap, 0, n, 0, oh,
                    ow, channels);
        }
    }
}
