package org.panamacnn.infer;

import org.panamacnn.simd.NhwcResize;
import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.ResizeAxis;

/**
 * An upsample ({@link org.panamacnn.nn.Upsample2d}), NHWC in and out: each output pixel from its
 * one (nearest) or four (bilinear) source pixels, vectors over the channels, the training pass's
 * expression and bits ({@link NhwcResize}). Split by images.
 */
final class ResizeOp implements Op {
    private final int in, out, channels;
    private final PixelMap inMap, outMap;
    private final ResizeAxis rows, cols;

    ResizeOp(int in, PixelMap inMap, ResizeAxis rows, ResizeAxis cols, int channels, int out, PixelMap outMap) {
        this.in = in;
        this.inMap = inMap;
        this.rows = rows;
        this.cols = cols;
        this.channels = channels;
        this.out = out;
        this.outMap = outMap;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            NhwcResize.resize(ws.buffer(in), inMap, rows, cols, ws.buffer(out), outMap, n, channels);
        }
    }
}
