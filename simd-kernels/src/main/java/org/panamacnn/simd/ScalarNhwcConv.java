package org.panamacnn.simd;

/**
 * {@link NhwcConv} in plain Java: one output pixel at a time, four output channels of the panel
 * at a time (four independent multiply-add chains), each summed over k in increasing order from
 * zero, then the bias added and the floor (0 with ReLU, −∞ without) applied, as the vector kernels do.
 */
final class ScalarNhwcConv {
    private static final int NR = NhwcConv.NR;

    private ScalarNhwcConv() {}

    static void convolve(ConvWeights w, float[] in, PixelMap inMap, int n, int p0, int p1, int ow, int panel,
                         float[] out, PixelMap outMap, int outShift, int mr) {
        if (mr != 1 && mr != 4 && mr != 8) throw new IllegalArgumentException("tile height must be 1, 4 or 8, got " + mr);
        if (panel < 0 || panel >= w.panels) throw new IllegalArgumentException("panel " + panel + " of " + w.panels);
        int[] ko = w.kOffsets;
        int wOff = panel * ko.length * NR, biasOff = panel * NR;
        float floor = w.relu ? 0f : Float.NEGATIVE_INFINITY;
        int i = p0 / ow, j = p0 % ow;
        for (int p = p0; p < p1; p++) {
            pixel(w.packed, wOff, ko, in, inMap.at(n, i, j), w.bias, biasOff, floor, out, outMap.at(n, i, j) + outShift);
            if (++j == ow) {
                j = 0;
                i++;
            }
        }
    }

    /**
     * out[at + c] = max(bias[biasOff + c] + Σ_k in[a + ko[k]]·pw[wOff + k·NR + c], floor) for c &lt; NR,
     * k in increasing order.
     */
    private static void pixel(float[] pw, int wOff, int[] ko, float[] in, int a, float[] bias, int biasOff,
                              float floor, float[] out, int at) {
        for (int c = 0; c < NR; c += 4) {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int k = 0, q = wOff + c; k < ko.length; k++, q += NR) {
                float x = in[a + ko[k]];
                s0 = Math.fma(x, pw[q], s0);
                s1 = Math.fma(x, pw[q + 1], s1);
                s2 = Math.fma(x, pw[q + 2], s2);
                s3 = Math.fma(x, pw[q + 3], s3);
            }
            out[at + c] = Math.max(s0 + bias[biasOff + c], floor);
            out[at + c + 1] = Math.max(s1 + bias[biasOff + c + 1], floor);
            out[at + c + 2] = Math.max(s2 + bias[biasOff + c + 2], floor);
            out[at + c + 3] = Math.max(s3 + bias[biasOff + c + 3], floor);
        }
    }

    static void convolveOnePixel(ConvWeights w, float[] in, int inOff, int panel0, int count, float[] out, int outOff,
                                 int[] nonZero) {
        if (w.taps.length != 1 || w.taps[0] != 0) throw new IllegalArgumentException("convolveOnePixel takes 1×1 weights");
        if (panel0 < 0 || count < 0 || panel0 + count > w.panels) {
            throw new IllegalArgumentException("panels " + panel0 + ".." + (panel0 + count) + " of " + w.panels);
        }
        int k = w.cinStride;
        Checks.range("input", in, inOff, k);
        Checks.range("output", out, outOff + panel0 * NR, (long) count * NR);
        if (nonZero.length < k) throw new IllegalArgumentException("scratch of " + nonZero.length + " ints, needs " + k);
        int nz = 0;
        for (int kk = 0; kk < k; kk++) {
            nonZero[nz] = kk;
            nz += in[inOff + kk] != 0f ? 1 : 0;
        }
        float floor = w.relu ? 0f : Float.NEGATIVE_INFINITY;
        float[] pw = w.packed;
        for (int q = panel0; q < panel0 + count; q++) {
            int wOff = q * k * NR, at = outOff + q * NR;
            for (int c = 0; c < NR; c += 4) {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int t = 0; t < nz; t++) {
                    int kk = nonZero[t], r = wOff + kk * NR + c;
                    float x = in[inOff + kk];
                    s0 = Math.fma(x, pw[r], s0);
                    s1 = Math.fma(x, pw[r + 1], s1);
                    s2 = Math.fma(x, pw[r + 2], s2);
                    s3 = Math.fma(x, pw[r + 3], s3);
                }
                out[at + c] = Math.max(s0 + w.bias[q * NR + c], floor);
                out[at + c + 1] = Math.max(s1 + w.bias[q * NR + c + 1], floor);
                out[at + c + 2] = Math.max(s2 + w.bias[q * NR + c + 2], floor);
                out[at + c + 3] = Math.max(s3 + w.bias[q * NR + c + 3], floor);
            }
        }
    }
}
