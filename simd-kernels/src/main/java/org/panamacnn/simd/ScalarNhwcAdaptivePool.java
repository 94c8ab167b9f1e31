package org.panamacnn.simd;

/** {@link NhwcAdaptivePool} in plain Java, one channel at a time. */
final class ScalarNhwcAdaptivePool {
    private ScalarNhwcAdaptivePool() {}

    /** {@link NhwcAdaptivePool#average} for channels [from, channels). */
    static void average(float[] in, PixelMap inMap, int h, int w, float[] out, PixelMap outMap, int n, int oh, int ow, int channels, int from) {
        for (int i = 0; i < oh; i++) {
            int r0 = AdaptivePool.start(i, h, oh), r1 = AdaptivePool.end(i, h, oh);
            for (int j = 0; j < ow; j++) {
                int q0 = AdaptivePool.start(j, w, ow), q1 = AdaptivePool.end(j, w, ow);
                float cells = (r1 - r0) * (q1 - q0);
                int dst = outMap.at(n, i, j);
                for (int c = from; c < channels; c++) {
                    float sum = 0f;
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) sum += in[inMap.at(n, r, q) + c];
                    }
                    out[dst + c] = sum / cells;
                }
            }
        }
    }
}
