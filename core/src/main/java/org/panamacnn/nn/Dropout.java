package org.panamacnn.nn;

import java.util.SplittableRandom;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * PyTorch's nn.Dropout(p): in training each value is zeroed with probability p and the rest
 * scaled by 1/(1 − p); in evaluation it passes its input through. The masks are drawn on the
 * calling thread from a generator seeded at {@link #initialize}, one per training forward, so a
 * run is the same at any thread count. (A run resumed from a checkpoint draws new masks: the
 * generator's position is not saved.)
 */
public final class Dropout implements Layer {
    private final float p;
    private Shape shape;
    private BatchBuffer output, inputGrad;
    private SplittableRandom random = new SplittableRandom(0);
    private float[] scale = new float[0]; // per value of the last training batch: 0 or 1/(1 − p)
    private int trainedBatch = -1;

    public Dropout(float p) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
    }

    public float probability() {
        return p;
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        shape = input;
        output = new BatchBuffer(input);
        inputGrad = context.gradientBuffer(input);
        return input;
    }

    @Override
    public void initialize(SplittableRandom random) {
        reseed(random);
    }

    @Override
    public void reseed(SplittableRandom random) {
        this.random = random.split();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        if (!training) {
            trainedBatch = -1;
            return x;
        }
        int n = x.size();
        if (scale.length < n) scale = new float[n];
        float keep = 1f / (1f - p);
        Tensor y = output.get(x.batch());
        float[] xs = x.data(), ys = y.data();
        for (int i = 0; i < n; i++) {
            scale[i] = random.nextDouble() < p ? 0f : keep;
            ys[i] = xs[i] * scale[i];
        }
        trainedBatch = x.batch();
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, trainedBatch, shape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(gradOut.batch());
        float[] dy = gradOut.data(), d = dx.data();
        for (int i = 0; i < dx.size(); i++) d[i] = dy[i] * scale[i];
        return dx;
    }

    @Override
    public Dropout copy() {
        return new Dropout(p);
    }

    @Override
    public String spec() {
        return "dropout p=" + p;
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }
}
