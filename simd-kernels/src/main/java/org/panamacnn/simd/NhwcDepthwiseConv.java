package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution (one k×k filter per channel) of NHWC images whose zero border is as wide
 * as the padding, vectorised over the channels of each output pixel, with the bias and a clamp
 * (ReLU: [0, ∞), ReLU6: [0, 6], none: (−∞, ∞)) on the store:
 * out[n,i,j,c] = min(max(b[c] + Σ_{u,v &lt; k} w[(u·k + v)·channels + c]·in[window(n,i,j) + u·row + v·pixel + c], lo), hi).
 * Inference only (no padding checks: the border supplies the zeros).
 */
public final class NhwcDepthwiseConv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

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
        int bound = F.loopBound(channels);
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < ow; j++) {
                int src = windows.at(n, i, j), dst = outMap.at(n, i, j);
                int c = 0;
                for (; c < bound; c += F.length()) {
                    FloatVector acc = FloatVector.fromArray(F, bias, c);
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            FloatVector x = FloatVector.fromArray(F, in, src + u * rowFloats + v * pixelFloats + c);
                            acc = x.fma(FloatVector.fromArray(F, weights, (u * k + v) * channels + c), acc);
                        }
                    }
                    acc.max(lo).min(hi).intoArray(out, dst + c);
                }
                for (; c < channels; c++) { // the same operations in the same order as a lane above
                    float acc = bias[c];
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) acc = Math.fma(in[src + u * rowFloats + v * pixelFloats + c], weights[(u * k + v) * channels + c], acc);
                    }
                    out[dst + c] = Math.min(Math.max(acc, lo), hi);
                }
            }
        }
    }
}
