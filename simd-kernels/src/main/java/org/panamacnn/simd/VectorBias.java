package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Bias#addPerRow} with vectors; the rest of {@link Bias} is built on {@link Blas1}. */
final class VectorBias {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorBias() {}

    /** c[r, j] += bias[r]. Writes c. */
    public static void addPerRow(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.range("bias", bias, biasOff, rows);
        Checks.range("c", c, cOff, (long) rows * cols);
        for (int r = 0; r < rows; r++) {
            float b = bias[biasOff + r];
            int row = cOff + r * cols;
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                FloatVector.fromArray(F, c, row + j).add(b).intoArray(c, row + j);
            }
            for (; j < cols; j++) c[row + j] += b;
        }
    }
}
