package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The vector part of {@link Activations}: a row's maximum. */
final class VectorActivations {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorActivations() {}

    static float max(int n, float[] x, int off) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (n >= F.length()) {
            FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                acc = acc.max(FloatVector.fromArray(F, x, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }
}
