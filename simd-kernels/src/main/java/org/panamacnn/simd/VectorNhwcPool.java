package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link NhwcPool} vectorised over the channels of each pixel. */
final class VectorNhwcPool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNhwcPool() {}

    /**
     * For pooled rows [i0, i1) and columns [0, ow) of image n: out[outMap.at(n, i, j) + outShift + c] =
     * max_{u, v < window} in[inMap.at(n, i, j) + inShift + u·rowFloats + v·pixelFloats + c] for c < channels
     * (inMap gives each window's corner, the stride included). Writes out.
     */
    public static void max(float[] in, PixelMap inMap, int inShift, int rowFloats, int pixelFloats, int window,
                           float[] out, PixelMap outMap, int outShift, int n, int i0, int i1, int ow, int channels) {
        Checks.positive("window", window);
        int bound = F.loopBound(channels);
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < ow; j++) {
                int src = inMap.at(n, i, j) + inShift, dst = outMap.at(n, i, j) + outShift;
                int c = 0;
                for (; c < bound; c += F.length()) {
                    FloatVector m = FloatVector.fromArray(F, in, src + c);
                    for (int u = 0; u < window; u++) {
                        for (int v = 0; v < window; v++) {
                            m = m.max(FloatVector.fromArray(F, in, src + u * rowFloats + v * pixelFloats + c));
                        }
                    }
                    m.intoArray(out, dst + c);
                }
                for (; c < channels; c++) {
                    float m = in[src + c];
                    for (int u = 0; u < window; u++) {
                        for (int v = 0; v < window; v++) m = Math.max(m, in[src + u * rowFloats + v * pixelFloats + c]);
                    }
                    out[dst + c] = m;
                }
            }
        }
    }

    /**
     * As {@link #max}, the window's mean: (Σ over u, v in row-major order) / window², the order
     * and rounding of {@link AvgPool#forward}, so the same bits. Writes out.
     */
    public static void average(float[] in, PixelMap inMap, int inShift, int rowFloats, int pixelFloats, int windowH,
                               int windowW, float[] out, PixelMap outMap, int outShift, int n, int i0, int i1, int ow,
                               int channels) {
        Checks.positive("window height", windowH);
        Checks.positive("window width", windowW);
        int bound = F.loopBound(channels);
        float count = windowH * windowW;
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < ow; j++) {
                int src = inMap.at(n, i, j) + inShift, dst = outMap.at(n, i, j) + outShift;
                int c = 0;
                for (; c < bound; c += F.length()) {
                    FloatVector sum = FloatVector.zero(F);
                    for (int u = 0; u < windowH; u++) {
                        for (int v = 0; v < windowW; v++) {
                            sum = sum.add(FloatVector.fromArray(F, in, src + u * rowFloats + v * pixelFloats + c));
                        }
                    }
                    sum.div(count).intoArray(out, dst + c);
                }
                for (; c < channels; c++) {
                    float sum = 0f;
                    for (int u = 0; u < windowH; u++) {
                        for (int v = 0; v < windowW; v++) sum += in[src + u * rowFloats + v * pixelFloats + c];
                    }
                    out[dst + c] = sum / count;
                }
            }
        }
    }

    /** See {@link NhwcPool#maxPadded}: channels L at a time, the rest one by one. */
    static void maxPadded(float[] in, PixelMap inMap, int h, int w, int window, int stride, int pad,
                                 float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        int bound = F.loopBound(channels);
        for (int i = 0; i < oh; i++) {
            int r0 = Math.max(0, i * stride - pad), r1 = Math.min(h, i * stride - pad + window);
            for (int j = 0; j < ow; j++) {
                int q0 = Math.max(0, j * stride - pad), q1 = Math.min(w, j * stride - pad + window);
                int first = inMap.at(n, r0, q0), dst = outMap.at(n, i, j);
                int c = 0;
                for (; c < bound; c += F.length()) {
                    FloatVector m = FloatVector.fromArray(F, in, first + c);
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) m = m.max(FloatVector.fromArray(F, in, inMap.at(n, r, q) + c));
                    }
                    m.intoArray(out, dst + c);
                }
                for (; c < channels; c++) {
                    float m = in[first + c];
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) m = Math.max(m, in[inMap.at(n, r, q) + c]);
                    }
                    out[dst + c] = m;
                }
            }
        }
    }
}
