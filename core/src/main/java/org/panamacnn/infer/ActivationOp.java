package org.panamacnn.infer;

import org.panamacnn.simd.LeakyRelu;
import org.panamacnn.simd.Relu;

/**
 * A ReLU or leaky ReLU that could not be fused into the step before it, in place over a whole
 * buffer, split by images (zero borders stay zero: both map 0 to 0).
 */
final class ActivationOp implements Op {
    private final int slot, sampleFloats;
    private final boolean leaky;
    private final float slope;

    private ActivationOp(int slot, int sampleFloats, boolean leaky, float slope) {
        this.slot = slot;
        this.sampleFloats = sampleFloats;
        this.leaky = leaky;
        this.slope = slope;
    }

    static ActivationOp relu(int slot, int sampleFloats) {
        return new ActivationOp(slot, sampleFloats, false, 0f);
    }

    static ActivationOp leakyRelu(int slot, int sampleFloats, float slope) {
        return new ActivationOp(slot, sampleFloats, true, slope);
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(slot);
        int from = Op.start(task, tasks, batch) * sampleFloats, to = Op.start(task + 1, tasks, batch) * sampleFloats;
        if (leaky) LeakyRelu.forward(to - from, slope, x, from, x, from);
        else Relu.forward(to - from, x, from, x, from);
    }
}
