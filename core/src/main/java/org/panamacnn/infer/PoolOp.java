package org.panamacnn.infer;

import org.panamacnn.simd.NhwcPool;
import org.panamacnn.simd.PixelMap;

/** A max-pool on its own (not after a convolution it could be fused into), NHWC in and out. */
final class PoolOp implements Op {
    private final int in, out, window, rowFloats, channels, oh, ow;
    private final PixelMap corners, outMap;

    PoolOp(int in, int out, PixelMap inMap, int channels, int window, int stride, int oh, int ow, PixelMap outMap) {
        this.in = in;
        this.out = out;
        this.window = window;
        this.rowFloats = inMap.perRow();
        this.channels = channels;
        this.oh = oh;
        this.ow = ow;
        this.corners = new PixelMap(inMap.perImage(), stride * inMap.perRow(), stride * inMap.perColumn(), inMap.base());
        this.outMap = outMap;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            NhwcPool.max(ws.buffer(in), corners, 0, rowFloats, channels, window, ws.buffer(out), outMap, 0, n, 0, oh, ow,
                    channels);
        }
    }
}
