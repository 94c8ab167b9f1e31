package org.panamacnn.infer;

import org.panamacnn.simd.NhwcPool;
import org.panamacnn.simd.PixelMap;

/** A max- or average-pool on its own (not fused into a convolution), NHWC in and out. */
final class PoolOp implements Op {
    private final int in, out, windowH, windowW, rowFloats, channels, oh, ow;
    private final boolean average;
    private final PixelMap corners, outMap;

    PoolOp(int in, int out, PixelMap inMap, int channels, int windowH, int windowW, int strideH, int strideW,
           boolean average, int oh, int ow, PixelMap outMap) {
        this.in = in;
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
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            if (average) {
                NhwcPool.average(ws.buffer(in), corners, 0, rowFloats, channels, windowH, windowW, ws.buffer(out), outMap, 0,
                        n, 0, oh, ow, channels);
            } else {
                NhwcPool.max(ws.buffer(in), corners, 0, rowFloats, channels, windowH, ws.buffer(out), outMap, 0, n, 0, oh,
                        ow, channels);
            }
        }
    }
}
