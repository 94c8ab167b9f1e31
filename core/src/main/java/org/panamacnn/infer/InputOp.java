package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/** Copies NCHW input images into a zero-bordered NHWC buffer (the first convolution's input). */
final class InputOp extends ImageOp {
    private final int in, out, c, h, w;
    private final PixelMap outMap;

    InputOp(int in, int out, int c, int h, int w, PixelMap outMap) {
        this.in = in;
        this.out = out;
        this.c = c;
        this.h = h;
        this.w = w;
        this.outMap = outMap;
    }

    @Override
    void runImage(Workspace ws, int n) {
        float[] src = ws.buffer(in), dst = ws.buffer(out);
        int image = n * c * h * w;
        if (c == 1) {
            for (int y = 0; y < h; y++) System.arraycopy(src, image + y * w, dst, outMap.at(n, y, 0), w);
            return;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = outMap.at(n, y, x);
                for (int ch = 0; ch < c; ch++) dst[at + ch] = src[image + (ch * h + y) * w + x];
            }
        }
    }
}
