package org.panamacnn.simd;

/**
 * {@link ConvWeightGradient} in plain Java: each weight a sum over images, output rows and the
 * in-image part of each row, in that order, one fused multiply-add per term. Needs no work array.
 */
final class ScalarConvWeightGradient {
    private ScalarConvWeightGradient() {}

    static void compute(int images, float[] x, int xOff, int cin, int h, int w, int k, int pad,
                        float[] dz, int dzOff, int cout, float[] dw, int dwOff) {
        Checks.positive("images", images);
        Checks.positive("cin", cin);
        Checks.positive("cout", cout);
        Checks.positive("kernel", k);
        Checks.nonNegative("pad", pad);
        int oh = Im2Col.outSize(h, k, 1, pad), ow = Im2Col.outSize(w, k, 1, pad);
        Checks.range("x", x, xOff, (long) images * cin * h * w);
        Checks.range("dz", dz, dzOff, (long) images * cout * oh * ow);
        Checks.range("dw", dw, dwOff, (long) cout * cin * k * k);
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int u = 0; u < k; u++) {
                    // output rows i whose input row i + u − pad lies in the image
                    int iLo = Math.max(0, pad - u), iHi = Math.min(oh, h + pad - u);
                    for (int v = 0; v < k; v++) {
                        int jLo = Math.max(0, pad - v), jHi = Math.min(ow, w + pad - v);
                        float s = 0f;
                        for (int n = 0; n < images; n++) {
                            int dzPlane = dzOff + (n * cout + co) * oh * ow, xPlane = xOff + (n * cin + ci) * h * w;
                            for (int i = iLo; i < iHi; i++) {
                                int d = dzPlane + i * ow, xr = xPlane + (i + u - pad) * w + v - pad;
                                for (int j = jLo; j < jHi; j++) s = Math.fma(dz[d + j], x[xr + j], s);
                            }
                        }
                        dw[dwOff + ((co * cin + ci) * k + u) * k + v] = s;
                    }
                }
            }
        }
    }
}
