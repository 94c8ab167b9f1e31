package org.panamacnn.nn;

import org.panamacnn.simd.AvgPool;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** What {@link AvgPool2d} and {@link GlobalAvgPool2d} share: mean over kh×kw windows with strides, NCHW. */
abstract class AveragePooling implements Layer {
    int c, h, w, kh, kw, sh, sw, oh, ow;
    private Shape inShape, outShape;
    private BatchBuffer output, inputGrad;
    private int trainedBatch = -1;

    /** Sets kh, kw, sh, sw for an input of h×w (c, h, w are set). */
    abstract void chooseWindow();

    @Override
    public Shape build(Shape input, BuildContext context) {
        Shapes.requireImage(this, input);
        c = input.dim(0);
        h = input.dim(1);
        w = input.dim(2);
        chooseWindow();
        if (kh > h || kw > w) throw new IllegalArgumentException(describe() + ": window is larger than input " + input);
        oh = AvgPool.outSize(h, kh, sh);
        ow = AvgPool.outSize(w, kw, sw);
        inShape = input;
        outShape = Shape.of(c, oh, ow);
        output = new BatchBuffer(outShape);
        inputGrad = context.gradientBuffer(input);
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        Tensor y = output.get(x.batch());
        AvgPool.forward(x.batch() * c, h, w, kh, kw, sh, sw, x.data(), 0, y.data(), 0);
        trainedBatch = training ? x.batch() : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, trainedBatch, outShape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(batch);
        AvgPool.backward(batch * c, h, w, kh, kw, sh, sw, gradOut.data(), 0, dx.data(), 0);
        return dx;
    }

    /** The window and strides, once built: {kh, kw, sh, sw}. */
    public int[] window() {
        return new int[] {kh, kw, sh, sw};
    }
}
