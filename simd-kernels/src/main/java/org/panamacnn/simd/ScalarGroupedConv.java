package org.panamacnn.simd;

/**
 * The row passes of {@link GroupedConv} in plain Java: each output column's fused multiply-add is
 * the one a vector lane does, so axpy and scatter give the vector kernels' bits; dot sums in
 * column order (the vector kernel's lane sums differ in the last bits).
 */
final class ScalarGroupedConv {
    private ScalarGroupedConv() {}

    /** y[yOff + j] += a·x[xOff + j·stride] for j &lt; n. */
    static void axpy(int n, float a, float[] x, int xOff, int stride, float[] y, int yOff) {
        for (int j = 0; j < n; j++) y[yOff + j] = Math.fma(x[xOff + j * stride], a, y[yOff + j]);
    }

    /** y[yOff + j·stride] += a·x[xOff + j] for j &lt; n. */
    static void scatter(int n, float a, float[] x, int xOff, float[] y, int yOff, int stride) {
        for (int j = 0; j < n; j++) y[yOff + j * stride] = Math.fma(x[xOff + j], a, y[yOff + j * stride]);
    }

    /** Σ_j a[aOff + j]·b[bOff + j·stride] for j &lt; n, in order of j. */
    static float dot(int n, float[] a, int aOff, float[] b, int bOff, int stride) {
        float sum = 0f;
        for (int j = 0; j < n; j++) sum = Math.fma(a[aOff + j], b[bOff + j * stride], sum);
        return sum;
    }
}
