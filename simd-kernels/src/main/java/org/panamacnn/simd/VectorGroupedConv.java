package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The row passes of {@link GroupedConv}, vectorised over the output columns when the stride is 1. */
final class VectorGroupedConv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorGroupedConv() {}

    /** y[yOff + j] += a·x[xOff + j·stride] for j &lt; n. */
    static void axpy(int n, float a, float[] x, int xOff, int stride, float[] y, int yOff) {
        int j = 0;
        if (stride == 1) {
            for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                FloatVector.fromArray(F, x, xOff + j).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yOff + j)).intoArray(y, yOff + j);
            }
        }
        for (; j < n; j++) y[yOff + j] = Math.fma(x[xOff + j * stride], a, y[yOff + j]);
    }

    /** y[yOff + j·stride] += a·x[xOff + j] for j &lt; n. */
    static void scatter(int n, float a, float[] x, int xOff, float[] y, int yOff, int stride) {
        int j = 0;
        if (stride == 1) {
            for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                FloatVector.fromArray(F, x, xOff + j).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yOff + j)).intoArray(y, yOff + j);
            }
        }
        for (; j < n; j++) y[yOff + j * stride] = Math.fma(x[xOff + j], a, y[yOff + j * stride]);
    }

    /** Σ_j a[aOff + j]·b[bOff + j·stride] for j &lt; n: vector lanes summed left to right, then the tail. */
    static float dot(int n, float[] a, int aOff, float[] b, int bOff, int stride) {
        int j = 0;
        float sum = 0f;
        if (stride == 1 && n >= F.length()) {
            FloatVector acc = FloatVector.zero(F);
            for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                acc = FloatVector.fromArray(F, a, aOff + j).fma(FloatVector.fromArray(F, b, bOff + j), acc);
            }
            sum = acc.lane(0); // lanes left to right, in this method (see package-info)
            for (int l = 1; l < F.length(); l++) sum += acc.lane(l);
        }
        for (; j < n; j++) sum = Math.fma(a[aOff + j], b[bOff + j * stride], sum);
        return sum;
    }
}
