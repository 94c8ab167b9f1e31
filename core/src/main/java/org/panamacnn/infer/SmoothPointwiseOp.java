package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.SmoothPointwise;

/** Tanh or GELU ({@link SmoothPointwise}) in place (see {@link InPlacePixelOp}). */
final class SmoothPointwiseOp extends InPlacePixelOp {
    private final SmoothPointwise.Kind kind;

    SmoothPointwiseOp(int slot, PixelMap map, int h, int w, int channels, SmoothPointwise.Kind kind) {
        super(slot, map, h, w, channels);
        this.kind = kind;
    }

    @Override
    void apply(float[] x, int at, int pixels) {
        SmoothPointwise.forward(kind, pixels * channels, x, at, x, at);
    }
}
