package org.panamacnn.nn;

import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Relu;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * a = max(z, 0); backward δz = δa ⊙ 1[z > 0], with the mask recorded by the forward pass.
 *
 * <p>When {@link Sequential} fuses it into the layer before (a {@link ReluFusable} that already
 * rectifies its output), forward passes its input through untouched and backward takes the
 * mask from that output, since a > 0 exactly where z > 0.
 */
public final class ReLU implements Layer {
    private boolean fused;
    private Tensor rectified;
    private Shape shape;
    private BatchBuffer output, inputGrad;
    private boolean[] mask = new boolean[0];
    private int trainedBatch = -1;

    @Override
    public Shape build(Shape input, ParallelExecutor executor) {
        shape = input;
        output = new BatchBuffer(input);
        inputGrad = new BatchBuffer(input);
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        if (fused) {
            rectified = x;
            trainedBatch = training ? x.batch() : -1;
            return x;
        }
        Tensor y = output.get(x.batch());
        int n = x.size();
        if (training) {
            if (mask.length < n) mask = new boolean[n];
            Relu.forward(n, x.data(), 0, y.data(), 0, mask, 0);
            trainedBatch = x.batch();
        } else {
            Relu.forward(n, x.data(), 0, y.data(), 0);
            trainedBatch = -1;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        if (trainedBatch < 0) throw new IllegalStateException(describe() + ": backward without a training forward");
        Shapes.requireBatchOf(this, shape, gradOut);
        if (gradOut.batch() != trainedBatch) {
            throw new IllegalArgumentException(describe() + ": gradient batch " + gradOut.batch()
                    + " differs from forward batch " + trainedBatch);
        }
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(gradOut.batch());
        if (fused) Relu.backwardFromOutput(gradOut.size(), gradOut.data(), 0, rectified.data(), 0, dx.data(), 0);
        else Relu.backward(gradOut.size(), gradOut.data(), 0, mask, 0, dx.data(), 0);
        return dx;
    }

    /** Marks this ReLU as applied by the layer before it (see {@link ReluFusable}). */
    void fuseIntoPrevious() {
        fused = true;
    }

    @Override
    public String spec() {
        return "relu";
    }

    @Override
    public String describe() {
        return fused ? "ReLU (fused)" : "ReLU";
    }
}
