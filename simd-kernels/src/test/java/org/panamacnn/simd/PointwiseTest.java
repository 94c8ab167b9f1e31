package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.raggedSizes;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamacnn.oracle.OraclePointwise;

/**
 * {@link Pointwise} (whichever family runs: the kernels-scalar execution runs this on
 * {@link ScalarPointwise}) against {@link OraclePointwise}, forward and backward, for every kind on
 * ragged sizes at odd offsets, in place and not, with inputs on both sides of every kink and
 * exactly at the kinks.
 */
class PointwiseTest {
    /** a and b per kind: ReLU6's clip, an asymmetric clip, PyTorch's hard sigmoid. */
    private static float a(Pointwise.Kind kind) {
        return switch (kind) {
            case CLIP -> -1.5f;
            case HARDSIGMOID -> 1f / 6f;
            default -> 0f;
        };
    }

    private static float b(Pointwise.Kind kind) {
        return switch (kind) {
            case CLIP -> 2.25f;
            case HARDSIGMOID -> 0.5f;
            default -> 0f;
        };
    }

    private static DoubleUnaryOperator f(Pointwise.Kind kind) {
        double a = a(kind), b = b(kind);
        return switch (kind) {
            case CLIP -> x -> OraclePointwise.clip(x, a, b);
            case HARDSIGMOID -> x -> OraclePointwise.hardSigmoid(x, a, b);
            case HARDSWISH -> OraclePointwise::hardSwish;
            case SIGMOID -> OraclePointwise::sigmoid;
            case SILU -> OraclePointwise::silu;
        };
    }

    private static DoubleUnaryOperator df(Pointwise.Kind kind) {
        double a = a(kind), b = b(kind);
        return switch (kind) {
            case CLIP -> x -> OraclePointwise.clipDerivative(x, a, b);
            case HARDSIGMOID -> x -> OraclePointwise.hardSigmoidDerivative(x, a, b);
            case HARDSWISH -> OraclePointwise::hardSwishDerivative;
            case SIGMOID -> OraclePointwise::sigmoidDerivative;
            case SILU -> OraclePointwise::siluDerivative;
        };
    }

    /** Inputs in [−8, 8), a quarter of them at a kink of some kind (−3, −1.5, 0, 2.25, 3, 6). */
    private static void fill(Random rnd, float[] x, int off, int n) {
        float[] kinks = {-3f, -1.5f, 0f, 2.25f, 3f, 6f};
        for (int i = 0; i < n; i++) x[off + i] = rnd.nextInt(4) == 0 ? kinks[rnd.nextInt(kinks.length)] : TestSupport.uniform(rnd, -8f, 8f);
    }

    /**
     * A few float roundings relative, 1e-6 absolute: SiLU's backward multiplies 1 − σ(x), whose
     * absolute error is σ's rounding, by x (up to 8).
     */
    private static void assertNear(String ctx, double expected, float actual) {
        TestSupport.assertClose(ctx, expected, actual, 8 * 0x1p-24 * Math.abs(expected) + 1e-6);
    }

    @ParameterizedTest
    @EnumSource(Pointwise.Kind.class)
    void forwardMatchesTheOracle(Pointwise.Kind kind) {
        Random rnd = new Random(kind.ordinal() * 11L + 1);
        for (int n : raggedSizes()) {
            for (boolean alias : new boolean[] {false, true}) {
                String ctx = kind + " forward n=" + n + (alias ? " y=x" : "");
                int xOff = randomOffset(rnd), yOff = alias ? xOff : randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n);
                fill(rnd, x, xOff, n);
                float[] y = alias ? x : guarded(rnd, yOff, n), xBefore = x.clone(), yBefore = y.clone();
                Pointwise.forward(kind, a(kind), b(kind), n, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) assertNear(ctx + " at " + i + " x=" + xBefore[xOff + i], f(kind).applyAsDouble(xBefore[xOff + i]), y[yOff + i]);
                assertUnchangedOutside(ctx, yBefore, y, yOff, yOff + n);
                if (!alias) assertSameBits(ctx + " x (read only)", xBefore, x);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Pointwise.Kind.class)
    void backwardMatchesTheOracle(Pointwise.Kind kind) {
        Random rnd = new Random(kind.ordinal() * 13L + 2);
        for (int n : raggedSizes()) {
            for (boolean alias : new boolean[] {false, true}) {
                String ctx = kind + " backward n=" + n + (alias ? " dx=dy" : "");
                int xOff = randomOffset(rnd), dyOff = randomOffset(rnd), dxOff = alias ? dyOff : randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n), dy = guarded(rnd, dyOff, n);
                fill(rnd, x, xOff, n);
                float[] dx = alias ? dy : guarded(rnd, dxOff, n), dyBefore = dy.clone(), dxBefore = dx.clone();
                Pointwise.backward(kind, a(kind), b(kind), n, dy, dyOff, x, xOff, dx, dxOff);
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    assertNear(ctx + " at " + i + " x=" + v, dyBefore[dyOff + i] * df(kind).applyAsDouble(v), dx[dxOff + i]);
                }
                assertUnchangedOutside(ctx, dxBefore, dx, dxOff, dxOff + n);
            }
        }
    }

    /** With the Vector API loaded, the vectorised CLIP gives the plain-Java kinds' bits, NaN and ±0 included. */
    @Test
    void theVectorClipGivesThePlainJavaBits() {
        if (!KernelProvider.vectorApiLoaded()) return;
        Random rnd = new Random(5);
        float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1.5f, 2.25f, Float.MIN_VALUE};
        for (int n : raggedSizes()) {
            int off = randomOffset(rnd);
            float[] x = guarded(rnd, off, n), dy = guarded(rnd, off, n);
            fill(rnd, x, off, n);
            for (int i = 0; i < n; i += 3) x[off + i] = special[rnd.nextInt(special.length)];
            float[] yv = new float[x.length], ys = new float[x.length], dxv = new float[x.length], dxs = new float[x.length];
            VectorPointwise.clip(-1.5f, 2.25f, n, x, off, yv, off);
            ScalarPointwise.forward(Pointwise.Kind.CLIP, -1.5f, 2.25f, n, x, off, ys, off);
            assertSameBits("clip n=" + n, ys, yv);
            VectorPointwise.clipBackward(-1.5f, 2.25f, n, dy, off, x, off, dxv, off);
            ScalarPointwise.backward(Pointwise.Kind.CLIP, -1.5f, 2.25f, n, dy, off, x, off, dxs, off);
            assertSameBits("clip backward n=" + n, dxs, dxv);
        }
    }
}
