package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleMaxPool;

/**
 * {@link MaxPool} against {@link OracleMaxPool}: windows 2 and 3, strides 1 (overlapping), equal to
 * the window (exact) and larger (gapped), 1..5 planes, odd sizes, inputs with and without ties.
 * k = 2, stride = 2 runs the unrolled fast path; everything else the general loop.
 */
class MaxPoolTest {

    private static final int[][] PLANE_SIZES = {{2, 2}, {3, 3}, {4, 4}, {5, 7}, {7, 9}, {8, 8}, {9, 5}, {11, 13}};

    /** Values drawn from only four levels when ties are wanted, so most windows have several maxima. */
    private static void fill(Random rnd, float[] x, int off, int n, boolean ties) {
        for (int i = 0; i < n; i++) {
            x[off + i] = ties ? rnd.nextInt(4) - 2 : rnd.nextFloat() * 2 - 1;
        }
    }

    @Test
    void forwardAndBackwardEqualOracle() {
        Random rnd = new Random(2718L);
        for (int k = 2; k <= 3; k++) {
            for (int stride = 1; stride <= 3; stride++) {
                for (int planes = 1; planes <= 5; planes++) {
                    for (int[] hw : PLANE_SIZES) {
                        if (hw[0] < k || hw[1] < k) {
                            continue;
                        }
                        for (boolean ties : new boolean[] {false, true}) {
                            check(rnd, planes, hw[0], hw[1], k, stride, ties);
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows wide enough for the vectorised 2×2/stride-2 path to run whole vectors of L outputs
     * and then a masked tail of every length (ow = L−1 .. 3L+3, odd and even w), and the
     * general path on the same wide rows.
     */
    @Test
    void wideRowsOnBothPaths() {
        Random rnd = new Random(3141L);
        int l = TestSupport.LANES;
        int[] widths = {2 * l - 2, 2 * l - 1, 2 * l, 2 * l + 1, 2 * l + 2, 2 * l + 5, 4 * l + 6, 4 * l + 7, 6 * l + 7};
        for (int w : widths) {
            for (int h : new int[] {2, 3, 5}) {
                for (int planes = 1; planes <= 3; planes++) {
                    for (boolean ties : new boolean[] {false, true}) {
                        check(rnd, planes, h, w, 2, 2, ties);
                    }
                }
                check(rnd, 2, h, w, 2, 1, true);
                check(rnd, 2, h, w, 2, 3, false);
                if (h >= 3) {
                    check(rnd, 2, h, w, 3, 2, true);
                }
            }
        }
    }

    private static void check(Random rnd, int planes, int h, int w, int k, int stride, boolean ties) {
        String ctx = String.format("maxpool planes=%d h=%d w=%d k=%d stride=%d%s", planes, h, w, k, stride,
                ties ? " ties" : "");
        int oh = MaxPool.outSize(h, k, stride), ow = MaxPool.outSize(w, k, stride);
        int ins = planes * h * w, outs = planes * oh * ow;
        int xOff = randomOffset(rnd), yOff = randomOffset(rnd), argOff = randomOffset(rnd);
        float[] x = guarded(rnd, xOff, ins);
        fill(rnd, x, xOff, ins, ties);
        float[] y = guarded(rnd, yOff, outs);
        int[] argmax = new int[argOff + outs + 3];
        Arrays.fill(argmax, -7);
        float[] xBefore = x.clone(), yBefore = y.clone();
        int[] argBefore = argmax.clone();
        double[] xd = toDouble(x, xOff, ins);

        MaxPool.forward(planes, h, w, k, stride, x, xOff, y, yOff, argmax, argOff);

        // oracle: planes as channels of one image; its indices are relative to the start of x, as ours to xOff
        int[] expectedArg = OracleMaxPool.argmax(xd, 1, planes, h, w, k, stride);
        double[] expectedY = OracleMaxPool.forward(xd, 1, planes, h, w, k, stride);
        assertArrayEquals(expectedArg, Arrays.copyOfRange(argmax, argOff, argOff + outs), ctx + " argmax");
        for (int o = 0; o < outs; o++) {
            assertSameBits(ctx + " y[" + o + "]", (float) expectedY[o], y[yOff + o]);
        }
        assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + outs);
        assertUnchangedOutside(ctx + " argmax", argBefore, argmax, argOff, argOff + outs);
        assertSameBits(ctx + " x (read only)", xBefore, x);

        // backward: dx is overwritten (old NaN must vanish), overlapping windows add up
        int dyOff = randomOffset(rnd), dxOff = randomOffset(rnd);
        float[] dy = guarded(rnd, dyOff, outs);
        float[] dx = guarded(rnd, dxOff, ins);
        Arrays.fill(dx, dxOff, dxOff + ins, Float.NaN);
        float[] dxBefore = dx.clone();

        MaxPool.backward(planes, h, w, k, stride, dy, dyOff, argmax, argOff, dx, dxOff);

        double[] expectedDx = OracleMaxPool.backward(toDouble(dy, dyOff, outs), xd, 1, planes, h, w, k, stride);
        int maxHits = ((k + stride - 1) / stride) * ((k + stride - 1) / stride);
        assertAllClose(ctx + " dx", expectedDx, dx, dxOff, TestSupport.floatTol(maxHits) * maxHits, 0);
        assertUnchangedOutside(ctx + " dx", dxBefore, dx, dxOff, dxOff + ins);
    }

    /**
     * backwardThroughRelu equals backward followed by the ReLU's backward (mask from its output)
     * bit for bit, on rectified inputs full of exact zeros (whole windows of zeros included), for
     * the 2×2 fast path, odd sizes and overlapping windows; and it rejects a short y.
     */
    @Test
    void backwardThroughReluEqualsPoolThenRelu() {
        Random rnd = new Random(31);
        int[][] cases = {{3, 8, 8, 2, 2}, {2, 7, 9, 2, 2}, {2, 9, 6, 3, 2}, {1, 5, 5, 2, 1}, {4, 28, 28, 2, 2}};
        for (int[] c : cases) {
            int planes = c[0], h = c[1], w = c[2], k = c[3], s = c[4];
            int outs = planes * MaxPool.outSize(h, k, s) * MaxPool.outSize(w, k, s), ins = planes * h * w;
            float[] a = new float[ins];
            for (int i = 0; i < ins; i++) a[i] = Math.max(0f, (float) rnd.nextGaussian() - 0.7f); // ~75% zeros
            float[] y = new float[outs], dy = new float[outs];
            int[] arg = new int[outs];
            for (int i = 0; i < outs; i++) dy[i] = (float) rnd.nextGaussian();
            MaxPool.forward(planes, h, w, k, s, a, 0, y, 0, arg, 0);
            float[] pooled = new float[ins], expected = new float[ins], fused = new float[ins];
            MaxPool.backward(planes, h, w, k, s, dy, 0, arg, 0, pooled, 0);
            Relu.backwardFromOutput(ins, pooled, 0, a, 0, expected, 0);
            Arrays.fill(fused, Float.NaN);
            MaxPool.backwardThroughRelu(planes, h, w, k, s, dy, 0, y, 0, arg, 0, fused, 0);
            String ctx = "planes " + planes + " " + h + "x" + w + " k=" + k + " s=" + s;
            for (int i = 0; i < ins; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(fused[i]), ctx + " dx[" + i + "]");
            }
        }
        assertRejects("short y", () -> MaxPool.backwardThroughRelu(1, 4, 4, 2, 2, new float[4], 0, new float[3], 0,
                new int[4], 0, new float[16], 0), "y:");
    }

    /** A single peak shared by all four overlapping 2×2 windows of a 3×3 plane gets the sum of their gradients. */
    @Test
    void overlappingWindowsAddUp() {
        float[] x = {
            0, 1, 0,
            2, 9, 3,
            0, 4, 0,
        };
        float[] y = new float[4];
        int[] arg = new int[4];
        MaxPool.forward(1, 3, 3, 2, 1, x, 0, y, 0, arg, 0);
        assertArrayEquals(new int[] {4, 4, 4, 4}, arg, "argmax 3x3 k=2 s=1");
        assertArrayEquals(new float[] {9, 9, 9, 9}, y, "y 3x3 k=2 s=1");
        float[] dx = new float[9];
        Arrays.fill(dx, 5f);
        MaxPool.backward(1, 3, 3, 2, 1, new float[] {1, 2, 3, 4}, 0, arg, 0, dx, 0);
        assertArrayEquals(new float[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, dx, "dx 3x3 k=2 s=1");
    }

    /** Ties go to the first maximum in row-major window order, on the fast path and the general path. */
    @Test
    void tiesResolveToTheFirstMaximum() {
        float[] x = {
            3, 3, 1, 5,
            3, 3, 5, 5,
        };
        int[] arg = new int[2];
        MaxPool.forward(1, 2, 4, 2, 2, x, 0, new float[2], 0, arg, 0);   // fast path
        assertArrayEquals(new int[] {0, 3}, arg, "2x4 k=2 s=2");
        arg = new int[3];
        MaxPool.forward(1, 2, 4, 2, 1, x, 0, new float[3], 0, arg, 0);   // general path
        assertArrayEquals(new int[] {0, 6, 3}, arg, "2x4 k=2 s=1");
        // all equal, with an offset: every window points at its own first element, relative to xOff
        float[] flat = new float[3 + 16];
        Arrays.fill(flat, 2f);
        arg = new int[4];
        MaxPool.forward(1, 4, 4, 2, 2, flat, 3, new float[4], 0, arg, 0);
        assertArrayEquals(new int[] {0, 2, 8, 10}, arg, "constant 4x4 k=2 s=2 xOff=3");
        arg = new int[4];
        MaxPool.forward(1, 4, 4, 3, 1, flat, 3, new float[4], 0, arg, 0);
        assertArrayEquals(new int[] {0, 1, 4, 5}, arg, "constant 4x4 k=3 s=1 xOff=3");
    }

    /** -0 and +0 compare equal, so the first of them wins; -inf windows still pick an element. */
    @Test
    void signedZerosAndInfinities() {
        float[] y = new float[2];
        int[] arg = new int[2];
        float[] two = {-0f, 0f, -0f, 0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        MaxPool.forward(2, 2, 2, 2, 2, two, 0, y, 0, arg, 0);
        assertArrayEquals(new int[] {0, 4}, arg, "zeros / -inf argmax");
        assertSameBits("first of ±0", -0f, y[0]);
        assertSameBits("-inf window", Float.NEGATIVE_INFINITY, y[1]);
    }

    @Test
    void badArgmaxIsAnIllegalArgumentNotAnIndexError() {
        float[] dy = {1, 2, 3, 4};
        float[] dx = new float[16];
        assertRejects("argmax = input size", () -> MaxPool.backward(1, 4, 4, 2, 2, dy, 0, new int[] {0, 2, 8, 16}, 0,
                dx, 0), "argmax[3]", "16");
        assertRejects("negative argmax", () -> MaxPool.backward(1, 4, 4, 2, 2, dy, 0, new int[] {-1, 2, 8, 10}, 0,
                dx, 0), "argmax[0]", "-1");
        // offsets are relative to dxOff: an index into a larger array is still out of this input
        float[] big = new float[100];
        assertRejects("argmax past the input inside a larger dx", () -> MaxPool.backward(1, 4, 4, 2, 2, dy, 0,
                new int[] {0, 2, 8, 20}, 0, big, 10), "argmax[3]", "20");
    }

    @Test
    void outSizeAndErrors() {
        assertEquals(3, MaxPool.outSize(7, 2, 2), "outSize(7, 2, 2)");
        assertEquals(5, MaxPool.outSize(7, 3, 1), "outSize(7, 3, 1)");
        assertEquals(2, MaxPool.outSize(7, 3, 3), "outSize(7, 3, 3)");
        assertEquals(1, MaxPool.outSize(3, 3, 2), "outSize(3, 3, 2)");
        for (int in = 1; in <= 9; in++) {
            for (int k = 1; k <= in; k++) {
                for (int s = 1; s <= 3; s++) {
                    assertEquals(OracleMaxPool.outSize(in, k, s), MaxPool.outSize(in, k, s),
                            "outSize in=" + in + " k=" + k + " s=" + s);
                }
            }
        }
        assertRejects("window larger than input", () -> MaxPool.outSize(2, 3, 1), "window 3", "input 2");
        assertRejects("zero window", () -> MaxPool.outSize(4, 0, 1), "window");
        assertRejects("zero stride", () -> MaxPool.outSize(4, 2, 0), "stride");
        assertRejects("zero input", () -> MaxPool.outSize(0, 2, 2), "input size");
    }
}
