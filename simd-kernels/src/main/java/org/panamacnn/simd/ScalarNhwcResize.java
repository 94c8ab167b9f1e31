package org.panamacnn.simd;

/** {@link NhwcResize} in plain Java, one channel at a time. */
final class ScalarNhwcResize {
    private ScalarNhwcResize() {}

    /** {@link NhwcResize#resize} for channels [from, channels). */
    static void resize(float[] in, PixelMap inMap, ResizeAxis rows, ResizeAxis cols, float[] out, PixelMap outMap, int n, int channels, int from) {
        boolean nearest = rows.isNearest() && cols.isNearest(); // a copy, as Resize.forward
        for (int i = 0; i < rows.out(); i++) {
            int r0 = rows.first()[i], r1 = rows.second()[i];
            float a = rows.lo()[i], b = rows.hi()[i];
            for (int j = 0; j < cols.out(); j++) {
                int c0 = cols.first()[j], c1 = cols.second()[j];
                float l = cols.lo()[j], r = cols.hi()[j];
                int p00 = inMap.at(n, r0, c0), p01 = inMap.at(n, r0, c1), p10 = inMap.at(n, r1, c0), p11 = inMap.at(n, r1, c1);
                int dst = outMap.at(n, i, j);
                if (nearest) {
                    System.arraycopy(in, p00 + from, out, dst + from, channels - from);
                    continue;
                }
                for (int c = from; c < channels; c++) {
                    out[dst + c] = a * (l * in[p00 + c] + r * in[p01 + c]) + b * (l * in[p10 + c] + r * in[p11 + c]);
                }
            }
        }
    }
}
