package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.raggedSizes;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleRelu;

/** {@link Relu} against {@link OracleRelu}, bit for bit, on ragged sizes, offsets and awkward values. */
class ReluTest {

    /** Awkward values: ±0, subnormals, the smallest normals, big and small magnitudes of both signs. */
    private static final float[] SPECIAL = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, -1e-30f,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 3.5e-7f, -3.5e-7f,
    };

    /** Random values in [−1, 1) with about a third replaced by special ones. */
    private static void sprinkle(Random rnd, float[] a, int off, int n) {
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                a[off + i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
            }
        }
    }

    private static boolean[] randomMaskArray(Random rnd, int length) {
        boolean[] m = new boolean[length];
        for (int i = 0; i < length; i++) {
            m[i] = rnd.nextBoolean();
        }
        return m;
    }

    @Test
    void forwardWithMaskEqualsOracle() {
        Random rnd = new Random(1L);
        for (int n : raggedSizes()) {
            for (boolean alias : new boolean[] {false, true}) {
                String ctx = "relu forward+mask n=" + n + (alias ? " y=x" : "");
                int xOff = randomOffset(rnd), yOff = alias ? xOff : randomOffset(rnd), mOff = randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n);
                sprinkle(rnd, x, xOff, n);
                float[] y = alias ? x : guarded(rnd, yOff, n);
                boolean[] mask = randomMaskArray(rnd, mOff + n + TestSupport.LANES);
                float[] xBefore = x.clone(), yBefore = y.clone();
                boolean[] maskBefore = mask.clone();
                double[] xd = toDouble(x, xOff, n);

                Relu.forward(n, x, xOff, y, yOff, mask, mOff);

                double[] expected = OracleRelu.forward(xd);
                boolean[] expectedMask = OracleRelu.mask(xd);
                for (int i = 0; i < n; i++) {
                    assertSameBits(ctx + " y[" + i + "] for x=" + xd[i], (float) expected[i], y[yOff + i]);
                    assertEquals(expectedMask[i], mask[mOff + i], ctx + " mask[" + i + "] for x=" + xd[i]);
                }
                assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
                assertUnchangedOutside(ctx + " mask", maskBefore, mask, mOff, mOff + n);
                if (!alias) {
                    assertSameBits(ctx + " x (read only)", xBefore, x);
                }
            }
        }
    }

    @Test
    void forwardWithoutMaskEqualsOracle() {
        Random rnd = new Random(2L);
        for (int n : raggedSizes()) {
            for (boolean alias : new boolean[] {false, true}) {
                String ctx = "relu forward n=" + n + (alias ? " y=x" : "");
                int xOff = randomOffset(rnd), yOff = alias ? xOff : randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n);
                sprinkle(rnd, x, xOff, n);
                float[] y = alias ? x : guarded(rnd, yOff, n);
                float[] xBefore = x.clone(), yBefore = y.clone();
                double[] expected = OracleRelu.forward(toDouble(x, xOff, n));

                Relu.forward(n, x, xOff, y, yOff);

                for (int i = 0; i < n; i++) {
                    assertSameBits(ctx + " y[" + i + "] for x=" + xBefore[xOff + i], (float) expected[i], y[yOff + i]);
                }
                assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
                if (!alias) {
                    assertSameBits(ctx + " x (read only)", xBefore, x);
                }
            }
        }
    }

    /** forwardOfSum(a, b) is the oracle's ReLU of the float sum a + b, bit for bit, also written over a or b. */
    @Test
    void forwardOfSumEqualsOracleOfTheSum() {
        Random rnd = new Random(4L);
        for (int n : raggedSizes()) {
            for (int alias = 0; alias < 3; alias++) { // 0: y apart, 1: y = a, 2: y = b
                String ctx = "relu(a + b) n=" + n + " alias=" + alias;
                int aOff = randomOffset(rnd), bOff = randomOffset(rnd);
                float[] a = guarded(rnd, aOff, n), b = guarded(rnd, bOff, n);
                sprinkle(rnd, a, aOff, n);
                sprinkle(rnd, b, bOff, n);
                int yOff = alias == 1 ? aOff : alias == 2 ? bOff : randomOffset(rnd);
                float[] y = alias == 1 ? a : alias == 2 ? b : guarded(rnd, yOff, n);
                float[] sum = new float[n];
                for (int i = 0; i < n; i++) sum[i] = a[aOff + i] + b[bOff + i];
                double[] expected = OracleRelu.forward(toDouble(sum, 0, n));
                float[] yBefore = y.clone();
                Relu.forwardOfSum(n, a, aOff, b, bOff, y, yOff);
                for (int i = 0; i < n; i++) assertSameBits(ctx + " y[" + i + "] for a+b=" + sum[i], (float) expected[i], y[yOff + i]);
                assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
            }
        }
    }

    /** Backward with the mask the forward pass recorded equals OracleRelu.backward(dy, z). */
    @Test
    void backwardEqualsOracle() {
        Random rnd = new Random(3L);
        for (int n : raggedSizes()) {
            for (boolean alias : new boolean[] {false, true}) {
                String ctx = "relu backward n=" + n + (alias ? " dx=dy" : "");
                float[] z = TestSupport.randomArray(rnd, n);
                sprinkle(rnd, z, 0, n);
                int mOff = randomOffset(rnd);
                boolean[] mask = new boolean[mOff + n];
                Relu.forward(n, z, 0, new float[n], 0, mask, mOff);

                int dyOff = randomOffset(rnd), dxOff = alias ? dyOff : randomOffset(rnd);
                float[] dy = guarded(rnd, dyOff, n);
                sprinkle(rnd, dy, dyOff, n);
                float[] dx = alias ? dy : guarded(rnd, dxOff, n);
                float[] dyBefore = dy.clone(), dxBefore = dx.clone();
                double[] expected = OracleRelu.backward(toDouble(dy, dyOff, n), toDouble(z));

                Relu.backward(n, dy, dyOff, mask, mOff, dx, dxOff);

                for (int i = 0; i < n; i++) {
                    assertSameBits(ctx + " dx[" + i + "] for z=" + z[i] + " dy=" + dyBefore[dyOff + i],
                            (float) expected[i], dx[dxOff + i]);
                }
                assertUnchangedOutside(ctx + " dx", dxBefore, dx, dxOff, dxOff + n);
                if (!alias) {
                    assertSameBits(ctx + " dy (read only)", dyBefore, dy);
                }
            }
        }
    }

    /** The sign cases spelled out, so that ±0 and subnormals are covered on both the vector and the scalar path. */
    @Test
    void signedZeroAndSubnormalsOnBothPaths() {
        for (int n : new int[] {SPECIAL.length, TestSupport.LANES * 2 + SPECIAL.length}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = SPECIAL[i % SPECIAL.length];
            }
            float[] y = new float[n];
            boolean[] mask = new boolean[n];
            Relu.forward(n, x, 0, y, 0, mask, 0);
            for (int i = 0; i < n; i++) {
                boolean positive = x[i] > 0f;
                String ctx = "relu n=" + n + " x[" + i + "]=" + x[i];
                assertSameBits(ctx, positive ? x[i] : 0f, y[i]);
                assertEquals(positive, mask[i], ctx + " mask");
            }
        }
    }
}
