package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.assertGradient;
import static org.panamacnn.oracle.TestSupport.distinct;
import static org.panamacnn.oracle.TestSupport.dot;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OracleMaxPoolTest {

    /** Distinct inputs (gaps 0.01 ≫ eps), so no window has a tie and the max is differentiable. */
    @ParameterizedTest
    @CsvSource({
        // n, c, h, w, k, stride
        "1, 1, 4, 4, 2, 2",
        "2, 3, 5, 7, 2, 2",   // odd sizes: last row/column unused
        "1, 2, 6, 5, 3, 1",   // overlapping windows
        "2, 1, 7, 7, 3, 2",   // overlapping, stride 2
        "1, 3, 7, 8, 2, 3",   // gaps between windows
        "2, 2, 3, 3, 3, 1",   // one window
        "1, 1, 5, 4, 1, 1",   // identity
    })
    void backwardMatchesFiniteDifferences(int n, int c, int h, int w, int k, int stride) {
        Random rnd = new Random(1000L * h + 10L * w + k + stride);
        int oh = OracleMaxPool.outSize(h, k, stride);
        int ow = OracleMaxPool.outSize(w, k, stride);
        double[] x = distinct(rnd, n * c * h * w);
        double[] r = random(rnd, n * c * oh * ow);
        assertGradient("maxpool", OracleMaxPool.backward(r, x, n, c, h, w, k, stride),
                xv -> dot(r, OracleMaxPool.forward(xv, n, c, h, w, k, stride)), x);
    }

    @Test
    void byHand() {
        double[] x = {
            1, 5, 2, 0,
            3, 4, 8, 6,
            7, 0, 1, 9,
            2, 2, 3, 1,
        };
        assertArrayEquals(new double[] {5, 8, 7, 9}, OracleMaxPool.forward(x, 1, 1, 4, 4, 2, 2));
        assertArrayEquals(new int[] {1, 6, 8, 11}, OracleMaxPool.argmax(x, 1, 1, 4, 4, 2, 2));
        double[] expected = new double[16];
        expected[1] = 10;
        expected[6] = 20;
        expected[8] = 30;
        expected[11] = 40;
        assertArrayEquals(expected, OracleMaxPool.backward(new double[] {10, 20, 30, 40}, x, 1, 1, 4, 4, 2, 2));
    }

    @Test
    void tiesGoToTheFirstInRowMajorWindowOrder() {
        double[] x = {
            3, 3, 1,
            3, 3, 1,
        };
        // k=2, stride 1: windows at columns 0 and 1; all-3 window -> index 0; second window {3,1,3,1} -> index 1
        assertArrayEquals(new int[] {0, 1}, OracleMaxPool.argmax(x, 1, 1, 2, 3, 2, 1));
        assertArrayEquals(new int[] {0}, OracleMaxPool.argmax(new double[4], 1, 1, 2, 2, 2, 2));
    }

    @Test
    void overlappingWindowsAddUpAndIndicesAreGlobal() {
        // n=2, c=1, 1×3 image per batch, k=1... use 3×3 with a single peak shared by all four 2×2 windows
        double[] x = new double[2 * 9];
        x[9 + 4] = 1; // second image, centre
        java.util.Arrays.fill(x, 0, 9, -1);
        x[4] = 0;     // first image, centre is its max too
        int[] arg = OracleMaxPool.argmax(x, 2, 1, 3, 3, 2, 1);
        assertArrayEquals(new int[] {4, 4, 4, 4, 13, 13, 13, 13}, arg);
        double[] grad = OracleMaxPool.backward(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, x, 2, 1, 3, 3, 2, 1);
        assertEquals(10, grad[4]);
        assertEquals(26, grad[13]);
        assertEquals(36, java.util.Arrays.stream(grad).sum());
    }

    @Test
    void outSize() {
        assertEquals(2, OracleMaxPool.outSize(5, 2, 2));
        assertEquals(14, OracleMaxPool.outSize(28, 2, 2));
        assertEquals(3, OracleMaxPool.outSize(7, 3, 2));
        assertEquals(1, OracleMaxPool.outSize(3, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> OracleMaxPool.outSize(2, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> OracleMaxPool.outSize(4, 2, 0));
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        assertBadShape(() -> OracleMaxPool.forward(new double[49], 2, 1, 5, 5, 2, 2), 50, 49);
        assertBadShape(() -> OracleMaxPool.argmax(new double[51], 2, 1, 5, 5, 2, 2), 50, 51);
        assertBadShape(() -> OracleMaxPool.backward(new double[7], new double[50], 2, 1, 5, 5, 2, 2), 8, 7);
    }
}
