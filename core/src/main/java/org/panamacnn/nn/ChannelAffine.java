package org.panamacnn.nn;

import org.panamacnn.simd.Normalize;
import org.panamacnn.tensor.Shape;

/**
 * y = x·scale + shift with constant scale and shift, scalars or one per channel, in one rounding
 * (a fused multiply-add): what PyTorch's x + c, x − c, c − x and x·c with a constant c are, exactly
 * (scale ±1 or shift 0 leave one operation to round). Not trained (an imported model's constants);
 * backward δx = δy·scale.
 */
public final class ChannelAffine extends ElementwiseLayer {
    private final float[] scale, shift;

    /** scale and shift: one value, or one per channel (each may be either). */
    public ChannelAffine(float[] scale, float[] shift) {
        this.scale = ChannelConstants.checked("affine", "scale", scale);
        this.shift = ChannelConstants.checked("affine", "shift", shift);
        if (scale.length != 1 && shift.length != 1 && scale.length != shift.length) {
            throw new IllegalArgumentException("affine: " + scale.length + " scales and " + shift.length + " shifts; give one or one per channel");
        }
    }

    /** The scale of channel c (a copy of the constant's value). */
    public float scale(int c) {
        return scale[scale.length == 1 ? 0 : c];
    }

    public float shift(int c) {
        return shift[shift.length == 1 ? 0 : c];
    }

    /** Whether scale and shift are one value each (so any layout of the elements will do). */
    public boolean uniform() {
        return scale.length == 1 && shift.length == 1;
    }

    @Override
    void checkInput(Shape input) {
        ChannelConstants.requireFits(this, input, scale, shift);
    }

    @Override
    void forward(float[] x, float[] y, int from, int n) {
        int inner = uniform() ? shape.size() : shape.size() / shape.dim(0), channels = shape.size() / inner;
        for (int at = from, end = from + n; at < end; ) {
            for (int c = 0; c < channels; c++, at += inner) Normalize.affine(inner, scale(c), x, at, shift(c), y, at);
        }
    }

    @Override
    void backward(float[] dy, float[] x, float[] dx, int from, int n) {
        int inner = uniform() ? shape.size() : shape.size() / shape.dim(0), channels = shape.size() / inner;
        for (int at = from, end = from + n; at < end; ) {
            for (int c = 0; c < channels; c++, at += inner) Normalize.affine(inner, scale(c), dy, at, 0f, dx, at);
        }
    }

    @Override
    public ChannelAffine copy() {
        return new ChannelAffine(scale, shift);
    }

    @Override
    public String spec() {
        return "affine scale=" + ChannelConstants.text(scale) + " shift=" + ChannelConstants.text(shift);
    }

    @Override
    public String describe() {
        return "Affine(scale " + (scale.length == 1 ? scale[0] : scale.length + " per channel")
                + ", shift " + (shift.length == 1 ? shift[0] : shift.length + " per channel") + ")";
    }
}
