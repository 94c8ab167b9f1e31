package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/** NHWC back to PyTorch's flattened NCHW order, for a model whose output is a flattened image. */
final class ToChwOp implements Op {
    private final int in, out, c, h, w;
    private final PixelMap inMap;

    ToChwOp(int in, int out, int c, int h, int w, PixelMap inMap) {
        this.in = in;
        this.out = out;
        this.c = c;
        this.h = h;
        this.w = w;
        this.inMap = inMap;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return 1;
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] src = ws.buffer(in), dst = ws.buffer(out);
        for (int n = 0; n < batch; n++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) dst[((n * c + ch) * h + y) * w + x] = src[inMap.at(n, y, x) + ch];
    }
}
