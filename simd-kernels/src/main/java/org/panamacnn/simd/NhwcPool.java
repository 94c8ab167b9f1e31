package org.panamacnn.simd;

/**
 * Max- and average-pooling over NHWC images (inference: no arg-max kept), vectorised over the
 * channels of each pixel ({@link VectorNhwcPool}) or in plain Java ({@link ScalarNhwcPool}).
 */
public final class NhwcPool {
    private NhwcPool() {}

    /**
     * For pooled rows [i0, i1) and columns [0, ow) of image n: out[outMap.at(n, i, j) + outShift + c] =
     * max_{u, v {@literal <} window} in[inMap.at(n, i, j) + inShift + u·rowFloats + v·pixelFloats + c] for c {@literal <} channels
     * (inMap gives each window's corner, the stride included). Writes out.
     */
    public static void max(float[] in, PixelMap inMap, int inShift, int rowFloats, int pixelFloats, int window,
                           float[] out, PixelMap outMap, int outShift, int n, int i0, int i1, int ow, int channels) {
        if (KernelProvider.VECTORIZED) {
            VectorNhwcPool.max(in, inMap, inShift, rowFloats, pixelFloats, window, out, outMap, outShift, n, i0, i1, ow, channels);
        } else {
            ScalarNhwcPool.max(in, inMap, inShift, rowFloats, pixelFloats, window, out, outMap, outShift, n, i0, i1, ow, channels);
        }
    }

    /**
     * Max-pooling with padding that counts as −∞ (PyTorch's MaxPool2d(padding=p)), for output rows
     * [0, oh) and columns [0, ow) of image n of an h×w input: out[outMap.at(n, i, j) + c] = max over
     * input cells (r, q) of rows i·s−p .. i·s−p+k and columns j·s−p .. j·s−p+k inside the image of
     * in[inMap.at(n, r, q) + c] (the input's zero border is never read). Writes out.
     */
    public static void maxPadded(float[] in, PixelMap inMap, int h, int w, int window, int stride, int pad,
                                 float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        Checks.positive("window", window);
        if (KernelProvider.VECTORIZED) VectorNhwcPool.maxPadded(in, inMap, h, w, window, stride, pad, out, outMap, n, oh, ow, channels);
        else ScalarNhwcPool.maxPadded(in, inMap, h, w, window, stride, pad, out, outMap, n, oh, ow, channels);
    }

    /**
     * As {@link #max}, the window's mean: (Σ over u, v in row-major order) / window², the order
     * and rounding of {@link AvgPool#forward}, so the same bits. Writes out.
     */
    public static void average(float[] in, PixelMap inMap, int inShift, int rowFloats, int pixelFloats, int windowH,
                               int windowW, float[] out, PixelMap outMap, int outShift, int n, int i0, int i1, int ow,
                               int channels) {
        if (KernelProvider.VECTORIZED) {
            VectorNhwcPool.average(in, inMap, inShift, rowFloats, pixelFloats, windowH, windowW, out, outMap, outShift, n, i0, i1, ow, channels);
        } else {
            ScalarNhwcPool.average(in, inMap, inShift, rowFloats, pixelFloats, windowH, windowW, out, outMap, outShift, n, i0, i1, ow, channels);
        }
    }
}
