package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise activations beyond ReLU, forward and backward, as PyTorch computes them. Each kind
 * takes two constants a and b (their meaning per kind below; unused ones are ignored):
 * <pre>
 * CLIP         y = min(max(x, a), b)            dx = dy·1[a &lt; x &lt; b]          (ReLU6: a = 0, b = 6)
 * HARDSIGMOID  y = min(max(a·x + b, 0), 1)      dx = a·dy·1[0 &lt; a·x + b &lt; 1]   (PyTorch: a = 1/6, b = 1/2)
 * HARDSWISH    y = x·min(max(x + 3, 0), 6) / 6  dx = dy·(0 if x &lt; −3, x/3 + 1/2 if x ≤ 3, else 1)
 * SIGMOID      y = σ(x) = 1 / (1 + e^−x)        dx = dy·σ(x)·(1 − σ(x))
 * SILU         y = x·σ(x)                       dx = dy·σ(x)·(1 + x·(1 − σ(x)))
 * </pre>
 * Backward reads the forward's input x. The exponentials are scalar {@code Math.exp}, which gives
 * the same bits interpreted and compiled (the vector EXP does not; see {@link Lanes}), so results do
 * not depend on JIT timing; CLIP is vectorised.
 */
public final class Pointwise {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** The functions; see the class comment for a and b. */
    public enum Kind { CLIP, HARDSIGMOID, HARDSWISH, SIGMOID, SILU }

    private Pointwise() {}

    /** y[i] = f(x[i]) for i &lt; n. Writes y; y may be x. */
    public static void forward(Kind kind, float a, float b, int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        switch (kind) {
            case CLIP -> clip(a, b, n, x, xOff, y, yOff);
            case HARDSIGMOID -> {
                for (int i = 0; i < n; i++) y[yOff + i] = Math.min(Math.max(a * x[xOff + i] + b, 0f), 1f);
            }
            case HARDSWISH -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) y[yOff + i] = Activations.sigmoid(x[xOff + i]);
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v * Activations.sigmoid(v);
                }
            }
        }
    }

    /** dx[i] = dy[i]·f'(x[i]) for i &lt; n (x: the forward's input). Writes dx; dx may be dy. */
    public static void backward(Kind kind, float a, float b, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "x", x, xOff);
        Checks.range("dx", dx, dxOff, n);
        switch (kind) {
            case CLIP -> clipBackward(a, b, n, dy, dyOff, x, xOff, dx, dxOff);
            case HARDSIGMOID -> {
                for (int i = 0; i < n; i++) {
                    float t = a * x[xOff + i] + b;
                    dx[dxOff + i] = t > 0f && t < 1f ? a * dy[dyOff + i] : 0f;
                }
            }
            case HARDSWISH -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i], g = dy[dyOff + i];
                    dx[dxOff + i] = v < -3f ? 0f : v <= 3f ? g * (v / 3f + 0.5f) : g;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    float s = Activations.sigmoid(x[xOff + i]);
                    dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i], s = Activations.sigmoid(v);
                    dx[dxOff + i] = dy[dyOff + i] * s * (1f + v * (1f - s));
                }
            }
        }
    }

    private static void clip(float lo, float hi, int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).max(lo).min(hi).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.min(Math.max(x[xOff + i], lo), hi);
    }

    private static void clipBackward(float lo, float hi, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            VectorMask<Float> inside = v.compare(VectorOperators.GT, lo).and(v.compare(VectorOperators.LT, hi));
            zero.blend(FloatVector.fromArray(F, dy, dyOff + i), inside).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            dx[dxOff + i] = v > lo && v < hi ? dy[dyOff + i] : 0f;
        }
    }
}
