package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link NhwcWindowPool} with vectors: channels L at a time, the rest by {@link ScalarNhwcWindowPool}. */
final class VectorNhwcWindowPool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNhwcWindowPool() {}

    static void average(float[] in, PixelMap inMap, int h, int w, int window, int stride, int pad, boolean countPad,
                        float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        int bound = F.loopBound(channels);
        for (int i = 0; i < oh; i++) {
            int r0 = Math.max(0, i * stride - pad), r1 = Math.min(h, i * stride - pad + window);
            for (int j = 0; j < ow; j++) {
                int q0 = Math.max(0, j * stride - pad), q1 = Math.min(w, j * stride - pad + window);
                float divisor = WindowPool.divisor(i, j, h, w, window, stride, pad, countPad);
                int dst = outMap.at(n, i, j);
                for (int c = 0; c < bound; c += F.length()) {
                    FloatVector sum = FloatVector.zero(F);
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) sum = sum.add(FloatVector.fromArray(F, in, inMap.at(n, r, q) + c));
                    }
                    sum.div(divisor).intoArray(out, dst + c);
                }
            }
        }
        if (bound < channels) ScalarNhwcWindowPool.average(in, inMap, h, w, window, stride, pad, countPad, out, outMap, n, oh, ow, channels, bound);
    }
}
