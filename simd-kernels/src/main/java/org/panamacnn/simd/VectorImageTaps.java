package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs {@link ImageTaps} into the GEMM's B panels ([panel][p][nr], columns past the end zero).
 * Panel columns start at multiples of L and the channels are whole blocks of 2·L, so each vector
 * of a panel row is L channels of one tap: L consecutive floats of one pixel of the blocked
 * images, copied with one load and one store, or zeros where the tap falls off the image.
 */
final class VectorImageTaps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private VectorImageTaps() {}

    static void pack(ImageTaps taps, int pc, int jc, int kc, int nc, int nr, float[] pb, int pbOff) {
        for (int jr = 0; jr < nc; jr += nr) {
            for (int s = 0; s < nr; s += L) {
                int dst = pbOff + jr * kc + s, col = jc + jr + s;
                if (jr + s >= nc) {
                    for (int p = 0; p < kc; p++) FloatVector.zero(F).intoArray(pb, dst + p * nr);
                } else if (jr + s + L > nc) { // a ragged last vector (not with whole channel blocks; kept general)
                    for (int p = 0; p < kc; p++) {
                        for (int l = 0; l < L; l++) pb[dst + p * nr + l] = jr + s + l < nc ? taps.value(pc + p, col + l) : 0f;
                    }
                } else {
                    packVector(taps, col, pc, kc, nr, pb, dst);
                }
            }
        }
    }

    /** Columns col .. col + L − 1 (one tap, L channels of one block) of rows [pc, pc + kc). */
    private static void packVector(ImageTaps taps, int col, int pc, int kc, int nr, float[] pb, int dst) {
        int channels = taps.channels, k = taps.k, h = taps.h, w = taps.w, stride = taps.stride, block = taps.block;
        int t = col / channels, c = col - t * channels, u = t / k, v = t - u * k;
        int cb = c / block, lane = c - cb * block;
        int oh = taps.oh, ow = taps.ow, plane = oh * ow;
        int n = pc / plane, q = pc - n * plane, oi = q / ow, oj = q - oi * ow;
        int dy = u - taps.pad, dx = v - taps.pad;
        float[] x = taps.x;
        int rowBase = taps.pixel(n, cb, 0, 0) + lane; // image n's block cb
        int imageStep = channels / block * h * w * block;
        for (int p = 0; p < kc; p++) {
            int i = oi * stride + dy, j = oj * stride + dx;
            if (i >= 0 && i < h && j >= 0 && j < w) {
                FloatVector.fromArray(F, x, rowBase + (i * w + j) * block).intoArray(pb, dst + p * nr);
            } else {
                FloatVector.zero(F).intoArray(pb, dst + p * nr);
            }
            if (++oj == ow) {
                oj = 0;
                if (++oi == oh) {
                    oi = 0;
                    rowBase += imageStep;
                }
            }
        }
    }
}
