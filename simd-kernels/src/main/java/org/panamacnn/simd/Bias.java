package org.panamacnn.simd;

/**
 * Bias addition and its gradient reduction on a row-major rows×cols matrix. A convolution's
 * output [cout, plane] gets one bias per row; a dense layer's [batch, out] one per column.
 * Runs {@link VectorBias} or {@link ScalarBias}.
 */
public final class Bias {
    private Bias() {}

    /** c[r, j] += bias[r]. Writes c. */
    public static void addPerRow(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff) {
        if (KernelProvider.VECTORIZED) VectorBias.addPerRow(rows, cols, bias, biasOff, c, cOff);
        else ScalarBias.addPerRow(rows, cols, bias, biasOff, c, cOff);
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
