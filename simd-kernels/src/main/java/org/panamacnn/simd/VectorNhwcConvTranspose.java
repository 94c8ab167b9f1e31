package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link NhwcConvTranspose} with vectors over L output channels, the rest by {@link ScalarNhwcConvTranspose}. */
final class VectorNhwcConvTranspose {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNhwcConvTranspose() {}

    static void forward(float[] in, PixelMap inMap, int h, int w, int cin, float[] packed, float[] bias, int cout,
                        int k, int stride, int pad, float[] out, PixelMap outMap, int n, int rowFrom, int rowTo, int ow) {
        int bound = F.loopBound(cout);
        for (int oy = rowFrom; oy < rowTo; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int dst = outMap.at(n, oy, ox);
                for (int co = 0; co < bound; co += F.length()) {
                    FloatVector acc = FloatVector.fromArray(F, bias, co);
                    for (int u = NhwcConvTranspose.firstTap(oy, stride, pad); u < k; u += stride) {
                        int iy = (oy + pad - u) / stride;
                        if (oy + pad - u < 0 || iy >= h) continue;
                        for (int v = NhwcConvTranspose.firstTap(ox, stride, pad); v < k; v += stride) {
                            int ix = (ox + pad - v) / stride;
                            if (ox + pad - v < 0 || ix >= w) continue;
                            int src = inMap.at(n, iy, ix), row = (u * k + v) * cin * cout + co;
                            for (int ci = 0; ci < cin; ci++) {
                                acc = FloatVector.broadcast(F, in[src + ci]).fma(FloatVector.fromArray(F, packed, row + ci * cout), acc);
                            }
                        }
                    }
                    acc.intoArray(out, dst + co);
                }
            }
        }
        if (bound < cout) {
            ScalarNhwcConvTranspose.forward(in, inMap, h, w, cin, packed, bias, cout, k, stride, pad, out, outMap, n, rowFrom, rowTo, ow, bound);
        }
    }
}
