package org.panamacnn.simd;

/**
 * y = x / d for a run of floats and one divisor: a division by a constant (ONNX's Div by an
 * initializer, e.g. a per-channel std), exact as PyTorch computes it (x·(1/d) is not). Runs
 * {@link VectorQuotient} or {@link ScalarQuotient}: the same bits.
 */
public final class Quotient {
    private Quotient() {}

    /** y[i] = x[i] / d for i &lt; n. Writes y; y may be x. */
    public static void divide(int n, float d, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        if (KernelProvider.VECTORIZED) VectorQuotient.divide(n, d, x, xOff, y, yOff);
        else ScalarQuotient.divide(0, n, d, x, xOff, y, yOff);
    }
}
