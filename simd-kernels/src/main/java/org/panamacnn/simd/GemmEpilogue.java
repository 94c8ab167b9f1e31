package org.panamacnn.simd;

/**
 * What GEMM applies to each finished tile of C while it is still in cache: a bias per row
 * (convolution: one per output channel), a bias per column (dense: one per output feature),
 * and ReLU. Saves a separate pass over C. Build one per layer and reuse it; the bias arrays
 * are read at the time of the call.
 */
public final class GemmEpilogue {
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

    /**
     * Applies the epilogue to the rows × cols block of C at (row0, col0) of the whole product, stored
     * at c[cOff] (with vectors when {@link KernelProvider} chose them: the same values). Writes c.
     */
    void apply(float[] c, int cOff, int ldc, int rows, int cols, int row0, int col0) {
        if (KernelProvider.VECTORIZED) {
            VectorGemmEpilogue.apply(this, c, cOff, ldc, rows, cols, row0, col0);
            return;
        }
        for (int i = 0; i < rows; i++) applyToRow(c, cOff + i * ldc, 0, cols, row0 + i, col0);
    }

    /** Columns [from, to) of C's row `row` of the product, stored from c[at]: bias, then ReLU (+0 for x ≤ 0). Writes c. */
    void applyToRow(float[] c, int at, int from, int to, int row, int col0) {
        float rb = rowBias == null ? 0f : rowBias[rowBiasOff + row];
        for (int j = from; j < to; j++) {
            float v = c[at + j] + rb;
            if (colBias != null) v += colBias[colBiasOff + col0 + j];
            if (relu) v = v > 0f ? v : 0f;
            c[at + j] = v;
        }
    }
}
