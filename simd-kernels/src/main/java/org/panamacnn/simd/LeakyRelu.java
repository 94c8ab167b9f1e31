package org.panamacnn.simd;

/**
 * Leaky ReLU with negative slope s, as PyTorch's: y = x if x &gt; 0 else s·x; backward
 * dx = dy if x &gt; 0 else s·dy (from the forward's input x). Runs {@link VectorLeakyRelu} or
 * {@link ScalarLeakyRelu}.
 */
public final class LeakyRelu {
    private LeakyRelu() {}

    /** y = x &gt; 0 ? x : slope·x. Writes y; y may be x. */
    public static void forward(int n, float slope, float[] x, int xOff, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorLeakyRelu.forward(n, slope, x, xOff, y, yOff);
        else ScalarLeakyRelu.forward(n, slope, x, xOff, y, yOff);
    }

    /** dx = x &gt; 0 ? dy : slope·dy. Writes dx; dx may be dy. */
    public static void backward(int n, float slope, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        if (KernelProvider.VECTORIZED) VectorLeakyRelu.backward(n, slope, dy, dyOff, x, xOff, dx, dxOff);
        else ScalarLeakyRelu.backward(n, slope, dy, dyOff, x, xOff, dx, dxOff);
    }
}
