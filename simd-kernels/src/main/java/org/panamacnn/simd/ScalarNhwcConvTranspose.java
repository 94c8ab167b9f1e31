package org.panamacnn.simd;

/** {@link NhwcConvTranspose} in plain Java, one output channel at a time. */
final class ScalarNhwcConvTranspose {
    private ScalarNhwcConvTranspose() {}

    /** {@link NhwcConvTranspose#forward} for output channels [from, cout). */
    static void forward(float[] in, PixelMap inMap, int h, int w, int cin, float[] packed, float[] bias, int cout,
                        int k, int stride, int pad, float[] out, PixelMap outMap, int n, int rowFrom, int rowTo, int ow, int from) {
        for (int oy = rowFrom; oy < rowTo; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int dst = outMap.at(n, oy, ox);
                for (int co = from; co < cout; co++) {
                    float acc = bias[co];
                    for (int u = NhwcConvTranspose.firstTap(oy, stride, pad); u < k; u += stride) {
                        int iy = (oy + pad - u) / stride;
                        if (oy + pad - u < 0 || iy >= h) continue;
                        for (int v = NhwcConvTranspose.firstTap(ox, stride, pad); v < k; v += stride) {
                            int ix = (ox + pad - v) / stride;
                            if (ox + pad - v < 0 || ix >= w) continue;
                            int src = inMap.at(n, iy, ix), row = (u * k + v) * cin * cout + co;
                            for (int ci = 0; ci < cin; ci++) acc = Math.fma(in[src + ci], packed[row + ci * cout], acc);
                        }
                    }
                    out[dst + co] = acc;
                }
            }
        }
    }
}
