package org.panamacnn.simd;

/**
 * Average pooling of NHWC images with padding and ceil mode ({@link WindowPool}'s windows and
 * divisors), for inference: vectorised over each pixel's channels ({@link VectorNhwcWindowPool})
 * or in plain Java ({@link ScalarNhwcWindowPool}), summing each window row-major as
 * {@link WindowPool#averageForward} does, so the same bits. (A padded or ceil-mode max-pool is
 * {@link NhwcPool#maxPadded}: it clips each window to the image already.)
 */
public final class NhwcWindowPool {
    private NhwcWindowPool() {}

    /**
     * For output rows [0, oh) and columns [0, ow) of image n of an h×w input: out[outMap.at(n, i, j) + c] =
     * (Σ over the input cells (r, q) of window (i, j) of in[inMap.at(n, r, q) + c]) / the window's divisor,
     * for c &lt; channels (the input's border is never read). Writes out.
     */
    public static void average(float[] in, PixelMap inMap, int h, int w, int window, int stride, int pad, boolean countPad,
                               float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        Checks.positive("window", window);
        if (KernelProvider.VECTORIZED) {
            VectorNhwcWindowPool.average(in, inMap, h, w, window, stride, pad, countPad, out, outMap, n, oh, ow, channels);
        } else {
            ScalarNhwcWindowPool.average(in, inMap, h, w, window, stride, pad, countPad, out, outMap, n, oh, ow, channels, 0);
        }
    }
}
