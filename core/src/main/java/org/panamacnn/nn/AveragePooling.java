package org.panamacnn.nn;

import org.panamacnn.simd.AvgPool;
import org.panamacnn.tensor.Shape;

/** What {@link AvgPool2d} and {@link GlobalAvgPool2d} share: mean over kh×kw windows with strides, NCHW. */
abstract class AveragePooling extends PlanePooling {
    int kh, kw, sh, sw;

    /** Sets kh, kw, sh, sw for an input of h×w (c, h, w are set). */
    abstract void chooseWindow();

    @Override
    void chooseOutput(Shape input) {
        chooseWindow();
        if (kh > h || kw > w) throw new IllegalArgumentException(describe() + ": window is larger than input " + input);
        oh = AvgPool.outSize(h, kh, sh);
        ow = AvgPool.outSize(w, kw, sw);
    }

    @Override
    void poolPlanes(int planes, float[] x, int xAt, float[] y, int yAt) {
        AvgPool.forward(planes, h, w, kh, kw, sh, sw, x, xAt, y, yAt);
    }

    @Override
    void unpoolPlanes(int planes, float[] dy, int yAt, float[] dx, int xAt) {
        AvgPool.backward(planes, h, w, kh, kw, sh, sw, dy, yAt, dx, xAt);
    }

    /** The window and strides, once built: {kh, kw, sh, sw}. */
    public int[] window() {
        return new int[] {kh, kw, sh, sw};
    }
}
