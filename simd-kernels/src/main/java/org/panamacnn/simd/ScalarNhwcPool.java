package org.panamacnn.simd;

/** {@link NhwcPool} in plain Java, channel by channel. */
final class ScalarNhwcPool {
    private ScalarNhwcPool() {}

    static void max(float[] in, PixelMap inMap, int inShift, int rowFloats, int pixelFloats, int window,
                    float[] out, PixelMap outMap, int outShift, int n, int i0, int i1, int ow, int channels) {
        Checks.positive("window", window);
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < ow; j++) {
                int src = inMap.at(n, i, j) + inShift, dst = outMap.at(n, i, j) + outShift;
                for (int c = 0; c < channels; c++) {
                    float m = in[src + c];
                    for (int u = 0; u < window; u++) {
                        for (int v = 0; v < window; v++) m = Math.max(m, in[src + u * rowFloats + v * pixelFloats + c]);
                    }
                    out[dst + c] = m;
                }
            }
        }
    }

    static void average(float[] in, PixelMap inMap, int inShift, int rowFloats, int pixelFloats, int windowH,
                        int windowW, float[] out, PixelMap outMap, int outShift, int n, int i0, int i1, int ow, int channels) {
        Checks.positive("window height", windowH);
        Checks.positive("window width", windowW);
        float count = windowH * windowW;
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < ow; j++) {
                int src = inMap.at(n, i, j) + inShift, dst = outMap.at(n, i, j) + outShift;
                for (int c = 0; c < channels; c++) {
                    float sum = 0f;
                    for (int u = 0; u < windowH; u++) {
                        for (int v = 0; v < windowW; v++) sum += in[src + u * rowFloats + v * pixelFloats + c];
                    }
                    out[dst + c] = sum / count;
                }
            }
        }
    }

    /** See {@link NhwcPool#maxPadded}: one channel at a time. */
    static void maxPadded(float[] in, PixelMap inMap, int h, int w, int window, int stride, int pad,
                                 float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        for (int i = 0; i < oh; i++) {
            int r0 = Math.max(0, i * stride - pad), r1 = Math.min(h, i * stride - pad + window);
            for (int j = 0; j < ow; j++) {
                int q0 = Math.max(0, j * stride - pad), q1 = Math.min(w, j * stride - pad + window);
                int first = inMap.at(n, r0, q0), dst = outMap.at(n, i, j);
                for (int c = 0; c < channels; c++) {
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
