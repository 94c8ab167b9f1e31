package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleIm2Col;

/** {@link Im2Col} against {@link OracleIm2Col}: kernel 1/3/5 (and non-square), stride 1/2/3, padding 0/1/2, 1/3/4 channels. */
class Im2ColTest {

    /** c, h, w, kh, kw, stride, pad — every combination that has at least one output. */
    private static List<int[]> geometries() {
        List<int[]> g = new ArrayList<>();
        int[][] planes = {{7, 7}, {9, 13}, {13, 9}, {1, 1}, {2, 5}};
        for (int c : new int[] {1, 3, 4}) {
            for (int[] hw : planes) {
                for (int k : new int[] {1, 3, 5}) {
                    for (int stride = 1; stride <= 3; stride++) {
                        for (int pad = 0; pad <= 2; pad++) {
                            if (hw[0] + 2 * pad >= k && hw[1] + 2 * pad >= k) {
                                g.add(new int[] {c, hw[0], hw[1], k, k, stride, pad});
                            }
                        }
                    }
                }
            }
        }
        // non-square kernels
        g.add(new int[] {2, 7, 9, 3, 5, 1, 1});
        g.add(new int[] {3, 9, 7, 5, 3, 2, 2});
        g.add(new int[] {1, 6, 11, 1, 3, 3, 0});
        g.add(new int[] {4, 8, 5, 2, 4, 2, 1});
        // stride 1 with as many output as input columns but not rows (the bulk shifted-plane paths)
        g.add(new int[] {2, 7, 9, 3, 5, 1, 2});
        g.add(new int[] {1, 6, 16, 5, 1, 1, 0});
        g.add(new int[] {3, 4, 17, 1, 3, 1, 1});
        return g;
    }

    private static String shape(int[] g) {
        return String.format("c=%d h=%d w=%d kernel=%dx%d stride=%d pad=%d", g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
    }

    private static int colsLength(int[] g) {
        int oh = Im2Col.outSize(g[1], g[3], g[5], g[6]);
        int ow = Im2Col.outSize(g[2], g[4], g[5], g[6]);
        return g[0] * g[3] * g[4] * oh * ow;
    }

    @Test
    void im2colEqualsOracle() {
        Random rnd = new Random(17L);
        for (int[] g : geometries()) {
            String ctx = "im2col " + shape(g);
            int xLen = g[0] * g[1] * g[2], colsLen = colsLength(g);
            int xOff = randomOffset(rnd), colsOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, xLen);
            float[] cols = guarded(rnd, colsOff, colsLen);
            float[] xBefore = x.clone(), colsBefore = cols.clone();

            Im2Col.im2col(x, xOff, g[0], g[1], g[2], g[3], g[4], g[5], g[6], cols, colsOff);

            double[] expected = OracleIm2Col.im2col(toDouble(x, xOff, xLen), g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
            for (int i = 0; i < colsLen; i++) {
                // a copy: exact, padding is +0
                assertSameBits(ctx + " cols[" + i + "]", (float) expected[i], cols[colsOff + i]);
            }
            assertUnchangedOutside(ctx + " cols", colsBefore, cols, colsOff, colsOff + colsLen);
            assertSameBits(ctx + " x (read only)", xBefore, x);
        }
    }

    @Test
    void col2imEqualsOracleAndOverwritesX() {
        Random rnd = new Random(18L);
        for (int[] g : geometries()) {
            String ctx = "col2im " + shape(g);
            int xLen = g[0] * g[1] * g[2], colsLen = colsLength(g);
            int xOff = randomOffset(rnd), colsOff = randomOffset(rnd);
            float[] cols = guarded(rnd, colsOff, colsLen);
            float[] x = guarded(rnd, xOff, xLen);
            // old contents of x, NaN included, must be overwritten, not accumulated into
            for (int i = 0; i < xLen; i += 3) {
                x[xOff + i] = Float.NaN;
            }
            float[] xBefore = x.clone(), colsBefore = cols.clone();

            Im2Col.col2im(cols, colsOff, g[0], g[1], g[2], g[3], g[4], g[5], g[6], x, xOff);

            double[] c = toDouble(cols, colsOff, colsLen);
            double[] expected = OracleIm2Col.col2im(c, g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
            // each pixel is a float sum of at most kh·kw entries in [-1, 1)
            assertAllClose(ctx, expected, x, xOff, TestSupport.floatTol(g[3] * g[4]) * g[3] * g[4], 0);
            assertUnchangedOutside(ctx + " x", xBefore, x, xOff, xOff + xLen);
            assertSameBits(ctx + " cols (read only)", colsBefore, cols);
        }
    }

    /** ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ with the kernel's own pair (adjointness, independent of the oracle). */
    @Test
    void col2imIsTheAdjointOfIm2col() {
        Random rnd = new Random(19L);
        for (int[] g : geometries()) {
            int xLen = g[0] * g[1] * g[2], colsLen = colsLength(g);
            float[] x = TestSupport.randomArray(rnd, xLen), y = TestSupport.randomArray(rnd, colsLen);
            float[] cols = new float[colsLen], back = new float[xLen];
            Im2Col.im2col(x, 0, g[0], g[1], g[2], g[3], g[4], g[5], g[6], cols, 0);
            Im2Col.col2im(y, 0, g[0], g[1], g[2], g[3], g[4], g[5], g[6], back, 0);
            double lhs = 0, rhs = 0, mag = 0;
            for (int i = 0; i < colsLen; i++) {
                lhs += (double) cols[i] * y[i];
                mag += Math.abs((double) cols[i] * y[i]);
            }
            for (int i = 0; i < xLen; i++) {
                rhs += (double) x[i] * back[i];
            }
            assertClose("adjoint " + shape(g), lhs, rhs, TestSupport.floatTol(g[3] * g[4]) * mag + 1e-12);
        }
    }

    /**
     * Three images lowered side by side with ldCols = 3·plane + 5 (a gap after each row): each
     * image's block equals its own im2col, the gaps keep their values, and col2im with the same
     * ldCols reads each image's block back exactly as col2im of that block alone.
     */
    @Test
    void imagesSideBySideWithLeadingDimension() {
        Random rnd = new Random(20L);
        for (int[] g : geometries()) {
            String ctx = "ldCols " + shape(g);
            int xLen = g[0] * g[1] * g[2], colsLen = colsLength(g), rows = g[0] * g[3] * g[4];
            int plane = colsLen / rows, ld = 3 * plane + 5, colsOff = randomOffset(rnd);
            float[] x = TestSupport.randomArray(rnd, 3 * xLen);
            float[] cols = guarded(rnd, colsOff, rows * ld);
            float[] before = cols.clone();
            for (int n = 0; n < 3; n++) {
                Im2Col.im2col(x, n * xLen, g[0], g[1], g[2], g[3], g[4], g[5], g[6], cols, colsOff + n * plane, ld);
            }
            for (int n = 0; n < 3; n++) {
                float[] alone = new float[colsLen];
                Im2Col.im2col(x, n * xLen, g[0], g[1], g[2], g[3], g[4], g[5], g[6], alone, 0);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < plane; j++) {
                        assertSameBits(ctx + " image " + n + " row " + r, alone[r * plane + j], cols[colsOff + r * ld + n * plane + j]);
                    }
                }
                float[] back = new float[xLen], backAlone = new float[xLen];
                Im2Col.col2im(cols, colsOff + n * plane, ld, g[0], g[1], g[2], g[3], g[4], g[5], g[6], back, 0);
                Im2Col.col2im(alone, 0, g[0], g[1], g[2], g[3], g[4], g[5], g[6], backAlone, 0);
                assertSameBits(ctx + " col2im image " + n, backAlone, back);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 3 * plane; j < ld; j++) {
                    int at = colsOff + r * ld + j;
                    assertSameBits(ctx + " gap", before[at], cols[at]);
                }
            }
        }
        float[] x = new float[25], cols = new float[200];
        assertRejects("ldCols below the plane", () -> Im2Col.im2col(x, 0, 1, 5, 5, 3, 3, 1, 1, cols, 0, 24), "ldCols 24", "25");
        assertRejects("ldCols past the end", () -> Im2Col.col2im(cols, 0, 30, 1, 5, 5, 3, 3, 1, 1, x, 0), "cols:");
    }

    @Test
    void outSizeMatchesTheFormula() {
        for (int in = 1; in <= 13; in++) {
            for (int k = 1; k <= 5; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int p = 0; p <= 2; p++) {
                        if (in + 2 * p >= k) {
                            assertEquals(OracleConv2d.outSize(in, k, s, p), Im2Col.outSize(in, k, s, p),
                                    "outSize in=" + in + " k=" + k + " stride=" + s + " pad=" + p);
                        }
                    }
                }
            }
        }
        assertEquals(4, Im2Col.outSize(7, 3, 2, 1), "outSize(7, 3, 2, 1)");
        assertEquals(3, Im2Col.outSize(9, 5, 3, 2), "outSize(9, 5, 3, 2)");
    }

    @Test
    void outSizeRejectsBadGeometry() {
        assertRejects("kernel larger than padded input", () -> Im2Col.outSize(3, 6, 1, 1), "kernel 6", "input 3");
        assertRejects("zero input", () -> Im2Col.outSize(0, 1, 1, 0), "input size", "0");
        assertRejects("zero kernel", () -> Im2Col.outSize(5, 0, 1, 0), "kernel size");
        assertRejects("zero stride", () -> Im2Col.outSize(5, 3, 0, 0), "stride");
        assertRejects("negative padding", () -> Im2Col.outSize(5, 3, 1, -1), "padding", "-1");
        float[] x = new float[100], cols = new float[1000];
        assertRejects("im2col kernel too large", () -> Im2Col.im2col(x, 0, 1, 3, 3, 5, 5, 1, 0, cols, 0), "kernel 5");
        assertRejects("col2im stride 0", () -> Im2Col.col2im(cols, 0, 1, 3, 3, 3, 3, 0, 1, x, 0), "stride");
    }
}
