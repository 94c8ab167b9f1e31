package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The vector part of {@link Im2Col#col2im}: one column-matrix row added to a whole shifted plane. */
final class VectorIm2Col {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    private VectorIm2Col() {}

    /**
     * col2im's counterpart of Im2Col's shiftedPlane: x[q + dy·w + dx] += cols[q] over the whole
     * in-image range of one column-matrix row, whole vectors at a time, with the |dx| wrapped
     * columns per row masked off (lane t's column (q + t) mod w is kept in an int vector and
     * wrapped by two conditional subtractions of w, so planes down to half a vector wide take
     * this path too, such as 14×14 with 16 lanes, where row-by-row adds would be scalar tails). Each
     * pixel gets its terms in the same order as row by row would add them.
     */
    static void addShiftedPlane(float[] cols, int src, int oh, int h, int w, int dy, int dx,
                                        float[] x, int xPlane) {
        int iLo = Math.max(0, -dy), iHi = Math.min(oh, h - dy);
        int jLo = Math.max(0, -dx), jHi = Math.min(w, w - dx);
        if (iLo >= iHi || jLo >= jHi) return;
        int from = iLo * w + jLo, to = (iHi - 1) * w + jHi;
        int dst = xPlane + dy * w + dx; // x index of cols entry q is dst + q, inside the plane for q in [from, to)
        // 2w ≥ L: two conditional subtractions bring any value below w + L − 1 under w
        IntVector col = IntVector.zero(I).addIndex(1).add(from % w);
        col = col.sub(w, col.compare(VectorOperators.GE, w));
        col = col.sub(w, col.compare(VectorOperators.GE, w));
        int q = from;
        for (; q + L <= to; q += L) {
            VectorMask<Float> inside = col.compare(VectorOperators.GE, jLo)
                    .and(col.compare(VectorOperators.LT, jHi)).cast(F);
            FloatVector.fromArray(F, x, dst + q)
                    .add(FloatVector.fromArray(F, cols, src + q), inside)
                    .intoArray(x, dst + q);
            col = col.add(L);
            col = col.sub(w, col.compare(VectorOperators.GE, w));
            col = col.sub(w, col.compare(VectorOperators.GE, w));
        }
        for (; q < to; q++) {
            int j = q % w;
            if (j >= jLo && j < jHi) x[dst + q] += cols[src + q];
        }
    }
}
