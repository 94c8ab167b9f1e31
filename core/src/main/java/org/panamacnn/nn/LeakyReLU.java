package org.panamacnn.nn;

import org.panamacnn.simd.LeakyRelu;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Leaky ReLU as PyTorch's nn.LeakyReLU(negative_slope): a = z if z &gt; 0 else s·z; backward
 * δz = δa if z &gt; 0 else s·δa, from the input kept by the training forward. Not fused into the
 * layer before it (unlike {@link ReLU}); one memory-bound pass each way.
 */
public final class LeakyReLU implements Layer {
    /** PyTorch's default negative slope. */
    public static final float DEFAULT_SLOPE = 0.01f;
    private final float slope;
    private Shape shape;
    private BatchBuffer output, inputGrad;
    private Tensor input;

    public LeakyReLU() {
        this(DEFAULT_SLOPE);
    }

    public LeakyReLU(float slope) {
        if (!Float.isFinite(slope)) throw new IllegalArgumentException("LeakyReLU slope must be finite, got " + slope);
        this.slope = slope;
    }

    public float slope() {
        return slope;
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        shape = input;
        output = new BatchBuffer(input);
        inputGrad = new BatchBuffer(input);
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        Tensor y = output.get(x.batch());
        LeakyRelu.forward(x.size(), slope, x.data(), 0, y.data(), 0);
        input = training ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), shape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(gradOut.batch());
        LeakyRelu.backward(gradOut.size(), slope, gradOut.data(), 0, input.data(), 0, dx.data(), 0);
        return dx;
    }

    @Override
    public LeakyReLU copy() {
        return new LeakyReLU(slope);
    }

    @Override
    public String spec() {
        return "leakyrelu slope=" + slope;
    }

    @Override
    public String describe() {
        return "LeakyReLU(" + slope + ")";
    }
}
