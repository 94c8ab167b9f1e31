package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The passes batch normalisation makes over a channel's values: deviations from a mean, and affine maps. */
final class VectorNormalize {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorNormalize() {}

    /** Σ (x[i] − mean)², lanes then a fixed-order lane sum, as {@link VectorBlas1#sum}. */
    public static float sumSquaredDeviations(int n, float[] x, int xOff, float mean) {
        Checks.range("x", x, xOff, n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, x, xOff + i).sub(mean);
            acc = d.fma(d, acc);
        }
        float s = acc.lane(0); // lanes left to right, in this method (see package-info)
        for (int l = 1; l < F.length(); l++) s += acc.lane(l);
        for (; i < n; i++) {
            float d = x[xOff + i] - mean;
            s += d * d;
        }
        return s;
    }

    /** y = a·u + b (y may be u). Writes y. */
    public static void affine(int n, float a, float[] u, int uOff, float b, float[] y, int yOff) {
        Checks.vectors(n, "u", u, uOff, "y", y, yOff);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, u, uOff + i).fma(a, b).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(u[uOff + i], a, b);
    }

    /** y = a·u + b·v + c. Writes y. */
    public static void affine2(int n, float a, float[] u, int uOff, float b, float[] v, int vOff, float c, float[] y, int yOff) {
        Checks.vectors(n, "u", u, uOff, "v", v, vOff);
        Checks.range("y", y, yOff, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector inner = FloatVector.fromArray(F, u, uOff + i).fma(a, c);
            FloatVector.fromArray(F, v, vOff + i).fma(FloatVector.broadcast(F, b), inner).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(v[vOff + i], b, Math.fma(u[uOff + i], a, c));
    }
}
