package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Leaky ReLU with negative slope s, as PyTorch's: y = x if x &gt; 0 else s·x; backward
 * dx = dy if x &gt; 0 else s·dy (from the forward's input x).
 */
final class VectorLeakyRelu {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorLeakyRelu() {}

    /** y = x &gt; 0 ? x : slope·x. Writes y; y may be x. */
    public static void forward(int n, float slope, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            v.mul(slope).blend(v, positive).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : slope * v;
        }
    }

    /** dx = x &gt; 0 ? dy : slope·dy. Writes dx; dx may be dy. */
    public static void backward(int n, float slope, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "x", x, xOff);
        Checks.range("dx", dx, dxOff, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            VectorMask<Float> positive = FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f);
            g.mul(slope).blend(g, positive).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : slope * dy[dyOff + i];
    }
}
