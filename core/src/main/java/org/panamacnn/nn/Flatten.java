package org.panamacnn.nn;

import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** [batch, C, H, W] → [batch, C·H·W] in the same memory (NCHW order); backward reshapes back. */
public final class Flatten implements Layer {
    private Shape inShape, outShape;
    private Tensor lastIn, lastOut, lastGrad, lastDx;

    @Override
    public Shape build(Shape input, BuildContext context) {
        inShape = input;
        outShape = Shape.of(input.size());
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        if (x != lastIn) { // views are cached so steady state allocates nothing
            lastIn = x;
            lastOut = x.reshape(outShape.withBatch(x.batch()));
        }
        return lastOut;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireBatchOf(this, outShape, gradOut);
        if (!inputGradient) return null;
        if (gradOut != lastGrad) {
            lastGrad = gradOut;
            lastDx = gradOut.reshape(inShape.withBatch(gradOut.batch()));
        }
        return lastDx;
    }

    @Override
    public Flatten copy() {
        return new Flatten();
    }

    @Override
    public String spec() {
        return "flatten";
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
