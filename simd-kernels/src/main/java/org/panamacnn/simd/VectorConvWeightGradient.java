package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a stride-1 convolution with few input channels (an image's 1 or 3),
 * computed directly over a group of images:
 * dw[co, ci, u, v] = Σ_n Σ_{i,j} dz[n, co, i, j] · x[n, ci, i+u−pad, j+v−pad].
 *
 * <p>As a GEMM this is δZ·colsᵀ with only cin·k·k = 9 or 27 output columns: most of every
 * register tile is wasted, and the images must first be lowered to columns and δZ copied into
 * the group's layout (31 GFLOP/s for the default network's first layer on one Zen 5 core).
 * Here each weight is a dot product over the output plane, read in place: δZ where it lies, x
 * from zero-bordered copies of its planes. A register block is 3×3 taps × one or two output
 * channels (9 or 18 accumulators: two only with AVX-512's 32 registers), so each δZ vector is
 * loaded once for 9 or 18 FMAs and each image's δZ is read once per block. A row whose width is
 * not a whole number of vectors ends with a vector that overlaps the one before; its lanes
 * already counted are multiplied by 0 (a keep vector chosen by index, so the loop has no branch
 * on vectors: C2 boxed vectors merged from two paths). Rows narrower than a vector are not
 * supported ({@link #supports}). The accumulators run over all the images; their lanes are
 * added in a fixed order at the end, so the result depends only on the images given, not on
 * threads.
 */
final class VectorConvWeightGradient {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Output channels per register block: 2 × 9 accumulators need 32 vector registers. */
    static final int CHANNELS = L >= 16 ? 2 : 1;
    /** A register block's taps: a 3×3 corner of the kernel (the part past a kernel's edge is dropped). */
    private static final int SIDE = 3;

    private VectorConvWeightGradient() {}

    /** Whether {@link #compute} takes this layer: its output rows must be at least a vector wide. */
    public static boolean supports(int w, int k, int pad) {
        return w + 2 * pad - k + 1 >= L;
    }

    /** Floats of work array {@link #compute} needs for images of cin channels h×w, k×k kernel, padding pad. */
    public static int workLength(int images, int cin, int h, int w, int k, int pad) {
        return images * cin * planeLength(h, w, pad) + 2 * L + 2 * SIDE * SIDE * L;
    }

    /** One padded input plane, with room below and after for the furthest tap of a 3×3 block. */
    private static int planeLength(int h, int w, int pad) {
        return (h + 2 * pad + SIDE) * (w + 2 * pad) + SIDE + L;
    }

    /**
     * Overwrites dw [cout, cin, k, k] with the weight gradient of the k×k, stride-1 convolution
     * with padding pad over images x [images, cin, h, w] and output gradients dz [images, cout,
     * oh, ow]. Writes the work array ({@link #workLength} floats).
     */
    public static void compute(int images, float[] x, int xOff, int cin, int h, int w, int k, int pad,
                               float[] dz, int dzOff, int cout, float[] dw, int dwOff, float[] work) {
        Checks.positive("images", images);
        Checks.positive("cin", cin);
        Checks.positive("cout", cout);
        Checks.positive("kernel", k);
        Checks.nonNegative("pad", pad);
        int oh = Im2Col.outSize(h, k, 1, pad), ow = Im2Col.outSize(w, k, 1, pad);
        if (oh <= 0 || ow <= 0) throw new IllegalArgumentException("kernel " + k + " does not fit " + h + "×" + w + " with padding " + pad);
        if (ow < L) throw new IllegalArgumentException("output rows of " + ow + " are narrower than a vector (" + L + " lanes)");
        Checks.range("x", x, xOff, (long) images * cin * h * w);
        Checks.range("dz", dz, dzOff, (long) images * cout * oh * ow);
        Checks.range("dw", dw, dwOff, (long) cout * cin * k * k);
        Checks.range("work", work, 0, workLength(images, cin, h, w, k, pad));
        int pitch = w + 2 * pad, planeLen = planeLength(h, w, pad);
        for (int p = 0; p < images * cin; p++) padPlane(x, xOff + p * h * w, h, w, pad, work, p * planeLen, planeLen);
        // keep vectors: all ones for a row's vectors, then for its overlapping last one 0 on the
        // lanes the vector before already covered
        int keepAt = images * cin * planeLen, sumsAt = keepAt + 2 * L, vectors = (ow + L - 1) / L, covered = vectors * L - ow;
        for (int l = 0; l < L; l++) {
            work[keepAt + l] = 1f;
            work[keepAt + L + l] = l < covered ? 0f : 1f;
        }
        int weights = cin * k * k;
        for (int co = 0; co < cout; co += CHANNELS) {
            int channels = Math.min(CHANNELS, cout - co);
            for (int ci = 0; ci < cin; ci++) {
                for (int u = 0; u < k; u += SIDE) {
                    for (int v = 0; v < k; v += SIDE) {
                        int xAt = ci * planeLen + u * pitch + v;
                        int dwAt = dwOff + co * weights + (ci * k + u) * k + v;
                        if (channels == 2) {
                            block2(images, work, xAt, cin * planeLen, pitch, oh, ow, dz, dzOff + co * oh * ow, cout * oh * ow, keepAt, sumsAt);
                        } else {
                            block1(images, work, xAt, cin * planeLen, pitch, oh, ow, dz, dzOff + co * oh * ow, cout * oh * ow, keepAt, sumsAt);
                        }
                        for (int c = 0; c < channels; c++) {
                            storeSums(work, sumsAt + c * SIDE * SIDE * L, dw, dwAt + c * weights, k, Math.min(SIDE, k - u), Math.min(SIDE, k - v));
                        }
                    }
                }
            }
        }
    }

    /**
     * Two output channels × 3×3 taps: leaves in work at sumsAt the 18 accumulators (channel, tap
     * row, tap column), L lanes each, of Σ over the images and the plane of δZ[c] · x shifted by the tap.
     * x planes start at xAt (already shifted to the block's first tap), xStride apart per image;
     * δZ channel planes dzStride apart per image from dzFrom, the second channel a plane after
     * the first; keep vectors at keepAt.
     */
    private static void block2(int images, float[] work, int xAt, int xStride, int pitch, int oh, int ow,
                               float[] dz, int dzFrom, int dzStride, int keepAt, int sumsAt) {
        int plane = oh * ow, p1 = pitch, p2 = 2 * pitch, vectors = (ow + L - 1) / L, last = ow - L;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00, a06 = a00, a07 = a00, a08 = a00;
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00, b04 = a00, b05 = a00, b06 = a00, b07 = a00, b08 = a00;
        // One flat loop over (image, row, vector) with scalar counters: with nested loops C2
        // spilled accumulators and shuffled them between loop versions at every row (half the speed).
        int n = 0, i = 0, jv = 0, rowX = xAt, rowD = dzFrom;
        for (int t = images * oh * vectors; t > 0; t--) {
            int j = Math.min(jv * L, last);
            FloatVector keep = FloatVector.fromArray(F, work, keepAt + (jv * L > last ? L : 0));
            FloatVector d = FloatVector.fromArray(F, dz, rowD + j).mul(keep);
            FloatVector e = FloatVector.fromArray(F, dz, rowD + plane + j).mul(keep);
            int q = rowX + j;
            FloatVector u = FloatVector.fromArray(F, work, q);
            a00 = d.fma(u, a00);
            b00 = e.fma(u, b00);
            u = FloatVector.fromArray(F, work, q + 1);
            a01 = d.fma(u, a01);
            b01 = e.fma(u, b01);
            u = FloatVector.fromArray(F, work, q + 2);
            a02 = d.fma(u, a02);
            b02 = e.fma(u, b02);
            u = FloatVector.fromArray(F, work, q + p1);
            a03 = d.fma(u, a03);
            b03 = e.fma(u, b03);
            u = FloatVector.fromArray(F, work, q + p1 + 1);
            a04 = d.fma(u, a04);
            b04 = e.fma(u, b04);
            u = FloatVector.fromArray(F, work, q + p1 + 2);
            a05 = d.fma(u, a05);
            b05 = e.fma(u, b05);
            u = FloatVector.fromArray(F, work, q + p2);
            a06 = d.fma(u, a06);
            b06 = e.fma(u, b06);
            u = FloatVector.fromArray(F, work, q + p2 + 1);
            a07 = d.fma(u, a07);
            b07 = e.fma(u, b07);
            u = FloatVector.fromArray(F, work, q + p2 + 2);
            a08 = d.fma(u, a08);
            b08 = e.fma(u, b08);
            if (++jv == vectors) {
                jv = 0;
                if (++i == oh) {
                    i = 0;
                    n++;
                    rowX = xAt + n * xStride;
                    rowD = dzFrom + n * dzStride;
                } else {
                    rowX += pitch;
                    rowD += ow;
                }
            }
        }
        int s = sumsAt;
        a00.intoArray(work, s);
        a01.intoArray(work, s + L);
        a02.intoArray(work, s + 2 * L);
        a03.intoArray(work, s + 3 * L);
        a04.intoArray(work, s + 4 * L);
        a05.intoArray(work, s + 5 * L);
        a06.intoArray(work, s + 6 * L);
        a07.intoArray(work, s + 7 * L);
        a08.intoArray(work, s + 8 * L);
        s += 9 * L;
        b00.intoArray(work, s);
        b01.intoArray(work, s + L);
        b02.intoArray(work, s + 2 * L);
        b03.intoArray(work, s + 3 * L);
        b04.intoArray(work, s + 4 * L);
        b05.intoArray(work, s + 5 * L);
        b06.intoArray(work, s + 6 * L);
        b07.intoArray(work, s + 7 * L);
        b08.intoArray(work, s + 8 * L);
    }

    /** {@link #block2} for one output channel (256-bit vectors, or the last of an odd count). */
    private static void block1(int images, float[] work, int xAt, int xStride, int pitch, int oh, int ow,
                               float[] dz, int dzFrom, int dzStride, int keepAt, int sumsAt) {
        int p1 = pitch, p2 = 2 * pitch, vectors = (ow + L - 1) / L, last = ow - L;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00, a06 = a00, a07 = a00, a08 = a00;
        int n = 0, i = 0, jv = 0, rowX = xAt, rowD = dzFrom;  // one flat loop, as in block2
        for (int t = images * oh * vectors; t > 0; t--) {
            int j = Math.min(jv * L, last);
            FloatVector keep = FloatVector.fromArray(F, work, keepAt + (jv * L > last ? L : 0));
            FloatVector d = FloatVector.fromArray(F, dz, rowD + j).mul(keep);
            int q = rowX + j;
            a00 = d.fma(FloatVector.fromArray(F, work, q), a00);
            a01 = d.fma(FloatVector.fromArray(F, work, q + 1), a01);
            a02 = d.fma(FloatVector.fromArray(F, work, q + 2), a02);
            a03 = d.fma(FloatVector.fromArray(F, work, q + p1), a03);
            a04 = d.fma(FloatVector.fromArray(F, work, q + p1 + 1), a04);
            a05 = d.fma(FloatVector.fromArray(F, work, q + p1 + 2), a05);
            a06 = d.fma(FloatVector.fromArray(F, work, q + p2), a06);
            a07 = d.fma(FloatVector.fromArray(F, work, q + p2 + 1), a07);
            a08 = d.fma(FloatVector.fromArray(F, work, q + p2 + 2), a08);
            if (++jv == vectors) {
                jv = 0;
                if (++i == oh) {
                    i = 0;
                    n++;
                    rowX = xAt + n * xStride;
                    rowD = dzFrom + n * dzStride;
                } else {
                    rowX += pitch;
                    rowD += ow;
                }
            }
        }
        int s = sumsAt;
        a00.intoArray(work, s);
        a01.intoArray(work, s + L);
        a02.intoArray(work, s + 2 * L);
        a03.intoArray(work, s + 3 * L);
        a04.intoArray(work, s + 4 * L);
        a05.intoArray(work, s + 5 * L);
        a06.intoArray(work, s + 6 * L);
        a07.intoArray(work, s + 7 * L);
        a08.intoArray(work, s + 8 * L);
    }

    /** dw[at + u·k + v] = the lanes of accumulator (u, v) added left to right, for the rows × cols taps inside the kernel. */
    private static void storeSums(float[] work, int sums, float[] dw, int at, int k, int rows, int cols) {
        for (int u = 0; u < rows; u++) {
            for (int v = 0; v < cols; v++) {
                int a = sums + (u * SIDE + v) * L;
                float s = work[a];
                for (int l = 1; l < L; l++) s += work[a + l];
                dw[at + u * k + v] = s;
            }
        }
    }

    /** Copies one h×w plane into a zero-bordered plane of pitch w + 2·pad, zeros after it to len. */
    private static void padPlane(float[] x, int xOff, int h, int w, int pad, float[] work, int at, int len) {
        int pitch = w + 2 * pad;
        java.util.Arrays.fill(work, at, at + len, 0f);
        for (int i = 0; i < h; i++) System.arraycopy(x, xOff + i * w, work, at + (i + pad) * pitch + pad, w);
    }
}
