package org.panamacnn.nn;

import org.panamacnn.simd.Relu;
import org.panamacnn.tensor.Tensor;

/**
 * a = max(z, 0); backward δz = δa ⊙ 1[z > 0], with the mask recorded by the forward pass.
 *
 * <p>When {@link Sequential} fuses it into the layer before (a {@link ReluFusable} that already
 * rectifies its output), forward passes its input through untouched and backward takes the
 * mask from that output, since a > 0 exactly where z > 0. When a max-pool follows as well, the
 * pool's backward applies the mask ({@code MaxPool.backwardThroughRelu}) and this one passes the
 * gradient through.
 */
public final class ReLU extends ElementwiseLayer {
    private boolean fused;
    /** The max-pool after it or the batch norm before it applies this ReLU's backward, so backward passes the gradient on. */
    private boolean backwardElsewhere;
    private Tensor rectified;
    private boolean[] mask = new boolean[0];
    /** Whether the forward records the mask (a training forward). */
    private boolean masking;
    private int trainedBatch = -1;

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        if (fused) {
            rectified = x;
            trainedBatch = training ? x.batch() : -1;
            return x;
        }
        Tensor y = output(x.batch());
        int n = x.size();
        if (training && mask.length < n) mask = new boolean[n];
        masking = training;
        runForward(x.batch(), x.data(), y.data());
        trainedBatch = training ? x.batch() : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, trainedBatch, shape, gradOut);
        if (!inputGradient) return null;
        if (backwardElsewhere) return gradOut;
        Tensor dx = inputGradient(gradOut.batch());
        runBackward(gradOut.batch(), null, dx.data(), gradOut.data());
        return dx;
    }

    /** a = max(z, 0) on a chunk of images, recording the mask in a training forward. */
    @Override
    void forward(float[] x, float[] y, int from, int n) {
        if (masking) Relu.forward(n, x, from, y, from, mask, from);
        else Relu.forward(n, x, from, y, from);
    }

    /** δz on a chunk of images, from the mask or (fused) from the rectified output. */
    @Override
    void backward(float[] dy, float[] x, float[] dx, int from, int n) {
        if (fused) Relu.backwardFromOutput(n, dy, from, rectified.data(), from, dx, from);
        else Relu.backward(n, dy, from, mask, from, dx, from);
    }

    /** Marks this ReLU as applied by the layer before it (see {@link ReluFusable}). */
    void fuseIntoPrevious() {
        fused = true;
    }

    /** Marks this (fused) ReLU's backward as done by the max-pool after it: backward returns its input. */
    void backwardDoneByNext() {
        backwardElsewhere = true;
    }

    /** Marks this (fused) ReLU's backward as done by the layer before it (a batch norm or a residual block masks its own gradient): backward returns its input. */
    void backwardDoneElsewhere() {
        backwardElsewhere = true;
    }

    @Override
    public ReLU copy() {
        return new ReLU();
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
