package org.panamacnn.simd;

/**
 * {@link NhwcConv} in plain Java: one output pixel at a time, its panel's NR sums in a row of
 * accumulators (per thread, so nothing is allocated per call) updated for each k in increasing
 * order from zero — a loop over the row that C2 vectorizes on its own — then the bias added and
 * the floor (0 with ReLU, −∞ without) applied, as the vector kernels do.
 */
final class ScalarNhwcConv {
    private static final int NR = NhwcConv.NR;
    private static final ThreadLocal<float[]> ACCUMULATORS = ThreadLocal.withInitial(() -> new float[NR]);

    private ScalarNhwcConv() {}

    static void convolve(ConvWeights w, float[] in, PixelMap inMap, int n, int p0, int p1, int ow, int panel,
                         float[] out, PixelMap outMap, int outShift, int mr) {
        if (mr != 1 && mr != 4 && mr != 8) throw new IllegalArgumentException("tile height must be 1, 4 or 8, got " + mr);
        if (panel < 0 || panel >= w.panels) throw new IllegalArgumentException("panel " + panel + " of " + w.panels);
        int[] ko = w.kOffsets;
        int wOff = panel * ko.length * NR, biasOff = panel * NR;
        float floor = w.relu ? 0f : Float.NEGATIVE_INFINITY;
        float[] acc = ACCUMULATORS.get();
        int i = p0 / ow, j = p0 % ow;
        for (int p = p0; p < p1; p++) {
            int a = inMap.at(n, i, j);
            java.util.Arrays.fill(acc, 0f);
            for (int k = 0, q = wOff; k < ko.length; k++, q += NR) addRow(in[a + ko[k]], w.packed, q, acc);
            store(acc, w.bias, biasOff, floor, out, outMap.at(n, i, j) + outShift);
            if (++j == ow) {
                j = 0;
                i++;
            }
        }
    }

    /** acc[c] = fma(x, pw[q + c], acc[c]) for the whole row (its length is not a constant to C2, so the loop is vectorized, not unrolled flat). */
    private static void addRow(float x, float[] pw, int q, float[] acc) {
        for (int c = 0; c < acc.length; c++) acc[c] = Math.fma(x, pw[q + c], acc[c]);
    }

    /** out[at + c] = max(acc[c] + bias[biasOff + c], floor). */
    private static void store(float[] acc, float[] bias, int biasOff, float floor, float[] out, int at) {
        for (int c = 0; c < acc.length; c++) out[at + c] = Math.max(acc[c] + bias[biasOff + c], floor);
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
        float[] acc = ACCUMULATORS.get();
        for (int q = panel0; q < panel0 + count; q++) {
            int wOff = q * k * NR;
            java.util.Arrays.fill(acc, 0f);
            for (int t = 0; t < nz; t++) addRow(in[inOff + nonZero[t]], w.packed, wOff + nonZero[t] * NR, acc);
            store(acc, w.bias, q * NR, floor, out, outOff + q * NR);
        }
    }
}
