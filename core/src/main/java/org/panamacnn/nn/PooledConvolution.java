package org.panamacnn.nn;

import org.panamacnn.tensor.Tensor;

/**
 * A convolution, the ReLU fused into its GEMM epilogue and the max-pool after them, run as one
 * step of a training model ({@link Fusion}): forward is the pooled output of the rectified
 * convolution, pooled group by group while the group's output is in cache
 * ({@link Conv2d#forwardPooled}); backward takes the gradient of the pooled output and unpools it
 * (through the ReLU's mask) straight into the convolution's group layout
 * ({@link Conv2d#backwardPooled}). The three layers stay in the model as they are, and are what
 * its file and description name; this step only runs them.
 */
final class PooledConvolution implements Step {
    private final Conv2d conv;
    private final ReLU relu;
    private final MaxPool2d pool;

    PooledConvolution(Conv2d conv, ReLU relu, MaxPool2d pool) {
        this.conv = conv;
        this.relu = relu;
        this.pool = pool;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return conv.forwardPooled(x, training, pool);
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        return conv.backwardPooled(gradOut, inputGradient, pool);
    }

    @Override
    public String describe() {
        return conv.describe() + " → " + relu.describe() + " → " + pool.describe() + ", one step";
    }
}
