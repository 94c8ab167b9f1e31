package org.panamacnn.infer;

import org.panamacnn.simd.Relu;

/** A ReLU that could not be fused into the layer before it, in place (zero borders stay zero). */
final class ReluOp implements Op {
    private final int slot, sampleFloats;

    ReluOp(int slot, int sampleFloats) {
        this.slot = slot;
        this.sampleFloats = sampleFloats;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(slot);
        int from = Op.start(task, tasks, batch) * sampleFloats, to = Op.start(task + 1, tasks, batch) * sampleFloats;
        Relu.forward(to - from, x, from, x, from);
    }
}
