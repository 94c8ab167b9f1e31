package org.panamacnn.nn;

import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Shape checks shared by the layers, with messages that name both shapes. */
final class Shapes {
    private Shapes() {}

    /** Requires the per-sample shape to be [C, H, W]. */
    static void requireImage(Layer layer, Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(layer.describe() + " expects a [channels, height, width] input but got " + input);
        }
    }

    /** Requires x to be [batch, expected...]; the message is built only on failure, so checks allocate nothing. */
    static void requireBatchOf(Layer layer, Shape expected, Tensor x) {
        Shape s = x.shape();
        if (!s.isBatchOf(expected)) {
            throw new IllegalArgumentException(layer.describe() + " expects input [batch, " + inner(expected) + "] but got " + s);
        }
    }

    static void requireBuilt(Layer layer, Object built) {
        if (built == null) throw new IllegalStateException(layer.describe() + " is used before build()");
    }

    private static String inner(Shape s) {
        String t = s.toString();
        return t.substring(1, t.length() - 1);
    }
}
