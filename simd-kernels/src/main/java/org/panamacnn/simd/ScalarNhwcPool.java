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
}
