package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/**
 * A step that combines two NHWC images pixel by pixel over the real channels into a third buffer
 * (a residual sum, a product); what it does at one pixel is {@link #pixel}.
 */
abstract class PixelPairOp extends ImageOp {
    private final int a, b, out, h, w;
    final int channels;
    private final PixelMap aMap, bMap, outMap;

    /** b &lt; 0: no second image (bAt is then −1). */
    PixelPairOp(int a, PixelMap aMap, int b, PixelMap bMap, int out, PixelMap outMap, int h, int w, int channels) {
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

    /** z[zAt ..] from x[xAt ..] and y[yAt ..], channels values each. */
    abstract void pixel(float[] x, int xAt, float[] y, int yAt, float[] z, int zAt);

    /** Where image n's second operand for pixel (i, j) starts: the same pixel, unless overridden. */
    int secondAt(PixelMap bMap, int n, int i, int j) {
        return bMap.at(n, i, j);
    }

    @Override
    void runImage(Workspace ws, int n) {
        float[] x = ws.buffer(a), y = b < 0 ? null : ws.buffer(b), z = ws.buffer(out);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) pixel(x, aMap.at(n, i, j), y, y == null ? -1 : secondAt(bMap, n, i, j), z, outMap.at(n, i, j));
        }
    }
}
