package org.panamacnn.infer;

import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.PixelMap;

/** A residual block's sum: out = a + b per pixel over the real channels, NHWC, into a third buffer (b &lt; 0: a copy of a). */
final class AddOp implements Op {
    private final int a, b, out, h, w, channels;
    private final PixelMap aMap, bMap, outMap;

    AddOp(int a, PixelMap aMap, int b, PixelMap bMap, int out, PixelMap outMap, int h, int w, int channels) {
        this.a = a;
        this.b = b;
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
        float[] x = ws.buffer(a), y = b < 0 ? null : ws.buffer(b), z = ws.buffer(out);
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int at = outMap.at(n, i, j);
                    System.arraycopy(x, aMap.at(n, i, j), z, at, channels);
                    if (y != null) Blas1.add(channels, y, bMap.at(n, i, j), z, at);
                }
            }
        }
    }
}
