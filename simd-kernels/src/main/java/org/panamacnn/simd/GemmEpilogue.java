package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What GEMM applies to each finished tile of C while it is still in cache: a bias per row
 * (convolution: one per output channel), a bias per column (dense: one per output feature),
 * and ReLU. Saves a separate pass over C. Build one per layer and reuse it; the bias arrays
 * are read at the time of the call.
 */
public final class GemmEpilogue {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    public static final GemmEpilogue NONE = new GemmEpilogue(null, 0, null, 0, false);

    final float[] rowBias;
    final int rowBiasOff;
    final float[] colBias;
    final int colBiasOff;
    final boolean relu;

    private GemmEpilogue(float[] rowBias, int rowBiasOff, float[] colBias, int colBiasOff, boolean relu) {
        this.rowBias = rowBias;
        this.rowBiasOff = rowBiasOff;
        this.colBias = colBias;
        this.colBiasOff = colBiasOff;
        this.relu = relu;
    }

    /** C[i, j] += bias[off + i], then ReLU if asked. */
    public static GemmEpilogue rowBias(float[] bias, int off, boolean relu) {
        return new GemmEpilogue(bias, off, null, 0, relu);
    }

    /** C[i, j] += bias[off + j], then ReLU if asked. */
    public static GemmEpilogue columnBias(float[] bias, int off, boolean relu) {
        return new GemmEpilogue(null, 0, bias, off, relu);
    }

    /** C = max(C, 0). */
    public static GemmEpilogue relu() {
        return new GemmEpilogue(null, 0, null, 0, true);
    }

    boolean isNone() {
        return rowBias == null && colBias == null && !relu;
    }

    void check(int m, int n) {
        if (rowBias != null) Checks.range("row bias", rowBias, rowBiasOff, m);
        if (colBias != null) Checks.range("column bias", colBias, colBiasOff, n);
    }

    /** Applies the epilogue to the rows × cols block of C at (row0, col0) of the whole product, stored at c[cOff]. */
    void apply(float[] c, int cOff, int ldc, int rows, int cols, int row0, int col0) {
        for (int i = 0; i < rows; i++) {
            int at = cOff + i * ldc;
            float rb = rowBias == null ? 0f : rowBias[rowBiasOff + row0 + i];
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                FloatVector v = FloatVector.fromArray(F, c, at + j).add(rb);
                if (colBias != null) v = v.add(FloatVector.fromArray(F, colBias, colBiasOff + col0 + j));
                if (relu) v = v.blend(0f, v.compare(VectorOperators.GT, 0f).not()); // +0 for x ≤ 0, as the scalar path
                v.intoArray(c, at + j);
            }
            for (; j < cols; j++) {
                float v = c[at + j] + rb;
                if (colBias != null) v += colBias[colBiasOff + col0 + j];
                if (relu) v = v > 0f ? v : 0f;
                c[at + j] = v;
            }
        }
    }
}
