package org.panamacnn.simd;

/** ReLU forward, which records the mask 1[x > 0], and backward, which applies it ({@link VectorRelu} or {@link ScalarRelu}). */
public final class Relu {
    private Relu() {}

    /** y = max(x, 0) and mask = x > 0. Writes y and mask; y may be x. */
    public static void forward(int n, float[] x, int xOff, float[] y, int yOff, boolean[] mask, int maskOff) {
        if (KernelProvider.VECTORIZED) VectorRelu.forward(n, x, xOff, y, yOff, mask, maskOff);
        else ScalarRelu.forward(n, x, xOff, y, yOff, mask, maskOff);
    }

    /** y = max(x, 0) without a mask (inference). Writes y; y may be x. */
    public static void forward(int n, float[] x, int xOff, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorRelu.forward(n, x, xOff, y, yOff);
        else ScalarRelu.forward(n, x, xOff, y, yOff);
    }

    /**
     * y = a + b where that is > 0, else 0 (as {@link #forward}): a residual block's sum and the ReLU after it in one pass (its backward is
     * {@link #backwardFromOutput}). Writes y; y may be a or b.
     */
    public static void forwardOfSum(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
        Checks.vectors(n, "a", a, aOff, "b", b, bOff);
        Checks.range("y", y, yOff, n);
        if (KernelProvider.VECTORIZED) VectorRelu.forwardOfSum(n, a, aOff, b, bOff, y, yOff);
        else ScalarRelu.forwardOfSum(n, a, aOff, b, bOff, y, yOff);
    }

    /** dx = dy ⊙ mask. Writes dx; dx may be dy. */
    public static void backward(int n, float[] dy, int dyOff, boolean[] mask, int maskOff, float[] dx, int dxOff) {
        if (KernelProvider.VECTORIZED) VectorRelu.backward(n, dy, dyOff, mask, maskOff, dx, dxOff);
        else ScalarRelu.backward(n, dy, dyOff, mask, maskOff, dx, dxOff);
    }

    /**
     * dx = dy ⊙ 1[y > 0] from ReLU's output y — equal to the mask 1[x > 0], since y > 0 exactly
     * where x > 0 — for a ReLU fused into the layer before it, where no mask was recorded.
     * Writes dx; dx may be dy.
     */
    public static void backwardFromOutput(int n, float[] dy, int dyOff, float[] y, int yOff, float[] dx, int dxOff) {
        if (KernelProvider.VECTORIZED) VectorRelu.backwardFromOutput(n, dy, dyOff, y, yOff, dx, dxOff);
        else ScalarRelu.backwardFromOutput(n, dy, dyOff, y, yOff, dx, dxOff);
    }
}
