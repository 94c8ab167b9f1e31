package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link NhwcResize} with vectors: channels L at a time (separate multiplies and adds, as the scalar expression), the rest by {@link ScalarNhwcResize}. */
final class VectorNhwcResize {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNhwcResize() {}

    static void resize(float[] in, PixelMap inMap, ResizeAxis rows, ResizeAxis cols, float[] out, PixelMap outMap, int n, int channels) {
        int bound = F.loopBound(channels);
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
                    System.arraycopy(in, p00, out, dst, channels);
                    continue;
                }
                for (int c = 0; c < bound; c += F.length()) {
                    FloatVector top = FloatVector.fromArray(F, in, p00 + c).mul(l).add(FloatVector.fromArray(F, in, p01 + c).mul(r));
                    FloatVector bottom = FloatVector.fromArray(F, in, p10 + c).mul(l).add(FloatVector.fromArray(F, in, p11 + c).mul(r));
                    top.mul(a).add(bottom.mul(b)).intoArray(out, dst + c);
                }
            }
        }
        if (!nearest && bound < channels) ScalarNhwcResize.resize(in, inMap, rows, cols, out, outMap, n, channels, bound);
    }
}
