package org.panamacnn.infer;

import org.panamacnn.simd.ConvWeights;
import org.panamacnn.simd.NhwcConv;
import org.panamacnn.simd.NhwcPool;
import org.panamacnn.simd.PixelMap;

/**
 * A convolution with its bias and (when fused) ReLU, and optionally the non-overlapping
 * max-pool after it, NHWC in and out. Work units are (image, panel of output channels, band of
 * rows). With a pool, a unit computes its band's convolution rows for one panel into the task's
 * scratch (small enough to stay in cache) and pools them straight into the output, so the
 * unpooled activation never goes to memory.
 */
final class ConvOp implements Op {
    /** Scratch per task: 64 KB, an L1/L2-sized band of convolution output. */
    private static final int SCRATCH_FLOATS = 16 * 1024;

    private final int in, out;
    private final ConvWeights weights;
    private final PixelMap windows, outMap;
    private final int oh, ow, pool, rows, scratchRows;
    private final PixelMap scratchMap, cornerMap;

    /**
     * windows gives each output pixel's window corner in the input buffer; outMap is the output
     * buffer (pooled size when pool > 0, pool being the window and stride of the max-pool).
     */
    ConvOp(int in, int out, ConvWeights weights, PixelMap windows, int oh, int ow, int pool, PixelMap outMap) {
        this.in = in;
        this.out = out;
        this.weights = weights;
        this.windows = windows;
        this.oh = oh;
        this.ow = ow;
        this.pool = pool;
        this.outMap = outMap;
        this.rows = pool > 0 ? oh / pool : oh;
        int nr = NhwcConv.NR;
        this.scratchRows = pool > 0 ? Math.min(rows, Math.max(1, SCRATCH_FLOATS / (pool * ow * nr))) : rows;
        this.scratchMap = new PixelMap(0, ow * nr, nr, 0);
        this.cornerMap = new PixelMap(0, pool * ow * nr, pool * nr, 0);
    }

    /** Rows (pooled rows with a pool) per band: few enough for the scratch, and enough bands to feed every thread. */
    private int bandRows(int batch, int parallelism) {
        int perImage = batch * weights.panels();
        int bands = Math.max((rows + scratchRows - 1) / scratchRows, (parallelism + perImage - 1) / perImage);
        bands = Math.min(bands, rows);
        return (rows + bands - 1) / bands;
    }

    private int bands(int bandRows) {
        return (rows + bandRows - 1) / bandRows;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(parallelism, batch * weights.panels() * bands(bandRows(batch, parallelism)));
    }

    @Override
    public int scratchFloats() {
        return pool > 0 ? scratchRows * pool * ow * NhwcConv.NR : 0;
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        int bandRows = bandRows(batch, ws.parallelism()), bands = bands(bandRows), panels = weights.panels();
        int units = batch * panels * bands;
        float[] src = ws.buffer(in), dst = ws.buffer(out), scratch = ws.scratch(task);
        int[] ofs = ws.offsets(task);
        int nr = NhwcConv.NR, mr = NhwcConv.MR;
        for (int u = Op.start(task, tasks, units), end = Op.start(task + 1, tasks, units); u < end; u++) {
            int n = u / (panels * bands), panel = u / bands % panels, band = u % bands;
            int r0 = band * bandRows, r1 = Math.min(rows, r0 + bandRows);
            if (pool == 0) {
                NhwcConv.convolve(weights, src, windows, n, r0 * ow, r1 * ow, ow, panel, dst, outMap, panel * nr, mr, ofs);
            } else {
                int shift = -r0 * pool * ow * nr; // the band's first convolution row at scratch[0]
                NhwcConv.convolve(weights, src, windows, n, r0 * pool * ow, r1 * pool * ow, ow, panel,
                        scratch, scratchMap, shift, mr, ofs);
                NhwcPool.max(scratch, cornerMap, shift, ow * nr, nr, pool, dst, outMap, panel * nr, n, r0, r1,
                        ow / pool, nr);
            }
        }
    }
}
