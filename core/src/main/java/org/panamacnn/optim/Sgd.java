package org.panamacnn.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.nn.Param;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.tensor.Tensor;

/**
 * Stochastic gradient descent, w ← w − η·δw, with optional momentum (heavy ball or Nesterov)
 * and L2 weight decay, in PyTorch's formulation: g = δw + λw; v = μv + g; w −= η·(nesterov ? g + μv : v).
 */
public final class Sgd implements Optimizer {
    private float lr;
    private final float momentum, weightDecay;
    private final boolean nesterov;
    private final SlicedUpdate sliced = new SlicedUpdate(this::velocityOf, this::update);
    /** By weight tensor, so every parameter object over the same weights (see Param) finds the same slots. */
    private final Map<Tensor, float[]> velocity = new IdentityHashMap<>();

    public Sgd(float lr) {
        this(lr, 0f, 0f, false);
    }

    public Sgd(float lr, float momentum, float weightDecay, boolean nesterov) {
        if (!(lr > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("bad SGD settings: lr " + lr + ", momentum " + momentum
                    + ", weight decay " + weightDecay);
        }
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov needs a momentum > 0");
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step(List<Param> params) {
        for (Param p : params) update(p, 0, p.size());
    }

    @Override
    public void step(List<Param> params, ParallelExecutor executor) {
        sliced.run(params, executor);
    }

    /** Elements [from, to) of p. */
    private void update(Param p, int from, int to) {
        float[] v = velocityOf(p);
        Blas1.sgdUpdate(to - from, lr, momentum, weightDecay, nesterov,
                p.value().data(), from, p.grad().data(), from, v, from);
    }

    @Override
    public Map<String, float[]> slots(Param p) {
        return momentum == 0f ? Map.of() : Map.of("velocity", velocityOf(p));
    }

    /** p's velocity, created zeroed on first use; null without momentum. */
    private float[] velocityOf(Param p) {
        return momentum == 0f ? null : velocity.computeIfAbsent(p.value(), k -> new float[k.size()]);
    }

    @Override
    public String describe() {
        return "SGD" + (momentum > 0 ? (nesterov ? " Nesterov" : "") + " momentum " + momentum : "")
                + (weightDecay > 0 ? " weight decay " + weightDecay : "");
    }

    @Override
    public void reset() {
        for (float[] v : velocity.values()) java.util.Arrays.fill(v, 0f);
    }

    @Override
    public float learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(float lr) {
        this.lr = lr;
    }
}
