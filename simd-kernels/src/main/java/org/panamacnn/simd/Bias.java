package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bias addition and its gradient reduction on a row-major rows×cols matrix. A convolution's
 * output [cout, plane] gets one bias per row; a dense layer's [batch, out] one per column.
 */
public final class Bias {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Bias() {}

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

    /** c[r, j] += bias[j]. Writes c. */
    public static void addPerColumn(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.range("bias", bias, biasOff, cols);
        Checks.range("c", c, cOff, (long) rows * cols);
        for (int r = 0; r < rows; r++) Blas1.addUnchecked(cols, bias, biasOff, c, cOff + r * cols);
    }

    /** out[r] += Σ_j x[r, j] (the gradient of a per-row bias). Writes out. */
    public static void sumRowsInto(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.range("x", x, xOff, (long) rows * cols);
        Checks.range("out", out, outOff, rows);
        for (int r = 0; r < rows; r++) out[outOff + r] += Blas1.sumUnchecked(cols, x, xOff + r * cols);
    }

    /** out[j] += Σ_r x[r, j] (the gradient of a per-column bias), rows added in order. Writes out. */
    public static void sumColumnsInto(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.range("x", x, xOff, (long) rows * cols);
        Checks.range("out", out, outOff, cols);
        for (int r = 0; r < rows; r++) Blas1.addUnchecked(cols, x, xOff + r * cols, out, outOff);
    }
}
