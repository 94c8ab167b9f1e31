package org.panamacnn.simd;

/**
 * Depthwise convolution (one k×k filter per channel) of NHWC images whose zero border is as wide
 * as the padding, with the bias and a clamp (ReLU: [0, ∞), ReLU6: [0, 6], none: (−∞, ∞)) on the store:
 * out[n,i,j,c] = min(max(b[c] + Σ_{u,v &lt; k} w[(u·k + v)·channels + c]·in[window(n,i,j) + u·row + v·pixel + c], lo), hi).
 * Vectorised over the channels of each output pixel ({@link VectorNhwcDepthwiseConv}) or in plain
 * Java ({@link ScalarNhwcDepthwiseConv}); each channel's fused multiply-adds run in the same order
 * in both, so they give the same bits. Inference only (no padding checks: the border supplies the zeros).
 */
public final class NhwcDepthwiseConv {
    private NhwcDepthwiseConv() {}

    /**
     * Output rows [i0, i1) of image n. windows gives each output pixel's window corner in `in`
     * (the stride included), rowFloats / pixelFloats the input's row and pixel strides; weights
     * [k·k, channels] and bias [channels] as above. Writes out at outMap.
     */
    public static void convolve(float[] in, PixelMap windows, int rowFloats, int pixelFloats, int k, float[] weights, float[] bias,
                                float lo, float hi, float[] out, PixelMap outMap, int n, int i0, int i1, int ow, int channels) {
        Checks.positive("kernel", k);
        Checks.range("weights", weights, 0, (long) k * k * channels);
        Checks.range("bias", bias, 0, channels);
        if (KernelProvider.VECTORIZED) {
            VectorNhwcDepthwiseConv.convolve(in, windows, rowFloats, pixelFloats, k, weights, bias, lo, hi, out, outMap, n, i0, i1, ow, channels);
        } else {
            ScalarNhwcDepthwiseConv.convolve(in, windows, rowFloats, pixelFloats, k, weights, bias, lo, hi, out, outMap, n, i0, i1, ow, channels);
        }
    }
}
