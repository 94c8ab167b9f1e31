package org.panamacnn.nn;

import org.panamacnn.tensor.Shape;

/**
 * The constants of {@link ChannelAffine} and {@link ChannelDivide}: one value for every element, or
 * one per channel of an image input (PyTorch's broadcasting of a scalar or a [C, 1, 1] tensor).
 * Written into a spec as comma-separated floats (Float.toString reads back to the same bits).
 */
final class ChannelConstants {
    private ChannelConstants() {}

    static float[] checked(String layer, String name, float[] values) {
        if (values.length == 0) throw new IllegalArgumentException(layer + ": " + name + " has no values");
        for (float v : values) if (!Float.isFinite(v)) throw new IllegalArgumentException(layer + ": " + name + " must be finite, got " + v);
        return values.clone();
    }

    /** The input must be an image with one channel per value, unless there is one value. */
    static void requireFits(Layer layer, Shape input, float[]... constants) {
        for (float[] c : constants) {
            if (c.length == 1) continue;
            if (input.rank() != 3 || input.dim(0) != c.length) {
                throw new IllegalArgumentException(layer.describe() + ": " + c.length + " per-channel constants need an image input of "
                        + c.length + " channels [" + c.length + ", H, W], got " + input);
            }
        }
    }

    static String text(float[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.length; i++) s.append(i > 0 ? "," : "").append(values[i]);
        return s.toString();
    }

    /** The elements of one channel in one sample (all of it when the constant is a scalar). */
    static int inner(Shape shape, float[] c) {
        return c.length == 1 ? shape.size() : shape.size() / shape.dim(0);
    }
}
