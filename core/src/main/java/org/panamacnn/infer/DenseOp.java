package org.panamacnn.infer;

import org.panamacnn.simd.ConvWeights;
import org.panamacnn.simd.NhwcConv;
import org.panamacnn.simd.PixelMap;

/**
 * A dense layer (bias, fused ReLU) as a 1×1 convolution whose pixels are the images of the
 * batch: rows of inStride features in, rows of outStride out. Units are (panel of outputs,
 * block of images); at batch 1 a call is spread over the panels.
 */
final class DenseOp implements Op {
    private static final int IMAGES_PER_UNIT = 32;
    private final int in, out;
    private final ConvWeights weights;
    private final PixelMap inMap, outMap;

    DenseOp(int in, int out, ConvWeights weights, int inStride, int outStride) {
        this.in = in;
        this.out = out;
        this.weights = weights;
        this.inMap = new PixelMap(0, inStride, 0, 0);
        this.outMap = new PixelMap(0, outStride, 0, 0);
    }

    @Override
    public int indexScratch() {
        return inMap.perRow();
    }

    /** Panels per unit at batch 1: up to four (the one-pixel kernel's widest), fewer when that leaves threads idle. */
    private int panelsPerUnit(int parallelism) {
        return Math.max(1, Math.min(4, (weights.panels() + parallelism - 1) / parallelism));
    }

    /** At batch 1 a unit is a group of panels; else one panel × a block of images. */
    private int units(int batch, int parallelism) {
        if (batch == 1) {
            int per = panelsPerUnit(parallelism);
            return (weights.panels() + per - 1) / per;
        }
        return weights.panels() * ((batch + IMAGES_PER_UNIT - 1) / IMAGES_PER_UNIT);
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(parallelism, units(batch, parallelism));
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        int units = units(batch, ws.parallelism()), panels = weights.panels(), nr = NhwcConv.NR;
        float[] src = ws.buffer(in), dst = ws.buffer(out);
        int[] ofs = ws.offsets(task);
        if (batch == 1) {
            int per = panelsPerUnit(ws.parallelism());
            int from = Op.start(task, tasks, units) * per, to = Math.min(panels, Op.start(task + 1, tasks, units) * per);
            NhwcConv.convolveOnePixel(weights, src, 0, from, to - from, dst, 0, ws.indices(task));
            return;
        }
        for (int u = Op.start(task, tasks, units), end = Op.start(task + 1, tasks, units); u < end; u++) {
            int panel = u % panels, first = u / panels * IMAGES_PER_UNIT;
            NhwcConv.convolve(weights, src, inMap, 0, first, Math.min(batch, first + IMAGES_PER_UNIT), 1, panel,
                    dst, outMap, panel * nr, NhwcConv.MR, ofs);
        }
    }
}
