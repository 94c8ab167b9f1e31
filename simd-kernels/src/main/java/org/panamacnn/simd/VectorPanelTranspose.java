package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs a transposed GEMM operand into NR-wide panels with L×L transposes in registers: L rows
 * of L floats are loaded as vectors and transposed in log₂ L stages, each stage swapping the
 * off-diagonal b×b blocks of every 2b×2b block (b = L/2, …, 1) with two-vector selects, then
 * stored as L panel rows. A convolution's weight gradient δZ·colsᵀ packs cols this way; moved one
 * float at a time with a stride of NR floats, that packing took about a third of the GEMM (JFR on
 * a training epoch: 12% of all samples); in registers it is ~3× faster on 512-bit vectors and
 * ~2.6× on 256-bit (a probe of one 288×314 block: 39 → 12.6 and 15 µs). In context (README): the
 * 32→64 convolution's forward + backward on 2 threads 7.13 / 7.71 → 6.91 / 6.80 ms; the whole
 * training step did not move beyond the machine's noise. The code is unrolled (generated) so
 * that every vector stays in a register. Moves only: the bits are unchanged.
 */
final class VectorPanelTranspose {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length(), NR = 2 * L;
    /** Whether this vector length has an unrolled transpose (8 or 16 lanes); otherwise callers move floats one by one. */
    static final boolean SUPPORTED = L == 8 || L == 16;
    // Stage s swaps blocks of b = L >> (s + 1): the index vectors of selectFrom(v_r, v_{r+b}).
    private static final FloatVector LO0 = index(0, true), HI0 = index(0, false), LO1 = index(1, true), HI1 = index(1, false);
    private static final FloatVector LO2 = index(2, true), HI2 = index(2, false), LO3 = index(3, true), HI3 = index(3, false);

    // The 8-lane transpose's stage with blocks of b lanes: UPb moves lane c − b to c and DOWNb lane
    // c + b to c; SECONDb holds the lanes of the second block of each pair, FIRSTb the others.
    private static final VectorShuffle<Float> UP4 = shift(4, true), DOWN4 = shift(4, false), UP2 = shift(2, true);
    private static final VectorShuffle<Float> DOWN2 = shift(2, false), UP1 = shift(1, true), DOWN1 = shift(1, false);
    private static final VectorMask<Float> SECOND4 = secondBlocks(4), FIRST4 = SECOND4.not(), SECOND2 = secondBlocks(2);
    private static final VectorMask<Float> FIRST2 = SECOND2.not(), SECOND1 = secondBlocks(1), FIRST1 = SECOND1.not();

    // panelA4's interleaves (8 lanes): ZIP1_LO repeats each of lanes 0-3 twice, ZIP1_HI each of
    // 4-7; ZIP2_LO repeats each pair of lanes of 0-3 twice, ZIP2_HI each pair of 4-7.
    private static final VectorShuffle<Float> ZIP1_LO = zip(1, 0), ZIP1_HI = zip(1, 4), ZIP2_LO = zip(2, 0), ZIP2_HI = zip(2, 4);

    /** The halves of a vector, for {@link #panelPairA}'s stores into two A panels. */
    private static final VectorMask<Float> LOW = F.indexInRange(0, L / 2), HIGH = LOW.not();

    private VectorPanelTranspose() {}

    /**
     * Packs two A panels of L/2 rows each from L rows of a row-major A: pa[lo + p·L/2 + i] =
     * a[src + i·lda + p] and pa[hi + p·L/2 + i] = a[src + (L/2 + i)·lda + p] for p over the whole
     * multiples of L below kc; returns how many p were done (the caller moves the rest). For a
     * GEMM whose register tile has MR = L/2 rows: the same L×L transposes, each transposed row
     * stored half in one panel and half in the next. 16 lanes only (see VectorGemmKernel.PAIRED_A_PANELS).
     */
    static int panelPairA(float[] a, int src, int lda, int kc, float[] pa, int lo, int hi) {
        int p = 0;
        for (; p + L <= kc; p += L) {
            transpose16(a, src + p, lda, pa, lo + p * 8, hi + p * 8, true);
        }
        return p;
    }

    /**
     * Lane c of the new row r (low) or r + b (high) in stage s: from v_r or, as index L + i,
     * from v_{r+b}.
     */
    private static FloatVector index(int s, boolean low) {
        int b = L >> (s + 1);
        float[] v = new float[L];
        if (b == 0) return FloatVector.zero(F);
        for (int c = 0; c < L; c++) {
            boolean first = (c / b) % 2 == 0;
            v[c] = low ? (first ? c : L + c - b) : (first ? c + b : L + c);
        }
        return FloatVector.fromArray(F, v, 0);
    }

    /** Lane c takes lane from + b·⌊c / 2b⌋ + c mod b: each block of b lanes from `from` on, twice. */
    private static VectorShuffle<Float> zip(int b, int from) {
        int[] lanes = new int[L];
        for (int c = 0; c < L; c++) lanes[c] = Math.min(L - 1, from + b * (c / (2 * b)) + c % b);
        return VectorShuffle.fromArray(F, lanes, 0);
    }

    /** Lane c takes lane c − b (up) or c + b (down) where that lane exists, else its own. */
    private static VectorShuffle<Float> shift(int b, boolean up) {
        int[] from = new int[L];
        for (int c = 0; c < L; c++) {
            int f = up ? c - b : c + b;
            from[c] = f >= 0 && f < L ? f : c;
        }
        return VectorShuffle.fromArray(F, from, 0);
    }

    /** Lanes c with (c / b) odd: the second block of each pair of b-lane blocks. */
    private static VectorMask<Float> secondBlocks(int b) {
        boolean[] second = new boolean[L];
        for (int c = 0; c < L; c++) second[c] = (c / b) % 2 == 1;
        return VectorMask.fromArray(F, second, 0);
    }

    /**
     * Packs one A panel of 4 rows from a row-major A on 8 lanes: pa[dst + p·4 + i] = a[src + i·lda + p]
     * for i &lt; 4 and p over the whole multiples of 8 below kc; returns how many p were done (the
     * caller moves the rest). For the 4-row tile on 256-bit vectors, where panelPairA's 8×8
     * transpose with half stores was too large for C1. Per 8 columns: 4 row loads r0..r3, two
     * interleave stages of one-vector rearranges and blends (t0 = r0, r1 interleaved by lanes of
     * columns 0-3, t1 of 4-7, t2 and t3 likewise from r2, r3; then pairs of lanes of t0 and t2 give
     * columns 0-1 and 2-3, of t1 and t3 columns 4-5 and 6-7), 4 stores of 8 contiguous floats.
     * Eight vectors live at most. Moves only: the bits are unchanged.
     */
    static int panelA4(float[] a, int src, int lda, int kc, float[] pa, int dst) {
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            FloatVector r0 = FloatVector.fromArray(F, a, src + p), r1 = FloatVector.fromArray(F, a, src + lda + p);
            FloatVector r2 = FloatVector.fromArray(F, a, src + 2 * lda + p), r3 = FloatVector.fromArray(F, a, src + 3 * lda + p);
            FloatVector t0 = r0.rearrange(ZIP1_LO).blend(r1.rearrange(ZIP1_LO), SECOND1);
            FloatVector t1 = r0.rearrange(ZIP1_HI).blend(r1.rearrange(ZIP1_HI), SECOND1);
            FloatVector t2 = r2.rearrange(ZIP1_LO).blend(r3.rearrange(ZIP1_LO), SECOND1);
            FloatVector t3 = r2.rearrange(ZIP1_HI).blend(r3.rearrange(ZIP1_HI), SECOND1);
            int at = dst + p * 4;
            t0.rearrange(ZIP2_LO).blend(t2.rearrange(ZIP2_LO), SECOND2).intoArray(pa, at);
            t0.rearrange(ZIP2_HI).blend(t2.rearrange(ZIP2_HI), SECOND2).intoArray(pa, at + 8);
            t1.rearrange(ZIP2_LO).blend(t3.rearrange(ZIP2_LO), SECOND2).intoArray(pa, at + 16);
            t1.rearrange(ZIP2_HI).blend(t3.rearrange(ZIP2_HI), SECOND2).intoArray(pa, at + 24);
        }
        return p;
    }

    /**
     * pb[pbOff + p·NR + j] = b[src + j·ldb + p] for the NR rows j of one panel and p over the
     * whole multiples of L below kc; returns how many p were done (the caller moves the rest).
     */
    static int panel(float[] b, int src, int ldb, int kc, float[] pb, int pbOff) {
        int p = 0;
        for (; p + L <= kc; p += L) {
            if (L == 16) {
                transpose16(b, src + p, ldb, pb, pbOff + p * NR, 0, false);
                transpose16(b, src + 16 * ldb + p, ldb, pb, pbOff + p * NR + 16, 0, false);
            } else {
                transpose8(b, src + p, ldb, pb, pbOff + p * NR);
                transpose8(b, src + 8 * ldb + p, ldb, pb, pbOff + p * NR + 8);
            }
        }
        return p;
    }

    /** Rows src, src + ldb, ... (16 of them) at columns [0, 16) transposed: pb[dst + t·NR + j] = b[src + j·ldb + t]. */
    private static void transpose16(float[] b, int src, int ldb, float[] pb, int dst, int dst2, boolean split) {
        FloatVector v0 = FloatVector.fromArray(F, b, src);
        FloatVector v1 = FloatVector.fromArray(F, b, src + 1 * ldb);
        FloatVector v2 = FloatVector.fromArray(F, b, src + 2 * ldb);
        FloatVector v3 = FloatVector.fromArray(F, b, src + 3 * ldb);
        FloatVector v4 = FloatVector.fromArray(F, b, src + 4 * ldb);
        FloatVector v5 = FloatVector.fromArray(F, b, src + 5 * ldb);
        FloatVector v6 = FloatVector.fromArray(F, b, src + 6 * ldb);
        FloatVector v7 = FloatVector.fromArray(F, b, src + 7 * ldb);
        FloatVector v8 = FloatVector.fromArray(F, b, src + 8 * ldb);
        FloatVector v9 = FloatVector.fromArray(F, b, src + 9 * ldb);
        FloatVector v10 = FloatVector.fromArray(F, b, src + 10 * ldb);
        FloatVector v11 = FloatVector.fromArray(F, b, src + 11 * ldb);
        FloatVector v12 = FloatVector.fromArray(F, b, src + 12 * ldb);
        FloatVector v13 = FloatVector.fromArray(F, b, src + 13 * ldb);
        FloatVector v14 = FloatVector.fromArray(F, b, src + 14 * ldb);
        FloatVector v15 = FloatVector.fromArray(F, b, src + 15 * ldb);
        FloatVector s0_0 = LO0.selectFrom(v0, v8), s0_8 = HI0.selectFrom(v0, v8);
        FloatVector s0_1 = LO0.selectFrom(v1, v9), s0_9 = HI0.selectFrom(v1, v9);
        FloatVector s0_2 = LO0.selectFrom(v2, v10), s0_10 = HI0.selectFrom(v2, v10);
        FloatVector s0_3 = LO0.selectFrom(v3, v11), s0_11 = HI0.selectFrom(v3, v11);
        FloatVector s0_4 = LO0.selectFrom(v4, v12), s0_12 = HI0.selectFrom(v4, v12);
        FloatVector s0_5 = LO0.selectFrom(v5, v13), s0_13 = HI0.selectFrom(v5, v13);
        FloatVector s0_6 = LO0.selectFrom(v6, v14), s0_14 = HI0.selectFrom(v6, v14);
        FloatVector s0_7 = LO0.selectFrom(v7, v15), s0_15 = HI0.selectFrom(v7, v15);
        FloatVector s1_0 = LO1.selectFrom(s0_0, s0_4), s1_4 = HI1.selectFrom(s0_0, s0_4);
        FloatVector s1_1 = LO1.selectFrom(s0_1, s0_5), s1_5 = HI1.selectFrom(s0_1, s0_5);
        FloatVector s1_2 = LO1.selectFrom(s0_2, s0_6), s1_6 = HI1.selectFrom(s0_2, s0_6);
        FloatVector s1_3 = LO1.selectFrom(s0_3, s0_7), s1_7 = HI1.selectFrom(s0_3, s0_7);
        FloatVector s1_8 = LO1.selectFrom(s0_8, s0_12), s1_12 = HI1.selectFrom(s0_8, s0_12);
        FloatVector s1_9 = LO1.selectFrom(s0_9, s0_13), s1_13 = HI1.selectFrom(s0_9, s0_13);
        FloatVector s1_10 = LO1.selectFrom(s0_10, s0_14), s1_14 = HI1.selectFrom(s0_10, s0_14);
        FloatVector s1_11 = LO1.selectFrom(s0_11, s0_15), s1_15 = HI1.selectFrom(s0_11, s0_15);
        FloatVector s2_0 = LO2.selectFrom(s1_0, s1_2), s2_2 = HI2.selectFrom(s1_0, s1_2);
        FloatVector s2_1 = LO2.selectFrom(s1_1, s1_3), s2_3 = HI2.selectFrom(s1_1, s1_3);
        FloatVector s2_4 = LO2.selectFrom(s1_4, s1_6), s2_6 = HI2.selectFrom(s1_4, s1_6);
        FloatVector s2_5 = LO2.selectFrom(s1_5, s1_7), s2_7 = HI2.selectFrom(s1_5, s1_7);
        FloatVector s2_8 = LO2.selectFrom(s1_8, s1_10), s2_10 = HI2.selectFrom(s1_8, s1_10);
        FloatVector s2_9 = LO2.selectFrom(s1_9, s1_11), s2_11 = HI2.selectFrom(s1_9, s1_11);
        FloatVector s2_12 = LO2.selectFrom(s1_12, s1_14), s2_14 = HI2.selectFrom(s1_12, s1_14);
        FloatVector s2_13 = LO2.selectFrom(s1_13, s1_15), s2_15 = HI2.selectFrom(s1_13, s1_15);
        FloatVector s3_0 = LO3.selectFrom(s2_0, s2_1), s3_1 = HI3.selectFrom(s2_0, s2_1);
        FloatVector s3_2 = LO3.selectFrom(s2_2, s2_3), s3_3 = HI3.selectFrom(s2_2, s2_3);
        FloatVector s3_4 = LO3.selectFrom(s2_4, s2_5), s3_5 = HI3.selectFrom(s2_4, s2_5);
        FloatVector s3_6 = LO3.selectFrom(s2_6, s2_7), s3_7 = HI3.selectFrom(s2_6, s2_7);
        FloatVector s3_8 = LO3.selectFrom(s2_8, s2_9), s3_9 = HI3.selectFrom(s2_8, s2_9);
        FloatVector s3_10 = LO3.selectFrom(s2_10, s2_11), s3_11 = HI3.selectFrom(s2_10, s2_11);
        FloatVector s3_12 = LO3.selectFrom(s2_12, s2_13), s3_13 = HI3.selectFrom(s2_12, s2_13);
        FloatVector s3_14 = LO3.selectFrom(s2_14, s2_15), s3_15 = HI3.selectFrom(s2_14, s2_15);
        if (split) { // lanes [0, L/2) to one A panel, [L/2, L) to the next
            s3_0.intoArray(pb, dst + 0 * 8, LOW);
            s3_0.intoArray(pb, dst2 + 0 * 8 - 8, HIGH);
            s3_1.intoArray(pb, dst + 1 * 8, LOW);
            s3_1.intoArray(pb, dst2 + 1 * 8 - 8, HIGH);
            s3_2.intoArray(pb, dst + 2 * 8, LOW);
            s3_2.intoArray(pb, dst2 + 2 * 8 - 8, HIGH);
            s3_3.intoArray(pb, dst + 3 * 8, LOW);
            s3_3.intoArray(pb, dst2 + 3 * 8 - 8, HIGH);
            s3_4.intoArray(pb, dst + 4 * 8, LOW);
            s3_4.intoArray(pb, dst2 + 4 * 8 - 8, HIGH);
            s3_5.intoArray(pb, dst + 5 * 8, LOW);
            s3_5.intoArray(pb, dst2 + 5 * 8 - 8, HIGH);
            s3_6.intoArray(pb, dst + 6 * 8, LOW);
            s3_6.intoArray(pb, dst2 + 6 * 8 - 8, HIGH);
            s3_7.intoArray(pb, dst + 7 * 8, LOW);
            s3_7.intoArray(pb, dst2 + 7 * 8 - 8, HIGH);
            s3_8.intoArray(pb, dst + 8 * 8, LOW);
            s3_8.intoArray(pb, dst2 + 8 * 8 - 8, HIGH);
            s3_9.intoArray(pb, dst + 9 * 8, LOW);
            s3_9.intoArray(pb, dst2 + 9 * 8 - 8, HIGH);
            s3_10.intoArray(pb, dst + 10 * 8, LOW);
            s3_10.intoArray(pb, dst2 + 10 * 8 - 8, HIGH);
            s3_11.intoArray(pb, dst + 11 * 8, LOW);
            s3_11.intoArray(pb, dst2 + 11 * 8 - 8, HIGH);
            s3_12.intoArray(pb, dst + 12 * 8, LOW);
            s3_12.intoArray(pb, dst2 + 12 * 8 - 8, HIGH);
            s3_13.intoArray(pb, dst + 13 * 8, LOW);
            s3_13.intoArray(pb, dst2 + 13 * 8 - 8, HIGH);
            s3_14.intoArray(pb, dst + 14 * 8, LOW);
            s3_14.intoArray(pb, dst2 + 14 * 8 - 8, HIGH);
            s3_15.intoArray(pb, dst + 15 * 8, LOW);
            s3_15.intoArray(pb, dst2 + 15 * 8 - 8, HIGH);
        } else {
            s3_0.intoArray(pb, dst + 0 * NR);
            s3_1.intoArray(pb, dst + 1 * NR);
            s3_2.intoArray(pb, dst + 2 * NR);
            s3_3.intoArray(pb, dst + 3 * NR);
            s3_4.intoArray(pb, dst + 4 * NR);
            s3_5.intoArray(pb, dst + 5 * NR);
            s3_6.intoArray(pb, dst + 6 * NR);
            s3_7.intoArray(pb, dst + 7 * NR);
            s3_8.intoArray(pb, dst + 8 * NR);
            s3_9.intoArray(pb, dst + 9 * NR);
            s3_10.intoArray(pb, dst + 10 * NR);
            s3_11.intoArray(pb, dst + 11 * NR);
            s3_12.intoArray(pb, dst + 12 * NR);
            s3_13.intoArray(pb, dst + 13 * NR);
            s3_14.intoArray(pb, dst + 14 * NR);
            s3_15.intoArray(pb, dst + 15 * NR);
        }
    }

    /**
     * Rows src, src + ldb, ... (8 of them) at columns [0, 8) transposed: pb[dst + t·NR + j] = b[src + j·ldb + t].
     * Each stage pairs v_r with w = v_{r+b} as low = v_r.blend(w moved up b lanes, second blocks) and
     * high = w.blend(v_r moved down b lanes, first blocks): one-vector rearranges (vpermps) and
     * blends, which C2 compiles on AVX2 as on AVX-512. The two-vector selectFrom that
     * {@link #transpose16} uses needs AVX-512's two-table permute; without it (every AVX2 CPU)
     * C2 runs the Java fallback, which boxes every vector.
     */
    private static void transpose8(float[] b, int src, int ldb, float[] pb, int dst) {
        FloatVector v0 = FloatVector.fromArray(F, b, src);
        FloatVector v1 = FloatVector.fromArray(F, b, src + 1 * ldb);
        FloatVector v2 = FloatVector.fromArray(F, b, src + 2 * ldb);
        FloatVector v3 = FloatVector.fromArray(F, b, src + 3 * ldb);
        FloatVector v4 = FloatVector.fromArray(F, b, src + 4 * ldb);
        FloatVector v5 = FloatVector.fromArray(F, b, src + 5 * ldb);
        FloatVector v6 = FloatVector.fromArray(F, b, src + 6 * ldb);
        FloatVector v7 = FloatVector.fromArray(F, b, src + 7 * ldb);
        FloatVector s0_0 = v0.blend(v4.rearrange(UP4), SECOND4), s0_4 = v4.blend(v0.rearrange(DOWN4), FIRST4);
        FloatVector s0_1 = v1.blend(v5.rearrange(UP4), SECOND4), s0_5 = v5.blend(v1.rearrange(DOWN4), FIRST4);
        FloatVector s0_2 = v2.blend(v6.rearrange(UP4), SECOND4), s0_6 = v6.blend(v2.rearrange(DOWN4), FIRST4);
        FloatVector s0_3 = v3.blend(v7.rearrange(UP4), SECOND4), s0_7 = v7.blend(v3.rearrange(DOWN4), FIRST4);
        FloatVector s1_0 = s0_0.blend(s0_2.rearrange(UP2), SECOND2), s1_2 = s0_2.blend(s0_0.rearrange(DOWN2), FIRST2);
        FloatVector s1_1 = s0_1.blend(s0_3.rearrange(UP2), SECOND2), s1_3 = s0_3.blend(s0_1.rearrange(DOWN2), FIRST2);
        FloatVector s1_4 = s0_4.blend(s0_6.rearrange(UP2), SECOND2), s1_6 = s0_6.blend(s0_4.rearrange(DOWN2), FIRST2);
        FloatVector s1_5 = s0_5.blend(s0_7.rearrange(UP2), SECOND2), s1_7 = s0_7.blend(s0_5.rearrange(DOWN2), FIRST2);
        FloatVector s2_0 = s1_0.blend(s1_1.rearrange(UP1), SECOND1), s2_1 = s1_1.blend(s1_0.rearrange(DOWN1), FIRST1);
        FloatVector s2_2 = s1_2.blend(s1_3.rearrange(UP1), SECOND1), s2_3 = s1_3.blend(s1_2.rearrange(DOWN1), FIRST1);
        FloatVector s2_4 = s1_4.blend(s1_5.rearrange(UP1), SECOND1), s2_5 = s1_5.blend(s1_4.rearrange(DOWN1), FIRST1);
        FloatVector s2_6 = s1_6.blend(s1_7.rearrange(UP1), SECOND1), s2_7 = s1_7.blend(s1_6.rearrange(DOWN1), FIRST1);
        s2_0.intoArray(pb, dst + 0 * NR);
        s2_1.intoArray(pb, dst + 1 * NR);
        s2_2.intoArray(pb, dst + 2 * NR);
        s2_3.intoArray(pb, dst + 3 * NR);
        s2_4.intoArray(pb, dst + 4 * NR);
        s2_5.intoArray(pb, dst + 5 * NR);
        s2_6.intoArray(pb, dst + 6 * NR);
        s2_7.intoArray(pb, dst + 7 * NR);
    }
}
