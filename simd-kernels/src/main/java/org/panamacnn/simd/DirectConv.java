package org.panamacnn.simd;

/**
 * Direct stride-1 convolution forward of one image, for layers with few input channels (an
 * image's 1 or 3 channels), where im2col + GEMM is memory-bound; its weight gradient is
 * {@link ConvWeightGradient}. Runs {@link VectorDirectConv} or {@link ScalarDirectConv}; both sum
 * bias, then channel, kernel row, kernel column, so results do not depend on threads.
 */
public final class DirectConv {
    private DirectConv() {}

    /** Floats of work plane {@link #forward} needs for c channels of h×w. */
    public static int workLength(int c, int h, int w, int pad) {
        return KernelProvider.VECTORIZED ? VectorDirectConv.workLength(c, h, w, pad) : 0;
    }

    /**
     * y[co] = bias[co] + Σ_{ci,u,v} weight[co, ci, u, v] · x[ci, i+u−pad, j+v−pad] for the k×k,
     * stride-1 convolution of one image x[cin, h, w]; bias may be null (none); with relu, y =
     * max(y, 0). weight is [cout, cin, k, k]. Writes y[cout, oh, ow] and the work plane.
     */
    public static void forward(float[] x, int xOff, int cin, int h, int w, int k, int pad,
                               float[] weight, int wOff, int cout, float[] bias, int biasOff, boolean relu,
                               float[] y, int yOff, float[] work) {
        if (KernelProvider.VECTORIZED) {
            VectorDirectConv.forward(x, xOff, cin, h, w, k, pad, weight, wOff, cout, bias, biasOff, relu, y, yOff, work);
        } else {
            ScalarDirectConv.forward(x, xOff, cin, h, w, k, pad, weight, wOff, cout, bias, biasOff, relu, y, yOff);
        }
    }
}
