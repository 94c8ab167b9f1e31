package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Quotient} with vectors (a lane's division is IEEE's, as the scalar one: the same bits). */
final class VectorQuotient {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorQuotient() {}

    static void divide(int n, float d, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).div(d).intoArray(y, yOff + i);
        }
        ScalarQuotient.divide(i, n, d, x, xOff, y, yOff);
    }
}
