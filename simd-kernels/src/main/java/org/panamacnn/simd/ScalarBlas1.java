package org.panamacnn.simd;

/** {@link Blas1} in plain Java: the vector kernels' scalar tails, run over the whole range. */
final class ScalarBlas1 {
    private ScalarBlas1() {}

    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    static void scale(int n, float alpha, float[] x, int xOff) {
        Checks.nonNegative("n", n);
        Checks.range("x", x, xOff, n);
        for (int i = 0; i < n; i++) x[xOff + i] *= alpha;
    }

    static void addUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += x[xOff + i];
    }

    static void scaleInto(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = alpha * x[xOff + i];
    }

    static void addInto(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
    }

    static void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = x[xOff + i] * y[yOff + i];
    }

    /** Σ x[i] left to right. */
    static float sumUnchecked(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[xOff + i];
        return s;
    }

    /** Σ x[i]·y[i] left to right, one fused multiply-add per term. */
    static float dotUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    static void sgdUpdate(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                          float[] w, int wOff, float[] g, int gOff, float[] v, int vOff) {
        Checks.vectors(n, "w", w, wOff, "g", g, gOff);
        if (momentum != 0f) Checks.range("v", v, vOff, n);
        if (momentum == 0f) {
            for (int i = 0; i < n; i++) {
                float gi = Math.fma(weightDecay, w[wOff + i], g[gOff + i]);
                w[wOff + i] = Math.fma(-lr, gi, w[wOff + i]);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float gi = Math.fma(weightDecay, w[wOff + i], g[gOff + i]);
            float vi = Math.fma(momentum, v[vOff + i], gi);
            v[vOff + i] = vi;
            float step = nesterov ? Math.fma(momentum, vi, gi) : vi;
            w[wOff + i] = Math.fma(-lr, step, w[wOff + i]);
        }
    }

    static void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay, long step,
                           float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        Checks.vectors(n, "w", w, wOff, "g", g, gOff);
        Checks.range("m", m, mOff, n);
        Checks.range("v", v, vOff, n);
        if (step < 1) throw new IllegalArgumentException("Adam step numbers start at 1, got " + step);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
        float oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2;
        for (int i = 0; i < n; i++) {
            float gi = Math.fma(weightDecay, w[wOff + i], g[gOff + i]);
            float mi = m[mOff + i] * beta1 + gi * oneMinusB1;
            float vi = v[vOff + i] * beta2 + gi * gi * oneMinusB2;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) * invSqrtCorrection2 + eps;
            w[wOff + i] = w[wOff + i] - mi / denom * stepSize;
        }
    }
}
