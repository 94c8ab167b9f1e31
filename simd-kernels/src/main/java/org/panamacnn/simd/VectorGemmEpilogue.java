package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link GemmEpilogue#apply} with vectors over each row of the tile, the tail in plain Java. */
final class VectorGemmEpilogue {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorGemmEpilogue() {}

    static void apply(GemmEpilogue e, float[] c, int cOff, int ldc, int rows, int cols, int row0, int col0) {
        float[] colBias = e.colBias;
        int colBiasOff = e.colBiasOff;
        boolean relu = e.relu;
        for (int i = 0; i < rows; i++) {
            int at = cOff + i * ldc;
            float rb = e.rowBias == null ? 0f : e.rowBias[e.rowBiasOff + row0 + i];
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                FloatVector v = FloatVector.fromArray(F, c, at + j).add(rb);
                if (colBias != null) v = v.add(FloatVector.fromArray(F, colBias, colBiasOff + col0 + j));
                if (relu) v = v.blend(0f, v.compare(VectorOperators.GT, 0f).not()); // +0 for x ≤ 0, as the scalar path
                v.intoArray(c, at + j);
            }
            e.applyToRow(c, at, j, cols, row0 + i, col0);
        }
    }
}
