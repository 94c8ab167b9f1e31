package org.panamacnn.simd;

/**
 * Level-1 BLAS on float[] with offsets: each method names what it reads and what it writes.
 * Runs {@link VectorBlas1} or {@link ScalarBlas1}, as {@link KernelProvider} chose.
 */
public final class Blas1 {
    private Blas1() {}

    /** y[i] += alpha·x[i]. Writes y. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorBlas1.axpy(n, alpha, x, xOff, y, yOff);
        else ScalarBlas1.axpy(n, alpha, x, xOff, y, yOff);
    }

    /** x[i] *= alpha. Writes x. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        if (KernelProvider.VECTORIZED) VectorBlas1.scale(n, alpha, x, xOff);
        else ScalarBlas1.scale(n, alpha, x, xOff);
    }

    /** y[i] += x[i]. Writes y. */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        addUnchecked(n, x, xOff, y, yOff);
    }

    static void addUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorBlas1.addUnchecked(n, x, xOff, y, yOff);
        else ScalarBlas1.addUnchecked(n, x, xOff, y, yOff);
    }

    /** y[i] = alpha·x[i]. Writes y (which may be x). */
    public static void scaleInto(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        if (KernelProvider.VECTORIZED) VectorBlas1.scaleInto(n, alpha, x, xOff, y, yOff);
        else ScalarBlas1.scaleInto(n, alpha, x, xOff, y, yOff);
    }

    /** z[i] = x[i] + y[i]. Writes z (which may be x or y). */
    public static void addInto(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        Checks.range("z", z, zOff, n);
        if (KernelProvider.VECTORIZED) VectorBlas1.addInto(n, x, xOff, y, yOff, z, zOff);
        else ScalarBlas1.addInto(n, x, xOff, y, yOff, z, zOff);
    }

    /** z[i] = x[i]·y[i]. Writes z (which may be x or y). */
    public static void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        Checks.range("z", z, zOff, n);
        if (KernelProvider.VECTORIZED) VectorBlas1.multiply(n, x, xOff, y, yOff, z, zOff);
        else ScalarBlas1.multiply(n, x, xOff, y, yOff, z, zOff);
    }

    /** Σ x[i], in an order that depends only on n, never on threads. */
    public static float sum(int n, float[] x, int xOff) {
        Checks.nonNegative("n", n);
        Checks.range("x", x, xOff, n);
        return sumUnchecked(n, x, xOff);
    }

    static float sumUnchecked(int n, float[] x, int xOff) {
        return KernelProvider.VECTORIZED ? VectorBlas1.sumUnchecked(n, x, xOff) : ScalarBlas1.sumUnchecked(n, x, xOff);
    }

    /** Σ x[i]·y[i]. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        return dotUnchecked(n, x, xOff, y, yOff);
    }

    static float dotUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        return KernelProvider.VECTORIZED ? VectorBlas1.dotUnchecked(n, x, xOff, y, yOff) : ScalarBlas1.dotUnchecked(n, x, xOff, y, yOff);
    }

    /**
     * One SGD step with momentum and L2 weight decay on a parameter array (PyTorch's convention):
     * g' = g + λ·w; v = μ·v + g'; w -= η·(nesterov ? g' + μ·v : v). With μ = 0, v is not touched
     * and may be null. Writes w and v.
     */
    public static void sgdUpdate(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                 float[] w, int wOff, float[] g, int gOff, float[] v, int vOff) {
        if (KernelProvider.VECTORIZED) VectorBlas1.sgdUpdate(n, lr, momentum, weightDecay, nesterov, w, wOff, g, gOff, v, vOff);
        else ScalarBlas1.sgdUpdate(n, lr, momentum, weightDecay, nesterov, w, wOff, g, gOff, v, vOff);
    }

    /**
     * One Adam step (PyTorch's formulation, L2 weight decay added to the gradient):
     * g' = g + λw; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
     * w −= (η / (1−β1^t)) · m / (√v / √(1−β2^t) + ε), t the 1-based step number. Writes w, m and v.
     */
    public static void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay, long step,
                                  float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        if (KernelProvider.VECTORIZED) VectorBlas1.adamUpdate(n, lr, beta1, beta2, eps, weightDecay, step, w, wOff, g, gOff, m, mOff, v, vOff);
        else ScalarBlas1.adamUpdate(n, lr, beta1, beta2, eps, weightDecay, step, w, wOff, g, gOff, m, mOff, v, vOff);
    }
}
