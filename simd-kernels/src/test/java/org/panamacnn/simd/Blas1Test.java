package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.U;
import static org.panamacnn.simd.TestSupport.assertClose;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.raggedSizes;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Blas1} against double loops of the formulas in its javadoc, on ragged sizes with offsets. */
class Blas1Test {

    @Test
    void axpy() {
        Random rnd = new Random(300L);
        for (int n : raggedSizes()) {
            for (float alpha : new float[] {0.5f, -1.75f, 3f}) {
                String ctx = "axpy n=" + n + " alpha=" + alpha;
                int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n);
                float[] xBefore = x.clone(), yBefore = y.clone();
                Blas1.axpy(n, alpha, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) {
                    double yi = yBefore[yOff + i], ax = (double) alpha * x[xOff + i];
                    assertClose(ctx + " y[" + i + "]", yi + ax, y[yOff + i], 2 * U * (Math.abs(yi) + Math.abs(ax)));
                }
                assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
                assertSameBits(ctx + " x (read only)", xBefore, x);
            }
        }
    }

    @Test
    void scale() {
        Random rnd = new Random(301L);
        for (int n : raggedSizes()) {
            for (float alpha : new float[] {0f, -0.3f, 2.5f}) {
                String ctx = "scale n=" + n + " alpha=" + alpha;
                int off = randomOffset(rnd);
                float[] x = guarded(rnd, off, n), before = x.clone();
                Blas1.scale(n, alpha, x, off);
                for (int i = 0; i < n; i++) {
                    // one correctly rounded product: exactly the float of the (exact) double product
                    assertSameBits(ctx + " x[" + i + "]", (float) ((double) alpha * before[off + i]), x[off + i]);
                }
                assertUnchangedOutside(ctx, before, x, off, off + n);
            }
        }
    }

    @Test
    void scaleInto() {
        Random rnd = new Random(310L);
        for (int n : raggedSizes()) {
            float alpha = -1.3f;
            String ctx = "scaleInto n=" + n;
            int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n), xBefore = x.clone(), yBefore = y.clone();
            Blas1.scaleInto(n, alpha, x, xOff, y, yOff);
            for (int i = 0; i < n; i++) assertSameBits(ctx + " y[" + i + "]", (float) ((double) alpha * x[xOff + i]), y[yOff + i]);
            assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
            assertSameBits(ctx + " x (read only)", xBefore, x);
        }
    }

    @Test
    void multiply() {
        Random rnd = new Random(311L);
        for (int n : raggedSizes()) {
            String ctx = "multiply n=" + n;
            int xOff = randomOffset(rnd), yOff = randomOffset(rnd), zOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n), z = guarded(rnd, zOff, n), zBefore = z.clone();
            Blas1.multiply(n, x, xOff, y, yOff, z, zOff);
            // one correctly rounded product each: exactly the float of the (exact) double product
            for (int i = 0; i < n; i++) assertSameBits(ctx + " z[" + i + "]", (float) ((double) x[xOff + i] * y[yOff + i]), z[zOff + i]);
            assertUnchangedOutside(ctx + " z", zBefore, z, zOff, zOff + n);
            Blas1.multiply(n, x, xOff, y, yOff, x, xOff); // in place
            for (int i = 0; i < n; i++) assertSameBits(ctx + " in place x[" + i + "]", z[zOff + i], x[xOff + i]);
        }
    }

    @Test
    void addInto() {
        Random rnd = new Random(312L);
        for (int n : raggedSizes()) {
            String ctx = "addInto n=" + n;
            int xOff = randomOffset(rnd), yOff = randomOffset(rnd), zOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n), z = guarded(rnd, zOff, n), zBefore = z.clone();
            Blas1.addInto(n, x, xOff, y, yOff, z, zOff);
            // one correctly rounded sum each: exactly the float of the (exact) double sum
            for (int i = 0; i < n; i++) assertSameBits(ctx + " z[" + i + "]", (float) ((double) x[xOff + i] + y[yOff + i]), z[zOff + i]);
            assertUnchangedOutside(ctx + " z", zBefore, z, zOff, zOff + n);
            Blas1.addInto(n, x, xOff, y, yOff, y, yOff); // in place
            for (int i = 0; i < n; i++) assertSameBits(ctx + " in place y[" + i + "]", z[zOff + i], y[yOff + i]);
        }
    }

    @Test
    void add() {
        Random rnd = new Random(302L);
        for (int n : raggedSizes()) {
            String ctx = "add n=" + n;
            int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n);
            float[] xBefore = x.clone(), yBefore = y.clone();
            Blas1.add(n, x, xOff, y, yOff);
            for (int i = 0; i < n; i++) {
                double sum = (double) x[xOff + i] + yBefore[yOff + i];
                assertClose(ctx + " y[" + i + "]", sum, y[yOff + i], U * Math.abs(sum));
            }
            assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
            assertSameBits(ctx + " x (read only)", xBefore, x);
        }
    }

    @Test
    void sumAndDot() {
        Random rnd = new Random(303L);
        for (int n : raggedSizes()) {
            String ctx = "n=" + n;
            int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n);
            float[] xBefore = x.clone(), yBefore = y.clone();
            double sum = 0, sumMag = 0, dot = 0, dotMag = 0;
            for (int i = 0; i < n; i++) {
                sum += x[xOff + i];
                sumMag += Math.abs(x[xOff + i]);
                dot += (double) x[xOff + i] * y[yOff + i];
                dotMag += Math.abs((double) x[xOff + i] * y[yOff + i]);
            }
            assertClose("sum " + ctx, sum, Blas1.sum(n, x, xOff), floatTol(n) * sumMag);
            assertClose("dot " + ctx, dot, Blas1.dot(n, x, xOff, y, yOff), floatTol(n) * dotMag);
            assertSameBits("sum/dot " + ctx + " x (read only)", xBefore, x);
            assertSameBits("sum/dot " + ctx + " y (read only)", yBefore, y);
        }
    }

    /**
     * g' = g + λ·w; v = μ·v + g'; w −= η·(nesterov ? g' + μ·v : v), three steps, against the same
     * formula in double; with μ = 0, v may be null and is not touched.
     */
    @ParameterizedTest(name = "momentum={0} nesterov={1} weightDecay={2}")
    @CsvSource({
        "0, false, 0", "0, false, 1e-4", "0, true, 0", "0, true, 1e-4",
        "0.9, false, 0", "0.9, false, 1e-4", "0.9, true, 0", "0.9, true, 1e-4",
    })
    void sgdUpdate(float momentum, boolean nesterov, float weightDecay) {
        Random rnd = new Random(304L + Float.floatToIntBits(momentum) + (nesterov ? 1 : 0)
                + Float.floatToIntBits(weightDecay));
        float lr = 0.1f;
        for (int n : raggedSizes()) {
            for (boolean nullV : momentum == 0f ? new boolean[] {true, false} : new boolean[] {false}) {
                String ctx = String.format("sgdUpdate n=%d lr=%s momentum=%s nesterov=%s weightDecay=%s%s",
                        n, lr, momentum, nesterov, weightDecay, nullV ? " v=null" : "");
                int wOff = randomOffset(rnd), gOff = randomOffset(rnd), vOff = randomOffset(rnd);
                float[] w = guarded(rnd, wOff, n);
                float[] v = nullV ? null : guarded(rnd, vOff, n);
                float[] vBefore = v == null ? null : v.clone();
                double[] wd = TestSupport.toDouble(w, wOff, n);
                double[] vd = v == null ? new double[n] : TestSupport.toDouble(v, vOff, n);
                for (int step = 0; step < 3; step++) {
                    float[] g = guarded(rnd, gOff, n);
                    float[] wBefore = w.clone(), gBefore = g.clone();
                    double[] wTol = new double[n], vTol = new double[n];
                    for (int i = 0; i < n; i++) {
                        double gi = g[gOff + i] + weightDecay * wd[i];
                        double gMag = Math.abs(g[gOff + i]) + Math.abs(weightDecay * wd[i]);
                        double vMag = 0;
                        if (momentum != 0f) {
                            vMag = momentum * Math.abs(vd[i]) + gMag;
                            vd[i] = momentum * vd[i] + gi;
                        }
                        double stepValue = momentum == 0f ? gi : nesterov ? gi + momentum * vd[i] : vd[i];
                        double stepMag = momentum == 0f ? gMag : nesterov ? gMag + momentum * vMag : vMag;
                        // a few roundings each, at the magnitudes involved (rounding drift over steps included)
                        wTol[i] = 8 * U * (Math.abs(wd[i]) + lr * stepMag) * (step + 1);
                        vTol[i] = 8 * U * vMag * (step + 1);
                        wd[i] -= lr * stepValue;
                    }

                    Blas1.sgdUpdate(n, lr, momentum, weightDecay, nesterov, w, wOff, g, gOff, v, vOff);

                    String at = ctx + " step " + step;
                    for (int i = 0; i < n; i++) {
                        assertClose(at + " w[" + i + "]", wd[i], w[wOff + i], wTol[i]);
                        if (momentum != 0f) {
                            assertClose(at + " v[" + i + "]", vd[i], v[vOff + i], vTol[i]);
                        }
                    }
                    assertUnchangedOutside(at + " w", wBefore, w, wOff, wOff + n);
                    assertSameBits(at + " g (read only)", gBefore, g);
                    if (v != null && momentum == 0f) {
                        assertSameBits(at + " v untouched with momentum 0", vBefore, v);
                    } else if (v != null) {
                        assertUnchangedOutside(at + " v", vBefore, v, vOff, vOff + n);
                    }
                }
            }
        }
    }
}
