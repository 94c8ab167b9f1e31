package org.panamacnn.infer;

import org.panamacnn.simd.ConvWeights;
import org.panamacnn.simd.NhwcConv;
import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.Winograd;

/**
 * A 3×3 stride-1 convolution by Winograd F(2×2, 3×3) ({@link Winograd}), with its bias, ReLU
 * and optionally the 2×2 max-pool after it (one output tile is one pooled pixel), NHWC in and
 * out. The filters are transformed and packed once, as 16 1×1 weight sets for {@link NhwcConv}.
 * Work units are (image, band of tile rows); a unit transforms its band's input patches into the
 * task's scratch, runs the 16 tile products there and writes its output tiles, so the
 * transformed data stays in cache. Each tile is computed the same whatever the band, so any
 * split gives the same bits.
 */
final class WinogradConvOp implements Op {
    /** Scratch per task, at most: 48 K floats (192 KB), transformed tiles and their products for one band. */
    private static final int SCRATCH_FLOATS = 48 * 1024;

    private final int in, out, channels, cv, kp, tilesH, tilesW, pad;
    private final boolean relu, pool;
    private final ConvWeights[] positions = new ConvWeights[Winograd.POSITIONS];
    private final float[] bias;
    private final PixelMap inMap, outMap;
    /** Where position ξ's tiles and products sit in the scratch: fixed strides, one band's worth each. */
    private final PixelMap[] tileMaps = new PixelMap[Winograd.POSITIONS], productMaps = new PixelMap[Winograd.POSITIONS];
    private final int maxBandRows, tilePlane, productPlane, productOff;

    /**
     * w [cout, cin, 3, 3] and bias (batch norm already folded in); inMap the input buffer (border
     * ≥ pad), oh × ow the convolution's output size (both even); outMap the output buffer (oh/2 ×
     * ow/2 with pool), which gets the padded output channel count per pixel.
     */
    WinogradConvOp(int in, PixelMap inMap, int cin, float[] w, float[] bias, int cout, int pad, int oh, int ow,
                   boolean relu, boolean pool, int out, PixelMap outMap) {
        if (oh % 2 != 0 || ow % 2 != 0) throw new IllegalArgumentException("Winograd F(2×2, 3×3) needs an even output size, not " + oh + "×" + ow);
        this.in = in;
        this.out = out;
        this.inMap = inMap;
        this.outMap = outMap;
        this.channels = cin;
        this.cv = Winograd.tileChannels(cin);
        this.pad = pad;
        this.relu = relu;
        this.pool = pool;
        this.tilesH = oh / 2;
        this.tilesW = ow / 2;
        float[] u = Winograd.transformFilters(w, cout, cin);
        for (int xi = 0; xi < Winograd.POSITIONS; xi++) {
            float[] uxi = java.util.Arrays.copyOfRange(u, xi * cout * cin, (xi + 1) * cout * cin);
            positions[xi] = new ConvWeights(uxi, new float[cout], cout, cin, 1, 1, cv, 0, false);
        }
        this.kp = ConvWeights.paddedChannels(cout);
        this.bias = new float[kp];
        System.arraycopy(bias, 0, this.bias, 0, cout);
        int perTile = Winograd.POSITIONS * (cv + kp);
        this.maxBandRows = Math.max(1, Math.min(tilesH, SCRATCH_FLOATS / (perTile * tilesW)));
        int bandTiles = maxBandRows * tilesW;
        this.tilePlane = bandTiles * cv;
        this.productPlane = bandTiles * kp;
        this.productOff = Winograd.POSITIONS * tilePlane;
        for (int xi = 0; xi < Winograd.POSITIONS; xi++) {
            tileMaps[xi] = new PixelMap(0, 0, cv, xi * tilePlane);
            productMaps[xi] = new PixelMap(0, 0, kp, productOff + xi * productPlane);
        }
    }

    /** The padded output channel count: the channel stride of the output buffer. */
    int outChannelStride() {
        return kp;
    }

    long weightFloats() {
        long n = bias.length;
        for (ConvWeights c : positions) n += c.floats();
        return n;
    }

    /** Tile rows per band: few enough for the scratch, and enough bands to feed every thread. */
    private int bandRows(int batch, int parallelism) {
        int bands = Math.max((tilesH + maxBandRows - 1) / maxBandRows, (parallelism + batch - 1) / batch);
        bands = Math.min(bands, tilesH);
        return (tilesH + bands - 1) / bands;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        int rows = bandRows(batch, parallelism);
        return Math.min(parallelism, batch * ((tilesH + rows - 1) / rows));
    }

    @Override
    public int scratchFloats() {
        return maxBandRows * tilesW * Winograd.POSITIONS * (cv + kp);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        int rows = bandRows(batch, ws.parallelism()), bands = (tilesH + rows - 1) / rows, units = batch * bands;
        float[] src = ws.buffer(in), dst = ws.buffer(out), scratch = ws.scratch(task);
        int[] ofs = ws.offsets(task);
        for (int unit = Op.start(task, tasks, units), end = Op.start(task + 1, tasks, units); unit < end; unit++) {
            int n = unit / bands, band = unit % bands;
            int t0 = band * rows * tilesW, t1 = Math.min(tilesH, (band + 1) * rows) * tilesW, count = t1 - t0;
            Winograd.inputTiles(src, inMap.at(n, -pad, -pad), inMap.perRow(), inMap.perColumn(), channels, tilesW, t0, t1,
                    scratch, 0, tilePlane, cv);
            for (int xi = 0; xi < Winograd.POSITIONS; xi++) {
                for (int q = 0; q < positions[xi].panels(); q++) {
                    NhwcConv.convolve(positions[xi], scratch, tileMaps[xi], 0, 0, count, count, q, scratch, productMaps[xi],
                            q * NhwcConv.NR, NhwcConv.MR, ofs);
                }
            }
            Winograd.outputTiles(scratch, productOff, productPlane, kp, tilesW, t0, t1, bias, relu, pool, dst, outMap, n);
        }
    }
}
