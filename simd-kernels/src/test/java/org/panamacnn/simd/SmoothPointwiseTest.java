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
import org.panamacnn.oracle.OracleWindowPool;

/**
 * {@link SmoothPointwise} (tanh, GELU both ways) against {@link OraclePointwise} on ragged sizes at
 * odd offsets, in place and not; its two twins give the same bits (specials included); and
 * {@link NhwcWindowPool}'s average against the oracle and, twin against twin, to the same bits.
 */
class SmoothPointwiseTest {
    private static DoubleUnaryOperator f(SmoothPointwise.Kind kind) {
        return switch (kind) {
            case TANH -> OraclePointwise::tanh;
            case GELU -> OraclePointwise::gelu;
            case GELU_TANH -> OraclePointwise::geluTanh;
        };
    }

    private static DoubleUnaryOperator df(SmoothPointwise.Kind kind) {
        return switch (kind) {
            case TANH -> OraclePointwise::tanhDerivative;
            case GELU -> OraclePointwise::geluDerivative;
            case GELU_TANH -> OraclePointwise::geluTanhDerivative;
        };
    }

    /** Inputs mostly in [−10, 10), some tiny (tanh's x-for-small-x branch) and some far out (the clamps). */
    private static void fill(Random rnd, float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(8);
            x[off + i] = kind == 0 ? TestSupport.uniform(rnd, -1e-3f, 1e-3f) : kind == 1 ? TestSupport.uniform(rnd, -60f, 60f)
                    : TestSupport.uniform(rnd, -10f, 10f);
        }
    }

    /** 1e-6 absolute (erf's and tanh's fits are within 4e-7, times |x| ≤ 1 where it matters) plus a few roundings relative. */
    private static void assertNear(String ctx, double expected, float actual) {
        TestSupport.assertClose(ctx, expected, actual, 16 * 0x1p-24 * Math.abs(expected) + 1e-6);
    }

    @ParameterizedTest
    @EnumSource(SmoothPointwise.Kind.class)
    void forwardAndBackwardMatchTheOracle(SmoothPointwise.Kind kind) {
        Random rnd = new Random(kind.ordinal() * 17L + 3);
        for (int n : raggedSizes()) {
            for (boolean alias : new boolean[] {false, true}) {
                String ctx = kind + " n=" + n + (alias ? " in place" : "");
                int xOff = randomOffset(rnd), yOff = alias ? xOff : randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n);
                fill(rnd, x, xOff, n);
                float[] y = alias ? x : guarded(rnd, yOff, n), xBefore = x.clone(), yBefore = y.clone();
                SmoothPointwise.forward(kind, n, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) assertNear(ctx + " forward at x=" + xBefore[xOff + i], f(kind).applyAsDouble(xBefore[xOff + i]), y[yOff + i]);
                assertUnchangedOutside(ctx, yBefore, y, yOff, yOff + n);
                float[] x2 = guarded(rnd, xOff, n), dy = guarded(rnd, yOff, n);
                fill(rnd, x2, xOff, n);
                float[] dx = alias ? dy : guarded(rnd, randomOffset(rnd) + xOff, n), dyBefore = dy.clone(), dxBefore = dx.clone();
                int dxOff = alias ? yOff : xOff + (dx.length - x2.length) / 2;
                dxOff = alias ? yOff : randomOffset(rnd);
                if (!alias) {
                    dx = guarded(rnd, dxOff, n);
                    dxBefore = dx.clone();
                }
                SmoothPointwise.backward(kind, n, dy, yOff, x2, xOff, dx, dxOff);
                for (int i = 0; i < n; i++) {
                    double v = x2[xOff + i];
                    assertNear(ctx + " backward at x=" + v, dyBefore[yOff + i] * df(kind).applyAsDouble(v), dx[dxOff + i]);
                }
                assertUnchangedOutside(ctx + " backward", dxBefore, dx, dxOff, dxOff + n);
            }
        }
    }

    /** With the Vector API loaded, the vector twin gives the plain-Java twin's bits, NaN, ±0, ±∞ and the clamps included. */
    @Test
    void theVectorTwinGivesThePlainJavaBits() {
        if (!KernelProvider.vectorApiLoaded()) return;
        Random rnd = new Random(7);
        float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 4f, -4f, 7.9053111f, 0.0004f, -0.0004f,
            13.2f, -13.2f, 88f, Float.MIN_VALUE};
        for (int n : raggedSizes()) {
            int off = randomOffset(rnd);
            float[] x = guarded(rnd, off, n), dy = guarded(rnd, off, n);
            fill(rnd, x, off, n);
            for (int i = 0; i < n; i += 3) x[off + i] = special[rnd.nextInt(special.length)];
            for (SmoothPointwise.Kind kind : SmoothPointwise.Kind.values()) {
                float[] yv = new float[x.length], ys = new float[x.length], dxv = new float[x.length], dxs = new float[x.length];
                VectorSmoothPointwise.forward(kind, n, x, off, yv, off);
                ScalarSmoothPointwise.forward(kind, 0, n, x, off, ys, off);
                assertSameBits(kind + " n=" + n, ys, yv);
                VectorSmoothPointwise.backward(kind, n, dy, off, x, off, dxv, off);
                ScalarSmoothPointwise.backward(kind, 0, n, dy, off, x, off, dxs, off);
                assertSameBits(kind + " backward n=" + n, dxs, dxv);
            }
        }
    }

    /** The NHWC average with padding and ceil mode, at odd channel counts (vector tails), against the oracle; twins the same bits. */
    @Test
    void nhwcWindowAverageMatchesTheOracleAndTwinsAgree() {
        Random rnd = new Random(8);
        for (int[] s : new int[][] {{7, 6, 3, 2, 1}, {8, 8, 3, 2, 1}, {5, 9, 2, 2, 1}, {6, 5, 3, 1, 0}, {1, 1, 3, 2, 1}}) {
            int h = s[0], w = s[1], k = s[2], stride = s[3], pad = s[4];
            for (int channels : new int[] {1, 5, TestSupport.LANES + 3}) {
                for (boolean ceil : new boolean[] {false, true}) {
                    for (boolean countPad : new boolean[] {false, true}) {
                        if (h + 2 * pad < k || w + 2 * pad < k) continue;
                        int oh = WindowPool.outSize(h, k, stride, pad, ceil), ow = WindowPool.outSize(w, k, stride, pad, ceil);
                        PixelMap in = PixelMap.nhwc(h, w, 1, channels + 1), out = PixelMap.nhwc(oh, ow, 0, channels);
                        float[] x = TestSupport.randomArray(rnd, 2 * in.perImage()), y = new float[2 * out.perImage()], ys = y.clone();
                        double[] planes = new double[channels * h * w]; // image 1 as NCHW for the oracle
                        for (int c = 0; c < channels; c++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) planes[(c * h + r) * w + q] = x[in.at(1, r, q) + c];
                        double[] expected = OracleWindowPool.forward(planes, 1, channels, h, w, k, stride, pad, ceil, true, countPad);
                        NhwcWindowPool.average(x, in, h, w, k, stride, pad, countPad, y, out, 1, oh, ow, channels);
                        String ctx = h + "×" + w + "×" + channels + " k" + k + " s" + stride + " p" + pad + (ceil ? " ceil" : "") + (countPad ? " count pad" : "");
                        for (int c = 0; c < channels; c++) {
                            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                                TestSupport.assertClose(ctx, expected[(c * oh + i) * ow + j], y[out.at(1, i, j) + c], 1e-6);
                            }
                        }
                        ScalarNhwcWindowPool.average(x, in, h, w, k, stride, pad, countPad, ys, out, 1, oh, ow, channels, 0);
                        assertSameBits(ctx + ": the twins", ys, y);
                    }
                }
            }
        }
    }
}
