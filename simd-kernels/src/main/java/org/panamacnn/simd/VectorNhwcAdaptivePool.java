package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link NhwcAdaptivePool} with vectors: channels L at a time, the rest by {@link ScalarNhwcAdaptivePool}. */
final class VectorNhwcAdaptivePool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNhwcAdaptivePool() {}

    static void average(float[] in, PixelMap inMap, int h, int w, float[] out, PixelMap outMap, int n, int oh, int ow, int channels) {
        int bound = F.loopBound(channels);
        for (int i = 0; i < oh; i++) {
            int r0 = AdaptivePool.start(i, h, oh), r1 = AdaptivePool.end(i, h, oh);
            for (int j = 0; j < ow; j++) {
                int q0 = AdaptivePool.start(j, w, ow), q1 = AdaptivePool.end(j, w, ow);
                float cells = (r1 - r0) * (q1 - q0);
                int dst = outMap.at(n, i, j);
                for (int c = 0; c < bound; c += F.length()) {
                    FloatVector sum = FloatVector.zero(F);
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) sum = sum.add(FloatVector.fromArray(F, in, inMap.at(n, r, q) + c));
                    }
                    sum.div(cells).intoArray(out, dst + c);
                }
            }
        }
        if (bound < channels) ScalarNhwcAdaptivePool.average(in, inMap, h, w, out, outMap, n, oh, ow, channels, bound);
    }
}
