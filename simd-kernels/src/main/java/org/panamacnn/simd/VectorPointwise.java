package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Pointwise}'s CLIP vectorised (max and min as Math.max and Math.min, so the bits of {@link ScalarPointwise}). */
final class VectorPointwise {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorPointwise() {}

    /** y = min(max(x, lo), hi). */
    static void clip(float lo, float hi, int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).max(lo).min(hi).intoArray(y, yOff + i);
        }
        ScalarPointwise.clip(lo, hi, i, n, x, xOff, y, yOff);
    }

    /** dx = dy·1[lo &lt; x &lt; hi]. */
    static void clipBackward(float lo, float hi, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            VectorMask<Float> inside = v.compare(VectorOperators.GT, lo).and(v.compare(VectorOperators.LT, hi));
            zero.blend(FloatVector.fromArray(F, dy, dyOff + i), inside).intoArray(dx, dxOff + i);
        }
        ScalarPointwise.clipBackward(lo, hi, i, n, dy, dyOff, x, xOff, dx, dxOff);
    }
}
