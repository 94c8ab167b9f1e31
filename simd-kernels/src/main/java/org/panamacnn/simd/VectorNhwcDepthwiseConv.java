package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link NhwcDepthwiseConv} vectorised over the channels of each output pixel, the channel tail in scalars. */
final class VectorNhwcDepthwiseConv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNhwcDepthwiseConv() {}

    static void convolve(float[] in, PixelMap windows, int rowFloats, int pixelFloats, int k, float[] weights, float[] bias,
                         float lo, float hi, float[] out, PixelMap outMap, int n, int i0, int i1, int ow, int channels) {
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
                ScalarNhwcDepthwiseConv.pixel(in, src, rowFloats, pixelFloats, k, weights, bias, lo, hi, out, dst, c, channels);
            }
        }
    }
}
