package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.LANES;
import static org.panamacnn.simd.TestSupport.U;
import static org.panamacnn.simd.TestSupport.assertClose;
import static org.panamacnn.simd.TestSupport.assertFinite;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.raggedSizes;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleActivations;

/**
 * {@link Activations} against {@link OracleActivations} on ragged row lengths, with logits of
 * scale 1, 30 and 1000 (and rows of ±1000), offsets and in-place use.
 */
class ActivationsTest {

    private static final int[] COLS = {1, 2, 10, 17, 33, LANES - 1, LANES, LANES + 1, 2 * LANES + 3};
    private static final float[] SCALES = {1f, 30f, 1000f};

    /** rows×cols logits uniform in [−scale, scale); when extremes, each row also gets a +scale and a −scale entry. */
    private static void logits(Random rnd, float[] x, int off, int rows, int cols, float scale, boolean extremes) {
        for (int i = 0; i < rows * cols; i++) {
            x[off + i] = scale * (rnd.nextFloat() * 2 - 1);
        }
        if (extremes) {
            for (int r = 0; r < rows; r++) {
                x[off + r * cols + rnd.nextInt(cols)] = scale;
                x[off + r * cols + rnd.nextInt(cols)] = -scale;
            }
        }
    }

    private static double rowMax(double[] x, int r, int cols) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            m = Math.max(m, x[r * cols + j]);
        }
        return m;
    }

    @Test
    void softmaxRowsEqualsOracle() {
        Random rnd = new Random(100L);
        for (int cols : COLS) {
            for (float scale : SCALES) {
                for (boolean alias : new boolean[] {false, true}) {
                    int rows = 1 + rnd.nextInt(5);
                    String ctx = "softmaxRows rows=" + rows + " cols=" + cols + " scale=" + scale + (alias ? " y=x" : "");
                    int n = rows * cols, xOff = randomOffset(rnd), yOff = alias ? xOff : randomOffset(rnd);
                    float[] x = guarded(rnd, xOff, n);
                    logits(rnd, x, xOff, rows, cols, scale, scale == 1000f);
                    float[] y = alias ? x : guarded(rnd, yOff, n);
                    float[] xBefore = x.clone(), yBefore = y.clone();
                    double[] xd = toDouble(x, xOff, n);

                    Activations.softmaxRows(rows, cols, x, xOff, y, yOff);

                    double[] p = OracleActivations.softmax(xd, rows, cols);
                    assertFinite(ctx, y, yOff, n);
                    for (int r = 0; r < rows; r++) {
                        double max = rowMax(xd, r, cols), sum = 0;
                        for (int j = 0; j < cols; j++) {
                            int i = r * cols + j;
                            // exp of a float (x − max): its rounding is |x − max|·u relative
                            double tol = 1e-9 + p[i] * (1e-5 + 4 * U * Math.abs(xd[i] - max));
                            assertClose(ctx + " p[" + r + "," + j + "]", p[i], y[yOff + i], tol);
                            sum += y[yOff + i];
                        }
                        assertClose(ctx + " row " + r + " sum", 1.0, sum, 1e-5);
                    }
                    assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
                    if (!alias) {
                        assertSameBits(ctx + " x (read only)", xBefore, x);
                    }
                }
            }
        }
    }

    @Test
    void logSoftmaxRowsEqualsOracle() {
        Random rnd = new Random(101L);
        for (int cols : COLS) {
            for (float scale : SCALES) {
                for (boolean alias : new boolean[] {false, true}) {
                    int rows = 1 + rnd.nextInt(5);
                    String ctx = "logSoftmaxRows rows=" + rows + " cols=" + cols + " scale=" + scale + (alias ? " y=x" : "");
                    int n = rows * cols, xOff = randomOffset(rnd), yOff = alias ? xOff : randomOffset(rnd);
                    float[] x = guarded(rnd, xOff, n);
                    logits(rnd, x, xOff, rows, cols, scale, scale == 1000f);
                    float[] y = alias ? x : guarded(rnd, yOff, n);
                    float[] xBefore = x.clone(), yBefore = y.clone();
                    double[] xd = toDouble(x, xOff, n);

                    Activations.logSoftmaxRows(rows, cols, x, xOff, y, yOff);

                    double[] lp = OracleActivations.logSoftmax(xd, rows, cols);
                    assertFinite(ctx, y, yOff, n);
                    for (int r = 0; r < rows; r++) {
                        double max = rowMax(xd, r, cols);
                        for (int j = 0; j < cols; j++) {
                            int i = r * cols + j;
                            // a few roundings at the magnitude of the row max and of the result
                            double tol = 1e-6 + 4 * U * (Math.abs(max) + Math.abs(xd[i]) + Math.abs(lp[i]));
                            assertClose(ctx + " logp[" + r + "," + j + "]", lp[i], y[yOff + i], tol);
                        }
                    }
                    assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
                    if (!alias) {
                        assertSameBits(ctx + " x (read only)", xBefore, x);
                    }
                }
            }
        }
    }

    /** Rows of only ±1000: no overflow, no NaN, the +1000 entries share the whole mass. */
    @Test
    void extremeRowsStayFinite() {
        for (int cols : COLS) {
            float[] x = new float[2 * cols];
            for (int j = 0; j < cols; j++) {
                x[j] = j % 2 == 0 ? 1000f : -1000f;
                x[cols + j] = -1000f;
            }
            int top = (cols + 1) / 2;
            float[] p = new float[2 * cols], lp = new float[2 * cols];
            Activations.softmaxRows(2, cols, x, 0, p, 0);
            Activations.logSoftmaxRows(2, cols, x, 0, lp, 0);
            String ctx = "±1000 cols=" + cols;
            assertFinite(ctx + " softmax", p, 0, 2 * cols);
            assertFinite(ctx + " logSoftmax", lp, 0, 2 * cols);
            for (int j = 0; j < cols; j++) {
                assertClose(ctx + " p[0," + j + "]", j % 2 == 0 ? 1.0 / top : 0.0, p[j], 1e-6);
                assertClose(ctx + " p[1," + j + "]", 1.0 / cols, p[cols + j], 1e-6);
                assertClose(ctx + " logp[1," + j + "]", -Math.log(cols), lp[cols + j], 1e-4);
                if (j % 2 == 0) {
                    assertClose(ctx + " logp[0," + j + "]", -Math.log(top), lp[j], 1e-4);
                } else {
                    assertClose(ctx + " logp[0," + j + "]", -2000 - Math.log(top), lp[j], 1e-3);
                }
            }
        }
    }

    @Test
    void sigmoidEqualsOracle() {
        Random rnd = new Random(102L);
        float[] special = {0f, -0f, 1e-3f, -1e-3f, 20f, -20f, 88f, -88f, 100f, -100f, 1000f, -1000f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE};
        for (int n : raggedSizes()) {
            for (float scale : SCALES) {
                String ctx = "sigmoid n=" + n + " scale=" + scale;
                int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n);
                for (int i = 0; i < n; i++) {
                    x[xOff + i] = rnd.nextInt(4) == 0 ? special[rnd.nextInt(special.length)]
                            : scale * (rnd.nextFloat() * 2 - 1);
                }
                float[] y = guarded(rnd, yOff, n);
                float[] xBefore = x.clone(), yBefore = y.clone();
                double[] xd = toDouble(x, xOff, n);

                Activations.sigmoid(n, x, xOff, y, yOff);

                double[] s = OracleActivations.sigmoid(xd);
                for (int i = 0; i < n; i++) {
                    // a few ulps relative; results below the normal range are held to an absolute bound
                    assertClose(ctx + " y[" + i + "] for x=" + xd[i], s[i], y[yOff + i], 8 * U * s[i] + Float.MIN_NORMAL);
                    assertClose(ctx + " sigmoid(float) for x=" + xd[i], s[i], Activations.sigmoid(x[xOff + i]),
                            8 * U * s[i] + Float.MIN_NORMAL);
                }
                assertUnchangedOutside(ctx + " y", yBefore, y, yOff, yOff + n);
                assertSameBits(ctx + " x (read only)", xBefore, x);
            }
        }
    }
}
