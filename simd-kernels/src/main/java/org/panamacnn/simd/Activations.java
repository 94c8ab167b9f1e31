package org.panamacnn.simd;

/** Numerically stable softmax, log-softmax and sigmoid (the row maximum with vectors when {@link KernelProvider} chose them). */
public final class Activations {
    private Activations() {}

    /** Row-wise y = exp(x − max) / Σ exp(x − max). Writes y; y may be x. */
    public static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        Checks.rowsOf(rows, cols, "x", x, xOff, "y", y, yOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols, yr = yOff + r * cols;
            float max = max(cols, x, xr);
            float sum = expShifted(cols, x, xr, max, y, yr);
            Blas1.scale(cols, 1f / sum, y, yr);
        }
    }

    /** Row-wise y = x − max − log Σ exp(x − max). Writes y; y may be x. */
    public static void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        Checks.rowsOf(rows, cols, "x", x, xOff, "y", y, yOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols, yr = yOff + r * cols;
            float max = max(cols, x, xr);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(x[xr + j] - max);
            float shift = max + (float) Math.log(sum);
            for (int j = 0; j < cols; j++) y[yr + j] = x[xr + j] - shift;
        }
    }

    /** y = σ(x) = 1 / (1 + e^−x), as e^x / (1 + e^x) for x {@literal <} 0 so neither side overflows. Writes y. */
    public static void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        // Scalar Math.exp, not the vector EXP: the latter gives different bits compiled and
        // interpreted, which would make training depend on JIT timing (see package-info).
        for (int i = 0; i < n; i++) y[yOff + i] = sigmoid(x[xOff + i]);
    }

    public static float sigmoid(float x) {
        if (x >= 0f) return 1f / (1f + (float) Math.exp(-x));
        float e = (float) Math.exp(x);
        return e / (1f + e);
    }

    /** max_i x[off + i] (−∞ for n = 0). */
    static float max(int n, float[] x, int off) {
        if (KernelProvider.VECTORIZED) return VectorActivations.max(n, x, off);
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /**
     * y = exp(x − shift); returns Σ y (summed in double, in index order). Scalar Math.exp, which
     * gives the same bits interpreted and compiled; the vector EXP does not (see package-info).
     */
    private static float expShifted(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = (float) Math.exp(x[xOff + i] - shift);
        double sum = 0;
        for (int j = 0; j < n; j++) sum += y[yOff + j];
        return (float) sum;
    }
}
