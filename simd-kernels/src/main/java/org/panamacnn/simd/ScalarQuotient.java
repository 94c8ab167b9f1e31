package org.panamacnn.simd;

/** {@link Quotient} in plain Java. */
final class ScalarQuotient {
    private ScalarQuotient() {}

    /** y[i] = x[i] / d for i in [from, n). */
    static void divide(int from, int n, float d, float[] x, int xOff, float[] y, int yOff) {
        for (int i = from; i < n; i++) y[yOff + i] = x[xOff + i] / d;
    }
}
