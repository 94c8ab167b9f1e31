package org.panamacnn.nn;

import java.util.List;
import org.panamacnn.simd.Normalize;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A frozen batch norm after trainable layers (fine-tuning), as PyTorch runs one after
 * {@code requires_grad_(False)} and {@code eval()}: forward normalises with the running statistics
 * and leaves them as they are, in training as in evaluation; backward passes the gradient through
 * that affine map, δx = a·δy with a = γ/√(running var + ε) per channel, and computes no gradient
 * of γ or β, which are not parameters here. Built over the model's tensors like the norm it wraps.
 */
final class EvalModeBatchNorm implements Layer {
    private final BatchNorm2d norm;
    private Shape shape;
    private BatchBuffer inputGrad;
    private int trainedBatch = -1;

    EvalModeBatchNorm(BatchNorm2d norm) {
        this.norm = norm;
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        shape = norm.build(input, context);
        inputGrad = context.gradientBuffer(input);
        return shape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor y = norm.forward(x, false);
        trainedBatch = training ? x.batch() : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int n = Shapes.requireGradientFor(this, trainedBatch, shape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(n);
        int c = shape.dim(0), plane = shape.dim(1) * shape.dim(2);
        float[] gamma = norm.weight().value().data(), var = norm.runningVar();
        for (int ch = 0; ch < c; ch++) {
            float a = gamma[ch] * (float) (1 / Math.sqrt((double) var[ch] + BatchNorm2d.EPS)); // as the norm's forward computes it
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * plane;
                Normalize.affine(plane, a, gradOut.data(), off, 0f, dx.data(), off);
            }
        }
        return dx;
    }

    /** None: frozen. */
    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public Layer copy() {
        return new EvalModeBatchNorm(norm.copy());
    }

    @Override
    public String spec() {
        return norm.spec();
    }

    @Override
    public String describe() {
        return norm.describe() + ", frozen (evaluation mode)";
    }
}
