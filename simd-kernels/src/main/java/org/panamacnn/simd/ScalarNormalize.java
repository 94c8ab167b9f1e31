package org.panamacnn.simd;

/** {@link Normalize} in plain Java: sums left to right, one fused multiply-add per term. */
final class ScalarNormalize {
    private ScalarNormalize() {}

    static float sumSquaredDeviations(int n, float[] x, int xOff, float mean) {
        Checks.range("x", x, xOff, n);
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float d = x[xOff + i] - mean;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    static void affine(int n, float a, float[] u, int uOff, float b, float[] y, int yOff) {
        Checks.vectors(n, "u", u, uOff, "y", y, yOff);
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(u[uOff + i], a, b);
    }

    static void affine2(int n, float a, float[] u, int uOff, float b, float[] v, int vOff, float c, float[] y, int yOff) {
        Checks.vectors(n, "u", u, uOff, "v", v, vOff);
        Checks.range("y", y, yOff, n);
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(v[vOff + i], b, Math.fma(u[uOff + i], a, c));
    }
}
