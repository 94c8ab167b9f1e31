package org.panamacnn.simd;

/** {@link NhwcDepthwiseConv} in plain Java: each channel the operations, in the order, of a vector lane. */
final class ScalarNhwcDepthwiseConv {
    private ScalarNhwcDepthwiseConv() {}

    static void convolve(float[] in, PixelMap windows, int rowFloats, int pixelFloats, int k, float[] weights, float[] bias,
                         float lo, float hi, float[] out, PixelMap outMap, int n, int i0, int i1, int ow, int channels) {
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < ow; j++) {
                pixel(in, windows.at(n, i, j), rowFloats, pixelFloats, k, weights, bias, lo, hi, out, outMap.at(n, i, j), 0, channels);
            }
        }
    }

    /** Channels [c0, channels) of one output pixel whose window corner is src, written at dst. */
    static void pixel(float[] in, int src, int rowFloats, int pixelFloats, int k, float[] weights, float[] bias,
                      float lo, float hi, float[] out, int dst, int c0, int channels) {
        for (int c = c0; c < channels; c++) {
            float acc = bias[c];
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) acc = Math.fma(in[src + u * rowFloats + v * pixelFloats + c], weights[(u * k + v) * channels + c], acc);
            }
            out[dst + c] = Math.min(Math.max(acc, lo), hi);
        }
    }
}
