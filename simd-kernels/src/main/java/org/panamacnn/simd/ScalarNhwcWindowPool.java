package org.panamacnn.simd;

/** {@link NhwcWindowPool} in plain Java, one channel at a time. */
final class ScalarNhwcWindowPool {
    private ScalarNhwcWindowPool() {}

    /** {@link NhwcWindowPool#average} for channels [from, channels). */
    static void average(float[] in, PixelMap inMap, int h, int w, int window, int stride, int pad, boolean countPad,
                        float[] out, PixelMap outMap, int n, int oh, int ow, int channels, int from) {
        for (int i = 0; i < oh; i++) {
            int r0 = Math.max(0, i * stride - pad), r1 = Math.min(h, i * stride - pad + window);
            for (int j = 0; j < ow; j++) {
                int q0 = Math.max(0, j * stride - pad), q1 = Math.min(w, j * stride - pad + window);
                float divisor = WindowPool.divisor(i, j, h, w, window, stride, pad, countPad);
                int dst = outMap.at(n, i, j);
                for (int c = from; c < channels; c++) {
                    float sum = 0f;
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) sum += in[inMap.at(n, r, q) + c];
                    }
                    out[dst + c] = sum / divisor;
                }
            }
        }
    }
}
