package org.panamacnn.nn;

import org.panamacnn.simd.LeakyRelu;

/**
 * Leaky ReLU as PyTorch's nn.LeakyReLU(negative_slope): a = z if z &gt; 0 else s·z; backward
 * δz = δa if z &gt; 0 else s·δa, from the input kept by the training forward. Not fused into the
 * layer before it (unlike {@link ReLU}); one memory-bound pass each way, split over batch chunks.
 */
public final class LeakyReLU extends ElementwiseLayer {
    /** PyTorch's default negative slope. */
    public static final float DEFAULT_SLOPE = 0.01f;
    private final float slope;

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
    void forward(float[] x, float[] y, int from, int n) {
        LeakyRelu.forward(n, slope, x, from, y, from);
    }

    @Override
    void backward(float[] dy, float[] x, float[] dx, int from, int n) {
        LeakyRelu.backward(n, slope, dy, from, x, from, dx, from);
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
