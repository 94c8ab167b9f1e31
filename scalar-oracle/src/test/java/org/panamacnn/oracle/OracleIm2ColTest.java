package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.dot;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OracleIm2ColTest {

    /** (c) col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩. */
    @ParameterizedTest
    @CsvSource({
        // c, h, w, kh, kw, stride, pad
        "1, 5, 5, 3, 3, 1, 1",
        "3, 7, 6, 3, 3, 2, 1",
        "3, 6, 7, 5, 5, 1, 2",
        "1, 5, 4, 1, 1, 2, 0",
        "3, 9, 8, 5, 5, 2, 2",
        "2, 4, 5, 3, 1, 1, 0",
        "1, 3, 3, 3, 3, 2, 2",
    })
    void col2imIsAdjointOfIm2col(int c, int h, int w, int kh, int kw, int stride, int pad) {
        Random rnd = new Random(31L * h + w + 7L * pad + stride);
        int oh = OracleConv2d.outSize(h, kh, stride, pad);
        int ow = OracleConv2d.outSize(w, kw, stride, pad);
        double[] x = random(rnd, c * h * w);
        double[] y = random(rnd, c * kh * kw * oh * ow);
        double lhs = dot(OracleIm2Col.im2col(x, c, h, w, kh, kw, stride, pad), y);
        double rhs = dot(x, OracleIm2Col.col2im(y, c, h, w, kh, kw, stride, pad));
        assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)));
    }

    @Test
    void smallCaseByHand() {
        // x = [[1,2],[3,4]], 2×2 kernel, stride 1, pad 0 -> one column (1,2,3,4)
        assertArrayEquals(new double[] {1, 2, 3, 4}, OracleIm2Col.im2col(new double[] {1, 2, 3, 4}, 1, 2, 2, 2, 2, 1, 0));
        // 1×1 image [5], 3×3 kernel, pad 1 -> 9 rows, one column, 5 only at the centre tap
        double[] cols = OracleIm2Col.im2col(new double[] {5}, 1, 1, 1, 3, 3, 1, 1);
        assertArrayEquals(new double[] {0, 0, 0, 0, 5, 0, 0, 0, 0}, cols);
        // col2im of all ones counts how many windows read each pixel: 3×3 image, 2×2 kernel, stride 1
        assertArrayEquals(new double[] {1, 2, 1, 2, 4, 2, 1, 2, 1},
                OracleIm2Col.col2im(ones(4 * 4), 1, 3, 3, 2, 2, 1, 0));
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        assertBadShape(() -> OracleIm2Col.im2col(new double[74], 3, 5, 5, 3, 3, 1, 1), 75, 74);
        assertBadShape(() -> OracleIm2Col.col2im(new double[10], 3, 5, 5, 3, 3, 1, 1), 27 * 25, 10);
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
