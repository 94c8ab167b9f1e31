package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** The vector part of {@link MaxPool#forward}: 2×2 windows with stride 2. */
final class VectorMaxPool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    /** Lane i of a two-vector rearrange takes input lane 2i (EVEN) or 2i+1 (ODD) of the pair. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    private static final IntVector TWO_IOTA = IntVector.zero(I).addIndex(2);

    private VectorMaxPool() {}

    /**
     * The common 2×2, stride-2 case, L outputs at a time: each input row segment is split into
     * its even and odd lanes, the larger of each pair is taken in the top and in the bottom row,
     * then the larger of top and bottom. Comparing with strict > in that order keeps the first
     * maximum in row-major window order, as the general path does. A row's last L outputs are
     * computed again, overlapping, instead of a masked tail (same values, no mask to pass around);
     * rows narrower than L take {@link #forward2x2Narrow}.
     */
    static void forward2x2(int planes, int h, int w, int oh, int ow,
                                   float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff, int argBase) {
        if (ow < L) {
            forward2x2Narrow(planes, h, w, oh, ow, x, xOff, y, yOff, argmax, argOff, argBase);
            return;
        }
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++, o += ow) {
                int r0 = plane + 2 * i * w;
                for (int j = 0; ; j += L) {
                    if (j > ow - L) j = ow - L;
                    pool2x2(x, xOff, w, r0 + 2 * j, y, yOff + o + j, argmax, argOff + o + j, argBase);
                    if (j == ow - L) break;
                }
            }
        }
    }

    /**
     * Rows narrower than a vector: a plane's outputs are taken L at a time in row-major order, the
     * four corners of each window gathered through a table of window corners (last L overlapping).
     */
    private static void forward2x2Narrow(int planes, int h, int w, int oh, int ow,
                                         float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff, int argBase) {
        int outs = oh * ow;
        if (outs < L) {
            for (int p = 0; p < planes; p++) {
                for (int o = 0; o < outs; o++) {
                    int corner = p * h * w + 2 * (o / ow) * w + 2 * (o % ow);
                    pool2x2Scalar(x, xOff, w, corner, y, yOff + p * outs + o, argmax, argOff + p * outs + o, argBase);
                }
            }
            return;
        }
        int[] corners = CornerTable.forCurrentThread(w, oh, ow);
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * h * w;
            for (int o = 0; ; o += L) {
                if (o > outs - L) o = outs - L;
                gather2x2(x, plane, w, corners, o, argBase + p * h * w, y, yOff + p * outs + o, argmax, argOff + p * outs + o);
                if (o == outs - L) break;
            }
        }
    }

    /** L windows whose corners are plane + corners[at .. at+L); the same comparisons as {@link #pool2x2}. */
    private static void gather2x2(float[] x, int plane, int w, int[] corners, int at, int planeIndex,
                                  float[] y, int yAt, int[] argmax, int argAt) {
        FloatVector a = FloatVector.fromArray(F, x, plane, corners, at);
        FloatVector b = FloatVector.fromArray(F, x, plane + 1, corners, at);
        FloatVector c = FloatVector.fromArray(F, x, plane + w, corners, at);
        FloatVector d = FloatVector.fromArray(F, x, plane + w + 1, corners, at);
        VectorMask<Float> topRight = b.compare(VectorOperators.GT, a);
        VectorMask<Float> bottomRight = d.compare(VectorOperators.GT, c);
        FloatVector topMax = a.blend(b, topRight);
        FloatVector bottomMax = c.blend(d, bottomRight);
        VectorMask<Float> lower = bottomMax.compare(VectorOperators.GT, topMax);
        topMax.blend(bottomMax, lower).intoArray(y, yAt);
        IntVector corner = IntVector.fromArray(I, corners, at).add(planeIndex);
        IntVector topAt = corner.add(1, topRight.cast(I));
        IntVector bottomAt = corner.add(w).add(1, bottomRight.cast(I));
        topAt.blend(bottomAt, lower.cast(I)).intoArray(argmax, argAt);
    }

    /** L 2×2 windows whose top-left corners start at x[xOff + first], every other column (indices recorded + argBase). */
    private static void pool2x2(float[] x, int xOff, int w, int first, float[] y, int yAt, int[] argmax, int argAt, int argBase) {
        int top = xOff + first, bottom = top + w;
        FloatVector t0 = FloatVector.fromArray(F, x, top), t1 = FloatVector.fromArray(F, x, top + L);
        FloatVector b0 = FloatVector.fromArray(F, x, bottom), b1 = FloatVector.fromArray(F, x, bottom + L);
        FloatVector tEven = t0.rearrange(EVEN, t1), tOdd = t0.rearrange(ODD, t1);
        FloatVector bEven = b0.rearrange(EVEN, b1), bOdd = b0.rearrange(ODD, b1);
        VectorMask<Float> topRight = tOdd.compare(VectorOperators.GT, tEven);
        VectorMask<Float> bottomRight = bOdd.compare(VectorOperators.GT, bEven);
        FloatVector topMax = tEven.blend(tOdd, topRight);
        FloatVector bottomMax = bEven.blend(bOdd, bottomRight);
        VectorMask<Float> lower = bottomMax.compare(VectorOperators.GT, topMax);
        topMax.blend(bottomMax, lower).intoArray(y, yAt);
        IntVector corner = TWO_IOTA.add(argBase + first);
        IntVector topAt = corner.add(1, topRight.cast(I));
        IntVector bottomAt = corner.add(w).add(1, bottomRight.cast(I));
        topAt.blend(bottomAt, lower.cast(I)).intoArray(argmax, argAt);
    }

    /**
     * Window corners (2i·w + 2j for output (i, j), row-major) of the last few plane geometries
     * this thread pooled (a network's pools alternate within every step), each built once, so
     * steady state allocates nothing.
     */
    private static final class CornerTable {
        private static final ThreadLocal<CornerTable> PER_THREAD = ThreadLocal.withInitial(CornerTable::new);
        /** Geometries kept per thread; past that the oldest is rebuilt. */
        private static final int KEPT = 4;
        private final int[] w = new int[KEPT], oh = new int[KEPT], ow = new int[KEPT];
        private final int[][] corners = new int[KEPT][];
        private int next;

        static int[] forCurrentThread(int w, int oh, int ow) {
            CornerTable t = PER_THREAD.get();
            for (int e = 0; e < KEPT; e++) {
                if (t.corners[e] != null && t.w[e] == w && t.oh[e] == oh && t.ow[e] == ow) return t.corners[e];
            }
            int e = t.next;
            t.next = (e + 1) % KEPT;
            int[] c = new int[oh * ow];
            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) c[i * ow + j] = 2 * i * w + 2 * j;
            t.w[e] = w;
            t.oh[e] = oh;
            t.ow[e] = ow;
            t.corners[e] = c;
            return c;
        }
    }

    /** One 2×2 window, the same comparisons in the same order as {@link #pool2x2}. */
    private static void pool2x2Scalar(float[] x, int xOff, int w, int first, float[] y, int yAt, int[] argmax, int argAt, int argBase) {
        int i0 = first, i1 = first + w;
        float a = x[xOff + i0], b = x[xOff + i0 + 1], c = x[xOff + i1], d = x[xOff + i1 + 1];
        float top = a, bottom = c;
        int topAt = i0, bottomAt = i1;
        if (b > a) { top = b; topAt = i0 + 1; }
        if (d > c) { bottom = d; bottomAt = i1 + 1; }
        boolean lower = bottom > top;
        y[yAt] = lower ? bottom : top;
        argmax[argAt] = argBase + (lower ? bottomAt : topAt);
    }
}
