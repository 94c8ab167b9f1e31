package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs {@link ImageColumns} into the GEMM's B panels ([panel][p][nr], columns past the end zero)
 * straight from the images. One vector of a panel row is L consecutive columns, that is L
 * consecutive pixels of one image (or the end of one and the start of the next): for kernel tap
 * (u, v) they sit at consecutive addresses of the image shifted by (u − pad)·w + (v − pad), so one
 * masked load per channel fetches them, the mask dropping the lanes whose tap falls off the image
 * (the wrapped columns and the rows above or below). The mask depends on the tap only, so it is
 * made once per tap and used for every channel.
 */
final class VectorImageColumns {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    private VectorImageColumns() {}

    /**
     * Packs rows [pc, pc + kc) × columns [jc, jc + nc) of cols into nr-column panels at
     * pb[pbOff + jr·kc + p·nr + lane] (nr a multiple of L). laneRow and laneCol are L-int scratch.
     */
    static void pack(ImageColumns cols, int pc, int jc, int kc, int nc, int nr, float[] pb, int pbOff,
                     int[] laneRow, int[] laneCol) {
        for (int jr = 0; jr < nc; jr += nr) {
            for (int s = 0; s < nr; s += L) {
                int dst = pbOff + jr * kc + s;
                int valid = Math.min(L, nc - jr - s);
                if (valid <= 0) {
                    for (int p = 0; p < kc; p++) FloatVector.zero(F).intoArray(pb, dst + p * nr);
                } else {
                    packVector(cols, jc + jr + s, valid, pc, kc, nr, pb, dst, laneRow, laneCol);
                }
            }
        }
    }

    /** Lanes [0, valid) are columns t0 .. t0 + valid − 1; the rest are zero. */
    private static void packVector(ImageColumns cols, int t0, int valid, int pc, int kc, int nr, float[] pb, int dst,
                                   int[] laneRow, int[] laneCol) {
        int plane = cols.plane, w = cols.w, h = cols.h, k = cols.k, pad = cols.pad, kk = k * k;
        int n = t0 / plane, q0 = t0 - n * plane;
        int split = Math.min(valid, plane - q0); // lanes [0, split) in image n, [split, valid) in image n + 1
        if (valid - split > plane) { // planes smaller than a vector: lanes span three images or more
            for (int p = 0; p < kc; p++) {
                for (int l = 0; l < L; l++) pb[dst + p * nr + l] = l < valid ? cols.value(pc + p, t0 + l) : 0f;
            }
            return;
        }
        for (int l = 0; l < L; l++) {
            int q = l < split ? q0 + l : l < valid ? l - split : 0;
            laneRow[l] = q / w;
            laneCol[l] = q - (q / w) * w;
        }
        IntVector row = IntVector.fromArray(I, laneRow, 0), col = IntVector.fromArray(I, laneCol, 0);
        IntVector lane = IntVector.zero(I).addIndex(1);
        VectorMask<Integer> used = lane.compare(VectorOperators.LT, valid), next = lane.compare(VectorOperators.GE, split);
        boolean two = valid > split;
        int baseA = cols.offset + n * cols.imageStride + q0, baseB = cols.offset + (n + 1) * cols.imageStride - split;
        float[] x = cols.x;
        int cs = cols.channelStride;
        for (int uv = 0; uv < kk; uv++) {
            // channels whose row ch·k² + uv is in [pc, pc + kc)
            int chLo = Math.max(0, Math.floorDiv(pc - uv + kk - 1, kk)), chHi = Math.min(cols.channels, Math.floorDiv(pc + kc - 1 - uv, kk) + 1);
            if (chLo >= chHi) continue;
            int dy = uv / k - pad, dx = uv % k - pad, shift = dy * w + dx;
            IntVector r = row.add(dy), c = col.add(dx);
            VectorMask<Integer> inside = r.compare(VectorOperators.GE, 0).and(r.compare(VectorOperators.LT, h))
                    .and(c.compare(VectorOperators.GE, 0)).and(c.compare(VectorOperators.LT, w)).and(used);
            VectorMask<Float> fromA = inside.andNot(next).cast(F), fromB = inside.and(next).cast(F);
            for (int ch = chLo; ch < chHi; ch++) {
                int at = ch * cs + shift, p = ch * kk + uv - pc;
                FloatVector v = FloatVector.fromArray(F, x, baseA + at, fromA);
                if (two) v = v.blend(FloatVector.fromArray(F, x, baseB + at, fromB), fromB);
                v.intoArray(pb, dst + p * nr);
            }
        }
    }
}
