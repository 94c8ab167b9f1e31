package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** ReLU forward, which records the mask 1[x > 0], and backward, which applies it. */
final class VectorRelu {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorRelu() {}

    /** y = max(x, 0) and mask = x > 0. Writes y and mask; y may be x. */
    public static void forward(int n, float[] x, int xOff, float[] y, int yOff, boolean[] mask, int maskOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        Checks.range("mask", mask, maskOff, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            positive.intoArray(mask, maskOff + i);
            FloatVector.zero(F).blend(v, positive).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            boolean positive = v > 0f;
            mask[maskOff + i] = positive;
            y[yOff + i] = positive ? v : 0f;
        }
    }

    /** y = max(x, 0) without a mask (inference). Writes y; y may be x. */
    public static void forward(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            FloatVector.zero(F).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : 0f;
        }
    }

    /** dx = dy ⊙ mask. Writes dx; dx may be dy. */
    public static void backward(int n, float[] dy, int dyOff, boolean[] mask, int maskOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "dx", dx, dxOff);
        Checks.range("mask", mask, maskOff, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorMask<Float> m = VectorMask.fromArray(F, mask, maskOff + i);
            // A masked load yields zero in the lanes where the mask is off.
            FloatVector.fromArray(F, dy, dyOff + i, m).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) dx[dxOff + i] = mask[maskOff + i] ? dy[dyOff + i] : 0f;
    }

    /**
     * dx = dy ⊙ 1[y > 0] from ReLU's output y — equal to the mask 1[x > 0], since y > 0 exactly
     * where x > 0 — for a ReLU fused into the layer before it, where no mask was recorded.
     * Writes dx; dx may be dy.
     */
    static void forwardOfSum(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i));
            FloatVector.zero(F).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = a[aOff + i] + b[bOff + i];
            y[yOff + i] = v > 0f ? v : 0f;
        }
    }

    public static void backwardFromOutput(int n, float[] dy, int dyOff, float[] y, int yOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "y", y, yOff);
        Checks.range("dx", dx, dxOff, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorMask<Float> m = FloatVector.fromArray(F, y, yOff + i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(F, dy, dyOff + i, m).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
}
