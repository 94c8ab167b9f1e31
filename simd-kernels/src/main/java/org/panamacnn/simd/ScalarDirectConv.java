package org.panamacnn.simd;

/**
 * {@link DirectConv} in plain Java: each output pixel from its bias, then one fused multiply-add
 * per in-image tap (channel, kernel row, kernel column); taps off the image add nothing, so no
 * padded copy is needed.
 */
final class ScalarDirectConv {
    private ScalarDirectConv() {}

    static void forward(float[] x, int xOff, int cin, int h, int w, int k, int pad,
                        float[] weight, int wOff, int cout, float[] bias, int biasOff, boolean relu,
                        float[] y, int yOff) {
        int oh = Im2Col.outSize(h, k, 1, pad), ow = Im2Col.outSize(w, k, 1, pad);
        Checks.positive("cin", cin);
        Checks.range("x", x, xOff, (long) cin * h * w);
        Checks.range("weight", weight, wOff, (long) cout * cin * k * k);
        if (bias != null) Checks.range("bias", bias, biasOff, cout);
        Checks.range("y", y, yOff, (long) cout * oh * ow);
        int taps = cin * k * k;
        for (int co = 0; co < cout; co++) {
            float b = bias == null ? 0f : bias[biasOff + co];
            int w0 = wOff + co * taps, out = yOff + co * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float a = b;
                    for (int ci = 0; ci < cin; ci++) {
                        for (int u = 0; u < k; u++) {
                            int row = i + u - pad;
                            if (row < 0 || row >= h) continue;
                            int xr = xOff + (ci * h + row) * w, t = w0 + (ci * k + u) * k;
                            for (int v = 0; v < k; v++) {
                                int col = j + v - pad;
                                if (col >= 0 && col < w) a = Math.fma(x[xr + col], weight[t + v], a);
                            }
                        }
                    }
                    y[out + i * ow + j] = relu ? Math.max(a, 0f) : a;
                }
            }
        }
    }
}
