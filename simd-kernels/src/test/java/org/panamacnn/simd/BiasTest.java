package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.assertClose;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.raggedSizes;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Bias} against plain loops. The adds are one float rounding per element, so they must
 * match a float loop bit for bit; sumColumnsInto documents its order (rows in order), so it too;
 * sumRowsInto reduces lane-wise and is held to a float error bound against a double loop.
 * The sum methods accumulate: out starts with random values that must be kept.
 */
class BiasTest {

    private static final int[] ROWS = {1, 2, 3, 7};

    @Test
    void addPerRowEqualsLoop() {
        Random rnd = new Random(10L);
        for (int rows : ROWS) {
            for (int cols : raggedSizes()) {
                String ctx = "addPerRow rows=" + rows + " cols=" + cols;
                int bOff = randomOffset(rnd), cOff = randomOffset(rnd), n = rows * cols;
                float[] bias = guarded(rnd, bOff, rows), c = guarded(rnd, cOff, n);
                float[] expected = c.clone(), biasBefore = bias.clone();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        expected[cOff + r * cols + j] += bias[bOff + r];
                    }
                }
                Bias.addPerRow(rows, cols, bias, bOff, c, cOff);
                assertSameBits(ctx, expected, c);
                assertSameBits(ctx + " bias (read only)", biasBefore, bias);
            }
        }
    }

    @Test
    void addPerColumnEqualsLoop() {
        Random rnd = new Random(11L);
        for (int rows : ROWS) {
            for (int cols : raggedSizes()) {
                String ctx = "addPerColumn rows=" + rows + " cols=" + cols;
                int bOff = randomOffset(rnd), cOff = randomOffset(rnd), n = rows * cols;
                float[] bias = guarded(rnd, bOff, cols), c = guarded(rnd, cOff, n);
                float[] expected = c.clone(), biasBefore = bias.clone();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        expected[cOff + r * cols + j] += bias[bOff + j];
                    }
                }
                Bias.addPerColumn(rows, cols, bias, bOff, c, cOff);
                assertSameBits(ctx, expected, c);
                assertSameBits(ctx + " bias (read only)", biasBefore, bias);
            }
        }
    }

    @Test
    void sumRowsIntoAddsRowSums() {
        Random rnd = new Random(12L);
        for (int rows : ROWS) {
            for (int cols : raggedSizes()) {
                String ctx = "sumRowsInto rows=" + rows + " cols=" + cols;
                int xOff = randomOffset(rnd), oOff = randomOffset(rnd);
                float[] x = guarded(rnd, xOff, rows * cols), out = guarded(rnd, oOff, rows);
                float[] outBefore = out.clone(), xBefore = x.clone();
                Bias.sumRowsInto(rows, cols, x, xOff, out, oOff);
                for (int r = 0; r < rows; r++) {
                    double sum = outBefore[oOff + r], mag = Math.abs(outBefore[oOff + r]);
                    for (int j = 0; j < cols; j++) {
                        sum += x[xOff + r * cols + j];
                        mag += Math.abs(x[xOff + r * cols + j]);
                    }
                    assertClose(ctx + " out[" + r + "]", sum, out[oOff + r], floatTol(cols + 1) * mag);
                }
                assertUnchangedOutside(ctx + " out", outBefore, out, oOff, oOff + rows);
                assertSameBits(ctx + " x (read only)", xBefore, x);
            }
        }
    }

    @Test
    void sumColumnsIntoAddsColumnSumsRowByRow() {
        Random rnd = new Random(13L);
        for (int rows : ROWS) {
            for (int cols : raggedSizes()) {
                String ctx = "sumColumnsInto rows=" + rows + " cols=" + cols;
                int xOff = randomOffset(rnd), oOff = randomOffset(rnd);
                float[] x = guarded(rnd, xOff, rows * cols), out = guarded(rnd, oOff, cols);
                float[] expected = out.clone(), xBefore = x.clone();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        expected[oOff + j] += x[xOff + r * cols + j];
                    }
                }
                Bias.sumColumnsInto(rows, cols, x, xOff, out, oOff);
                assertSameBits(ctx, expected, out);
                assertSameBits(ctx + " x (read only)", xBefore, x);
            }
        }
    }

    /** Two calls accumulate: the second adds the same sums again (the gradient of a bias over two images). */
    @Test
    void sumsAccumulateOverCalls() {
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] rowSums = {100, 200};
        Bias.sumRowsInto(2, 3, x, 0, rowSums, 0);
        Bias.sumRowsInto(2, 3, x, 0, rowSums, 0);
        assertSameBits("sumRowsInto twice", new float[] {112, 230}, rowSums);
        float[] colSums = {-1, -2, -3};
        Bias.sumColumnsInto(2, 3, x, 0, colSums, 0);
        Bias.sumColumnsInto(2, 3, x, 0, colSums, 0);
        assertSameBits("sumColumnsInto twice", new float[] {9, 12, 15}, colSums);
    }
}
