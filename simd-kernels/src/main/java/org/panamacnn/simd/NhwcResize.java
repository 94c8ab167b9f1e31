package org.panamacnn.simd;

/**
 * Resizing NHWC images ({@link ResizeAxis}), for inference: vectors over each pixel's channels
 * ({@link VectorNhwcResize}) or plain Java ({@link ScalarNhwcResize}), the expression and order
 * of {@link Resize#forward}, so the training pass's bits.
 */
public final class NhwcResize {
    private NhwcResize() {}

    /**
     * For every output pixel (i, j) of image n: out[outMap.at(n, i, j) + c] = the resize of
     * in[inMap.at(n, ·, ·) + c], for c &lt; channels (borders are neither read nor written). Writes out.
     */
    public static void resize(float[] in, PixelMap inMap, ResizeAxis rows, ResizeAxis cols, float[] out, PixelMap outMap, int n, int channels) {
        Checks.nonNegative("channels", channels);
        if (KernelProvider.VECTORIZED) VectorNhwcResize.resize(in, inMap, rows, cols, out, outMap, n, channels);
        else ScalarNhwcResize.resize(in, inMap, rows, cols, out, outMap, n, channels, 0);
    }
}
