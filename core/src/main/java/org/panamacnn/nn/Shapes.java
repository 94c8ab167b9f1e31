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

    /**
     * Requires a training forward before backward (trainedBatch ≥ 0: its batch size) and gradOut
     * to be [trainedBatch, output...]; returns the batch size.
     */
    static int requireGradientFor(Layer layer, int trainedBatch, Shape output, Tensor gradOut) {
        if (trainedBatch < 0) throw new IllegalStateException(layer.describe() + ": backward without a training forward");
        requireBatchOf(layer, output, gradOut);
        if (gradOut.batch() != trainedBatch) {
            throw new IllegalArgumentException(layer.describe() + ": gradient batch " + gradOut.batch()
                    + " differs from forward batch " + trainedBatch);
        }
        return trainedBatch;
    }

    static void requireBuilt(Layer layer, Object built) {
        if (built == null) throw new IllegalStateException(layer.describe() + " is used before build()");
    }

    private static String inner(Shape s) {
        String t = s.toString();
        return t.substring(1, t.length() - 1);
    }
}
