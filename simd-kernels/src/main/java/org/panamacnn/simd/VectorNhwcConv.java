package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution over NHWC images as an implicit GEMM, for inference: for a tile of MR output
 * pixels and one panel of NR output channels, MR×2 vector accumulators run over every
 * (tap, input channel) k, each step one broadcast input value per pixel times two vectors of
 * pre-packed weights ({@link ConvWeights}), read straight from the input buffer: no im2col, no
 * packing per call. A dense layer is the 1×1 case (one "pixel" per image, its features as
 * channels). Bias and ReLU are applied on the store.
 *
 * <p>Each output element is Σ_k in·w summed in increasing k, whatever the tile height, the
 * pixel range or the panel a call covers, so any split of the work gives the same bits.
 * Inputs are read from padded buffers (a zero border as wide as the convolution's padding), so
 * the kernel has no boundary tests.
 */
final class VectorNhwcConv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Output channels per panel: two vectors. */
    public static final int NR = 2 * L;
    /**
     * Pixels per register tile: 8 × 2 = 16 accumulators when vectors are 512 bits (AVX-512 has 32
     * registers); 4 × 2 = 8 on 256 bits, which leaves AVX2's 16 registers room for the weights
     * and a broadcast (8 rows would spill).
     */
    public static final int MR = F.vectorBitSize() >= 512 ? 8 : 4;

    /**
     * Below this many input channels the k loop runs flat over (tap, channel) with an offset
     * table: a per-tap channel loop of 1–3 iterations costs more in loop entry than in FMAs
     * (the default network's first layer: 15 µs per image nested, see the README).
     */
    static final int FLAT_BELOW = 4;

    private VectorNhwcConv() {}

    /**
     * Computes output pixels [p0, p1) (p = i·ow + j) of image n, panel `panel`: out at
     * outMap.at(n, i, j) + outShift gets the panel's NR channels of b + Σ_{tap, ci} w·in[inMap.at(n, i, j) + tap + ci]
     * (inMap gives each output pixel's window corner, stride included). Tiles are mr pixels
     * high (1, 4 or 8; {@link #MR} is the one for this CPU). ofs is scratch of 2·mr ints.
     * Writes out and ofs.
     */
    public static void convolve(ConvWeights w, float[] in, PixelMap inMap, int n, int p0, int p1, int ow, int panel,
                                float[] out, PixelMap outMap, int outShift, int mr, int[] ofs) {
        if (mr != 1 && mr != 4 && mr != 8) throw new IllegalArgumentException("tile height must be 1, 4 or 8, got " + mr);
        if (panel < 0 || panel >= w.panels) throw new IllegalArgumentException("panel " + panel + " of " + w.panels);
        int wOff = panel * w.taps.length * w.cinStride * NR, biasOff = panel * NR;
        boolean flat = w.cinStride < FLAT_BELOW;
        int i = p0 / ow, j = p0 % ow;
        for (int p = p0; p < p1; ) {
            int rows = Math.min(mr, p1 - p);
            for (int r = 0; r < mr; r++) {
                if (r < rows) {
                    ofs[r] = inMap.at(n, i, j);
                    ofs[mr + r] = outMap.at(n, i, j) + outShift;
                    if (++j == ow) {
                        j = 0;
                        i++;
                    }
                } else { // rows past the end repeat the last pixel; they are not stored
                    ofs[r] = ofs[rows - 1];
                    ofs[mr + r] = ofs[mr + rows - 1];
                }
            }
            if (rows == 1 && mr != 1) {
                ofs[1] = ofs[mr];
                tile1(w, in, ofs, wOff, out, 1, biasOff);
            } else if (mr == 8) {
                if (flat) tile8Flat(w, in, ofs, wOff, out, rows, biasOff);
                else tile8(w, in, ofs, wOff, out, rows, biasOff);
            } else if (mr == 4) {
                if (flat) tile4Flat(w, in, ofs, wOff, out, rows, biasOff);
                else tile4(w, in, ofs, wOff, out, rows, biasOff);
            } else {
                tile1(w, in, ofs, wOff, out, rows, biasOff);
            }
            p += rows;
        }
    }

    /**
     * One image of a dense (1×1) layer over panels [panel0, panel0 + count): out[outOff + q·NR ..]
     * for each panel q. Inputs that are zero (after a ReLU, often half of them) add exactly
     * nothing, so only the non-zero ones are visited — the weight rows of the others are never
     * read, which is most of the time at batch 1, where the weights stream from memory. Four
     * panels at a time keep eight accumulators in flight. Each output element is still summed
     * over its non-zero terms in increasing k, and adding an exact zero term changes no sum
     * (weights are finite), so the bits equal {@link #convolve}'s. nonZero is scratch of at
     * least k ints. Writes out and nonZero.
     */
    public static void convolveOnePixel(ConvWeights w, float[] in, int inOff, int panel0, int count, float[] out, int outOff,
                                        int[] nonZero) {
        if (w.taps.length != 1 || w.taps[0] != 0) throw new IllegalArgumentException("convolveOnePixel takes 1×1 weights");
        if (panel0 < 0 || count < 0 || panel0 + count > w.panels) {
            throw new IllegalArgumentException("panels " + panel0 + ".." + (panel0 + count) + " of " + w.panels);
        }
        int k = w.cinStride;
        Checks.range("input", in, inOff, k);
        Checks.range("output", out, outOff + panel0 * NR, (long) count * NR);
        if (nonZero.length < k) throw new IllegalArgumentException("scratch of " + nonZero.length + " ints, needs " + k);
        int nz = 0;
        for (int kk = 0; kk < k; kk++) { // branch-free compaction
            nonZero[nz] = kk;
            nz += in[inOff + kk] != 0f ? 1 : 0;
        }
        int q = panel0, end = panel0 + count;
        for (; q + 4 <= end; q += 4) row4Sparse(w, in, inOff, nonZero, nz, q * k * NR, k * NR, out, outOff + q * NR, q * NR);
        for (; q + 2 <= end; q += 2) row2Sparse(w, in, inOff, nonZero, nz, q * k * NR, k * NR, out, outOff + q * NR, q * NR);
        for (; q < end; q++) row1Sparse(w, in, inOff, nonZero, nz, q * k * NR, 0, out, outOff + q * NR, q * NR);
    }

    /** Σ over the non-zero inputs only (nz[0..count) lists them in increasing k) for 4 panel(s) of a 1×1 layer. */
    private static void row4Sparse(ConvWeights w, float[] in, int a, int[] nz, int count, int wOff, int panelFloats, float[] out, int at, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        float[] pw = w.packed;
        for (int j = 0; j < count; j++) {
            int kk = nz[j], k = wOff + kk * NR;
            FloatVector x = FloatVector.broadcast(F, in[a + kk]);
            c00 = x.fma(FloatVector.fromArray(F, pw, k), c00);
            c01 = x.fma(FloatVector.fromArray(F, pw, k + L), c01);
            c10 = x.fma(FloatVector.fromArray(F, pw, k + 1 * panelFloats), c10);
            c11 = x.fma(FloatVector.fromArray(F, pw, k + 1 * panelFloats + L), c11);
            c20 = x.fma(FloatVector.fromArray(F, pw, k + 2 * panelFloats), c20);
            c21 = x.fma(FloatVector.fromArray(F, pw, k + 2 * panelFloats + L), c21);
            c30 = x.fma(FloatVector.fromArray(F, pw, k + 3 * panelFloats), c30);
            c31 = x.fma(FloatVector.fromArray(F, pw, k + 3 * panelFloats + L), c31);
        }
        FloatVector floor = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        c00.add(FloatVector.fromArray(F, w.bias, biasOff + 0 * NR)).max(floor).intoArray(out, at + 0 * NR);
        c01.add(FloatVector.fromArray(F, w.bias, biasOff + 0 * NR + L)).max(floor).intoArray(out, at + 0 * NR + L);
        c10.add(FloatVector.fromArray(F, w.bias, biasOff + 1 * NR)).max(floor).intoArray(out, at + 1 * NR);
        c11.add(FloatVector.fromArray(F, w.bias, biasOff + 1 * NR + L)).max(floor).intoArray(out, at + 1 * NR + L);
        c20.add(FloatVector.fromArray(F, w.bias, biasOff + 2 * NR)).max(floor).intoArray(out, at + 2 * NR);
        c21.add(FloatVector.fromArray(F, w.bias, biasOff + 2 * NR + L)).max(floor).intoArray(out, at + 2 * NR + L);
        c30.add(FloatVector.fromArray(F, w.bias, biasOff + 3 * NR)).max(floor).intoArray(out, at + 3 * NR);
        c31.add(FloatVector.fromArray(F, w.bias, biasOff + 3 * NR + L)).max(floor).intoArray(out, at + 3 * NR + L);
    }

    /** Σ over the non-zero inputs only (nz[0..count) lists them in increasing k) for 2 panel(s) of a 1×1 layer. */
    private static void row2Sparse(ConvWeights w, float[] in, int a, int[] nz, int count, int wOff, int panelFloats, float[] out, int at, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        float[] pw = w.packed;
        for (int j = 0; j < count; j++) {
            int kk = nz[j], k = wOff + kk * NR;
            FloatVector x = FloatVector.broadcast(F, in[a + kk]);
            c00 = x.fma(FloatVector.fromArray(F, pw, k), c00);
            c01 = x.fma(FloatVector.fromArray(F, pw, k + L), c01);
            c10 = x.fma(FloatVector.fromArray(F, pw, k + 1 * panelFloats), c10);
            c11 = x.fma(FloatVector.fromArray(F, pw, k + 1 * panelFloats + L), c11);
        }
        FloatVector floor = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        c00.add(FloatVector.fromArray(F, w.bias, biasOff + 0 * NR)).max(floor).intoArray(out, at + 0 * NR);
        c01.add(FloatVector.fromArray(F, w.bias, biasOff + 0 * NR + L)).max(floor).intoArray(out, at + 0 * NR + L);
        c10.add(FloatVector.fromArray(F, w.bias, biasOff + 1 * NR)).max(floor).intoArray(out, at + 1 * NR);
        c11.add(FloatVector.fromArray(F, w.bias, biasOff + 1 * NR + L)).max(floor).intoArray(out, at + 1 * NR + L);
    }

    /** Σ over the non-zero inputs only (nz[0..count) lists them in increasing k) for 1 panel(s) of a 1×1 layer. */
    private static void row1Sparse(ConvWeights w, float[] in, int a, int[] nz, int count, int wOff, int panelFloats, float[] out, int at, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        float[] pw = w.packed;
        for (int j = 0; j < count; j++) {
            int kk = nz[j], k = wOff + kk * NR;
            FloatVector x = FloatVector.broadcast(F, in[a + kk]);
            c00 = x.fma(FloatVector.fromArray(F, pw, k), c00);
            c01 = x.fma(FloatVector.fromArray(F, pw, k + L), c01);
        }
        FloatVector floor = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        c00.add(FloatVector.fromArray(F, w.bias, biasOff + 0 * NR)).max(floor).intoArray(out, at + 0 * NR);
        c01.add(FloatVector.fromArray(F, w.bias, biasOff + 0 * NR + L)).max(floor).intoArray(out, at + 0 * NR + L);
    }

    /** As tile8, one loop over k with each k's input offset from a table: for few input channels, where the per-tap inner loop would be too short. */
    private static void tile8Flat(ConvWeights w, float[] in, int[] ofs, int wOff, float[] out, int rows, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int a0 = ofs[0]; int a1 = ofs[1]; int a2 = ofs[2]; int a3 = ofs[3]; int a4 = ofs[4]; int a5 = ofs[5]; int a6 = ofs[6]; int a7 = ofs[7];
        float[] pw = w.packed;
        int[] ko = w.kOffsets;
        int k = wOff;
        for (int kk = 0; kk < ko.length; kk++, k += NR) {
            int o = ko[kk];
            FloatVector b0 = FloatVector.fromArray(F, pw, k), b1 = FloatVector.fromArray(F, pw, k + L);
            FloatVector x0 = FloatVector.broadcast(F, in[a0 + o]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(F, in[a1 + o]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(F, in[a2 + o]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(F, in[a3 + o]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(F, in[a4 + o]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(F, in[a5 + o]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            FloatVector x6 = FloatVector.broadcast(F, in[a6 + o]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            FloatVector x7 = FloatVector.broadcast(F, in[a7 + o]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
        }
        FloatVector bias0 = FloatVector.fromArray(F, w.bias, biasOff), bias1 = FloatVector.fromArray(F, w.bias, biasOff + L);
        FloatVector floor0 = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        {
            int at = ofs[8 + 0];
            c00.add(bias0).max(floor0).intoArray(out, at);
            c01.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 1) {
            int at = ofs[8 + 1];
            c10.add(bias0).max(floor0).intoArray(out, at);
            c11.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 2) {
            int at = ofs[8 + 2];
            c20.add(bias0).max(floor0).intoArray(out, at);
            c21.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 3) {
            int at = ofs[8 + 3];
            c30.add(bias0).max(floor0).intoArray(out, at);
            c31.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 4) {
            int at = ofs[8 + 4];
            c40.add(bias0).max(floor0).intoArray(out, at);
            c41.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 5) {
            int at = ofs[8 + 5];
            c50.add(bias0).max(floor0).intoArray(out, at);
            c51.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 6) {
            int at = ofs[8 + 6];
            c60.add(bias0).max(floor0).intoArray(out, at);
            c61.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 7) {
            int at = ofs[8 + 7];
            c70.add(bias0).max(floor0).intoArray(out, at);
            c71.add(bias1).max(floor0).intoArray(out, at + L);
        }
    }

    /** As tile4, one loop over k with each k's input offset from a table: for few input channels, where the per-tap inner loop would be too short. */
    private static void tile4Flat(ConvWeights w, float[] in, int[] ofs, int wOff, float[] out, int rows, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int a0 = ofs[0]; int a1 = ofs[1]; int a2 = ofs[2]; int a3 = ofs[3];
        float[] pw = w.packed;
        int[] ko = w.kOffsets;
        int k = wOff;
        for (int kk = 0; kk < ko.length; kk++, k += NR) {
            int o = ko[kk];
            FloatVector b0 = FloatVector.fromArray(F, pw, k), b1 = FloatVector.fromArray(F, pw, k + L);
            FloatVector x0 = FloatVector.broadcast(F, in[a0 + o]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(F, in[a1 + o]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(F, in[a2 + o]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(F, in[a3 + o]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        FloatVector bias0 = FloatVector.fromArray(F, w.bias, biasOff), bias1 = FloatVector.fromArray(F, w.bias, biasOff + L);
        FloatVector floor0 = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        {
            int at = ofs[4 + 0];
            c00.add(bias0).max(floor0).intoArray(out, at);
            c01.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 1) {
            int at = ofs[4 + 1];
            c10.add(bias0).max(floor0).intoArray(out, at);
            c11.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 2) {
            int at = ofs[4 + 2];
            c20.add(bias0).max(floor0).intoArray(out, at);
            c21.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 3) {
            int at = ofs[4 + 3];
            c30.add(bias0).max(floor0).intoArray(out, at);
            c31.add(bias1).max(floor0).intoArray(out, at + L);
        }
    }

    private static void tile8(ConvWeights w, float[] in, int[] ofs, int wOff, float[] out, int rows, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int a0 = ofs[0]; int a1 = ofs[1]; int a2 = ofs[2]; int a3 = ofs[3]; int a4 = ofs[4]; int a5 = ofs[5]; int a6 = ofs[6]; int a7 = ofs[7];
        float[] pw = w.packed;
        int[] taps = w.taps;
        int cin = w.cinStride, k = wOff;
        for (int t = 0; t < taps.length; t++) {
            int tap = taps[t];
            int i0 = a0 + tap; int i1 = a1 + tap; int i2 = a2 + tap; int i3 = a3 + tap; int i4 = a4 + tap; int i5 = a5 + tap; int i6 = a6 + tap; int i7 = a7 + tap;
            for (int ci = 0; ci < cin; ci++, k += NR) {
                FloatVector b0 = FloatVector.fromArray(F, pw, k), b1 = FloatVector.fromArray(F, pw, k + L);
                FloatVector x0 = FloatVector.broadcast(F, in[i0 + ci]);
                c00 = x0.fma(b0, c00);
                c01 = x0.fma(b1, c01);
                FloatVector x1 = FloatVector.broadcast(F, in[i1 + ci]);
                c10 = x1.fma(b0, c10);
                c11 = x1.fma(b1, c11);
                FloatVector x2 = FloatVector.broadcast(F, in[i2 + ci]);
                c20 = x2.fma(b0, c20);
                c21 = x2.fma(b1, c21);
                FloatVector x3 = FloatVector.broadcast(F, in[i3 + ci]);
                c30 = x3.fma(b0, c30);
                c31 = x3.fma(b1, c31);
                FloatVector x4 = FloatVector.broadcast(F, in[i4 + ci]);
                c40 = x4.fma(b0, c40);
                c41 = x4.fma(b1, c41);
                FloatVector x5 = FloatVector.broadcast(F, in[i5 + ci]);
                c50 = x5.fma(b0, c50);
                c51 = x5.fma(b1, c51);
                FloatVector x6 = FloatVector.broadcast(F, in[i6 + ci]);
                c60 = x6.fma(b0, c60);
                c61 = x6.fma(b1, c61);
                FloatVector x7 = FloatVector.broadcast(F, in[i7 + ci]);
                c70 = x7.fma(b0, c70);
                c71 = x7.fma(b1, c71);
            }
        }
        // VectorBias, then ReLU as the training path's (+0 for z ≤ 0), stored in place: vectors never leave this method.
        FloatVector bias0 = FloatVector.fromArray(F, w.bias, biasOff), bias1 = FloatVector.fromArray(F, w.bias, biasOff + L);
        FloatVector floor0 = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        {
            int at = ofs[8 + 0];
            c00.add(bias0).max(floor0).intoArray(out, at);
            c01.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 1) {
            int at = ofs[8 + 1];
            c10.add(bias0).max(floor0).intoArray(out, at);
            c11.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 2) {
            int at = ofs[8 + 2];
            c20.add(bias0).max(floor0).intoArray(out, at);
            c21.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 3) {
            int at = ofs[8 + 3];
            c30.add(bias0).max(floor0).intoArray(out, at);
            c31.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 4) {
            int at = ofs[8 + 4];
            c40.add(bias0).max(floor0).intoArray(out, at);
            c41.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 5) {
            int at = ofs[8 + 5];
            c50.add(bias0).max(floor0).intoArray(out, at);
            c51.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 6) {
            int at = ofs[8 + 6];
            c60.add(bias0).max(floor0).intoArray(out, at);
            c61.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 7) {
            int at = ofs[8 + 7];
            c70.add(bias0).max(floor0).intoArray(out, at);
            c71.add(bias1).max(floor0).intoArray(out, at + L);
        }
    }

    private static void tile4(ConvWeights w, float[] in, int[] ofs, int wOff, float[] out, int rows, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int a0 = ofs[0]; int a1 = ofs[1]; int a2 = ofs[2]; int a3 = ofs[3];
        float[] pw = w.packed;
        int[] taps = w.taps;
        int cin = w.cinStride, k = wOff;
        for (int t = 0; t < taps.length; t++) {
            int tap = taps[t];
            int i0 = a0 + tap; int i1 = a1 + tap; int i2 = a2 + tap; int i3 = a3 + tap;
            for (int ci = 0; ci < cin; ci++, k += NR) {
                FloatVector b0 = FloatVector.fromArray(F, pw, k), b1 = FloatVector.fromArray(F, pw, k + L);
                FloatVector x0 = FloatVector.broadcast(F, in[i0 + ci]);
                c00 = x0.fma(b0, c00);
                c01 = x0.fma(b1, c01);
                FloatVector x1 = FloatVector.broadcast(F, in[i1 + ci]);
                c10 = x1.fma(b0, c10);
                c11 = x1.fma(b1, c11);
                FloatVector x2 = FloatVector.broadcast(F, in[i2 + ci]);
                c20 = x2.fma(b0, c20);
                c21 = x2.fma(b1, c21);
                FloatVector x3 = FloatVector.broadcast(F, in[i3 + ci]);
                c30 = x3.fma(b0, c30);
                c31 = x3.fma(b1, c31);
            }
        }
        // VectorBias, then ReLU as the training path's (+0 for z ≤ 0), stored in place: vectors never leave this method.
        FloatVector bias0 = FloatVector.fromArray(F, w.bias, biasOff), bias1 = FloatVector.fromArray(F, w.bias, biasOff + L);
        FloatVector floor0 = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        {
            int at = ofs[4 + 0];
            c00.add(bias0).max(floor0).intoArray(out, at);
            c01.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 1) {
            int at = ofs[4 + 1];
            c10.add(bias0).max(floor0).intoArray(out, at);
            c11.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 2) {
            int at = ofs[4 + 2];
            c20.add(bias0).max(floor0).intoArray(out, at);
            c21.add(bias1).max(floor0).intoArray(out, at + L);
        }
        if (rows > 3) {
            int at = ofs[4 + 3];
            c30.add(bias0).max(floor0).intoArray(out, at);
            c31.add(bias1).max(floor0).intoArray(out, at + L);
        }
    }

    private static void tile1(ConvWeights w, float[] in, int[] ofs, int wOff, float[] out, int rows, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        int a0 = ofs[0];
        float[] pw = w.packed;
        int[] taps = w.taps;
        int cin = w.cinStride, k = wOff;
        for (int t = 0; t < taps.length; t++) {
            int tap = taps[t];
            int i0 = a0 + tap;
            for (int ci = 0; ci < cin; ci++, k += NR) {
                FloatVector b0 = FloatVector.fromArray(F, pw, k), b1 = FloatVector.fromArray(F, pw, k + L);
                FloatVector x0 = FloatVector.broadcast(F, in[i0 + ci]);
                c00 = x0.fma(b0, c00);
                c01 = x0.fma(b1, c01);
            }
        }
        // VectorBias, then ReLU as the training path's (+0 for z ≤ 0), stored in place: vectors never leave this method.
        FloatVector bias0 = FloatVector.fromArray(F, w.bias, biasOff), bias1 = FloatVector.fromArray(F, w.bias, biasOff + L);
        FloatVector floor0 = w.relu ? FloatVector.zero(F) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        {
            int at = ofs[1 + 0];
            c00.add(bias0).max(floor0).intoArray(out, at);
            c01.add(bias1).max(floor0).intoArray(out, at + L);
        }
    }
}
