package org.panamacnn.simd;

/**
 * Adaptive average pooling of NHWC images ({@link AdaptivePool}'s windows), for inference:
 * vectorised over each pixel's channels ({@link VectorNhwcAdaptivePool}) or in plain Java
 * ({@link ScalarNhwcAdaptivePool}), summing each window row-major as
 * {@link AdaptivePool#averageForward} does, so the same bits.
 */
public final class NhwcAdaptivePool {
    private NhwcAdaptivePool() {}

    /**
     * For output rows [0, oh) and columns [0, ow) of image n of an h×w input: out[outMap.at(n, i, j) + c] =
     * (Σ over the cells (r, q) of window (i, j) of in[inMap.at(n, r, q) + c]) / the window's cell count, for
     * c &lt; channels (the input's border is never read). Writes out.
     */
    public static void average(float[] in, PixelMap inMap, int h, int w, float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        Checks.positive("height", h);
        Checks.positive("width", w);
        Checks.positive("output height", oh);
        Checks.positive("output width", ow);
        Checks.nonNegative("channels", channels);
        if (KernelProvider.VECTORIZED) {
            VectorNhwcAdaptivePool.average(in, inMap, h, w, out, outMap, n, oh, ow, channels);
        } else {
            ScalarNhwcAdaptivePool.average(in, inMap, h, w, out, outMap, n, oh, ow, channels, 0);
        }
    }
}
