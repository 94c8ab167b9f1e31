package org.panamacnn.infer;

import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.PixelMap;

/**
 * out = a ⊙ b per pixel over the real channels, NHWC, into a third buffer; b is either an image of
 * a's size or a 1×1 image of per-channel scales (a squeeze-and-excitation block's), read at every pixel.
 */
final class MulOp implements Op {
    private final int a, b, out, h, w, channels;
    private final boolean scale;
    private final PixelMap aMap, bMap, outMap;

    MulOp(int a, PixelMap aMap, int b, PixelMap bMap, boolean scale, int out, PixelMap outMap, int h, int w, int channels) {
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.out = out;
        this.aMap = aMap;
        this.bMap = bMap;
        this.outMap = outMap;
        this.h = h;
        this.w = w;
        this.channels = channels;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(a), y = ws.buffer(b), z = ws.buffer(out);
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int yAt = scale ? bMap.at(n, 0, 0) : bMap.at(n, i, j);
                    Blas1.multiply(channels, x, aMap.at(n, i, j), y, yAt, z, outMap.at(n, i, j));
                }
            }
        }
    }
}
