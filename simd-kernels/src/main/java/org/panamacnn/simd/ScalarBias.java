package org.panamacnn.simd;

/** {@link Bias#addPerRow} in plain Java. */
final class ScalarBias {
    private ScalarBias() {}

    static void addPerRow(int rows, int cols, float[] bias, int biasOff, float[] c, int cOff) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.range("bias", bias, biasOff, rows);
        Checks.range("c", c, cOff, (long) rows * cols);
        for (int r = 0; r < rows; r++) {
            float b = bias[biasOff + r];
            int row = cOff + r * cols;
            for (int j = 0; j < cols; j++) c[row + j] += b;
        }
    }
}
