package org.panamacnn.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.nn.Param;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.tensor.Tensor;

/** Adam (Kingma and Ba) with bias correction and optional L2 weight decay, as PyTorch's torch.optim.Adam. */
public final class Adam implements Optimizer {
    private float lr;
    private final float beta1, beta2, eps, weightDecay;
    private long step;
    private final SlicedUpdate sliced = new SlicedUpdate(this::state, this::update);
    /** By weight tensor, so every parameter object over the same weights (see Param) finds the same slots. */
    private final Map<Tensor, float[][]> moments = new IdentityHashMap<>();

    public Adam(float lr) {
        this(lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(float lr, float beta1, float beta2, float eps, float weightDecay) {
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("bad Adam settings: lr " + lr + ", betas " + beta1 + "/" + beta2
                    + ", eps " + eps + ", weight decay " + weightDecay);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Param> params) {
        step++;
        for (Param p : params) update(p, 0, p.size());
    }

    @Override
    public void step(List<Param> params, ParallelExecutor executor) {
        step++;
        sliced.run(params, executor);
    }

    /** Elements [from, to) of p, with the bias correction of the current step. */
    private void update(Param p, int from, int to) {
        float[][] mv = state(p);
        Blas1.adamUpdate(to - from, lr, beta1, beta2, eps, weightDecay, step,
                p.value().data(), from, p.grad().data(), from, mv[0], from, mv[1], from);
    }

    private float[][] state(Param p) {
        return moments.computeIfAbsent(p.value(), k -> new float[][] {new float[k.size()], new float[k.size()]});
    }

    @Override
    public Map<String, float[]> slots(Param p) {
        float[][] mv = state(p);
        return Map.of("m", mv[0], "v", mv[1]);
    }

    @Override
    public long steps() {
        return step;
    }

    @Override
    public void setSteps(long steps) {
        this.step = steps;
    }

    @Override
    public float learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(float lr) {
        this.lr = lr;
    }

    @Override
    public void reset() {
        step = 0;
        for (float[][] mv : moments.values()) {
            java.util.Arrays.fill(mv[0], 0f);
            java.util.Arrays.fill(mv[1], 0f);
        }
    }

    @Override
    public String describe() {
        return "Adam betas " + beta1 + "/" + beta2 + (weightDecay > 0 ? " weight decay " + weightDecay : "");
    }
}
