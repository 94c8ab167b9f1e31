package org.panamacnn.simd;

/**
 * The passes batch normalisation makes over a channel's values: deviations from a mean, and
 * affine maps. Runs {@link VectorNormalize} or {@link ScalarNormalize}.
 */
public final class Normalize {
    private Normalize() {}

    /** Σ (x[i] − mean)², in an order that depends only on n. Reads x. */
    public static float sumSquaredDeviations(int n, float[] x, int xOff, float mean) {
        return KernelProvider.VECTORIZED ? VectorNormalize.sumSquaredDeviations(n, x, xOff, mean)
                : ScalarNormalize.sumSquaredDeviations(n, x, xOff, mean);
    }

    /** y = a·u + b (y may be u). Writes y. */
    public static void affine(int n, float a, float[] u, int uOff, float b, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorNormalize.affine(n, a, u, uOff, b, y, yOff);
        else ScalarNormalize.affine(n, a, u, uOff, b, y, yOff);
    }

    /** y = a·u + b·v + c. Writes y. */
    public static void affine2(int n, float a, float[] u, int uOff, float b, float[] v, int vOff, float c, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorNormalize.affine2(n, a, u, uOff, b, v, vOff, c, y, yOff);
        else ScalarNormalize.affine2(n, a, u, uOff, b, v, vOff, c, y, yOff);
    }
}
