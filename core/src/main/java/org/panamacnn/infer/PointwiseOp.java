package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.Pointwise;

/** An element-wise activation ({@link Pointwise}) in place (see {@link InPlacePixelOp}). */
final class PointwiseOp extends InPlacePixelOp {
    private final Pointwise.Kind kind;
    private final float a, b;

    PointwiseOp(int slot, PixelMap map, int h, int w, int channels, Pointwise.Kind kind, float a, float b) {
        super(slot, map, h, w, channels);
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    @Override
    void apply(float[] x, int at, int pixels) {
        Pointwise.forward(kind, a, b, pixels * channels, x, at, x, at);
    }
}
