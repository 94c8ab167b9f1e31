package org.panamacnn.infer;

import org.panamacnn.simd.LeakyRelu;

/** A leaky ReLU, in place over a whole buffer (zero borders stay zero: s·0 = 0). */
final class LeakyReluOp implements Op {
    private final int slot, sampleFloats;
    private final float slope;

    LeakyReluOp(int slot, int sampleFloats, float slope) {
        this.slot = slot;
        this.sampleFloats = sampleFloats;
        this.slope = slope;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(slot);
        int from = Op.start(task, tasks, batch) * sampleFloats, to = Op.start(task + 1, tasks, batch) * sampleFloats;
        LeakyRelu.forward(to - from, slope, x, from, x, from);
    }
}
