package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.assertGradient;
import static org.panamacnn.oracle.TestSupport.dot;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OracleConv2dTest {

    record Shape(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad) {
        int oh() {
            return OracleConv2d.outSize(h, kh, stride, pad);
        }

        int ow() {
            return OracleConv2d.outSize(w, kw, stride, pad);
        }
    }

    /** Hand-picked shapes covering kernel 1/3/5, stride 1/2, pad 0/1/2, cin 1/3, batch 1/2, odd sizes,
        plus seeded random ones. */
    static List<Shape> shapes() {
        List<Shape> list = new ArrayList<>(List.of(
                new Shape(1, 1, 5, 5, 2, 3, 3, 1, 1),
                new Shape(2, 3, 7, 6, 2, 3, 3, 2, 1),
                new Shape(1, 3, 6, 7, 3, 5, 5, 1, 2),
                new Shape(2, 1, 5, 4, 2, 1, 1, 2, 0),
                new Shape(1, 3, 8, 9, 2, 5, 5, 2, 2),
                new Shape(2, 3, 4, 5, 3, 3, 3, 1, 0),
                new Shape(1, 1, 7, 7, 1, 5, 5, 2, 0),
                new Shape(1, 3, 5, 6, 2, 1, 1, 1, 2),
                new Shape(2, 1, 3, 3, 1, 3, 3, 2, 2),
                new Shape(1, 3, 6, 5, 2, 3, 1, 2, 1)));
        Random rnd = new Random(20261122);
        int[] kernels = {1, 3, 5};
        while (list.size() < 18) {
            int k = kernels[rnd.nextInt(3)];
            int pad = rnd.nextInt(3);
            int stride = 1 + rnd.nextInt(2);
            int h = 3 + rnd.nextInt(6);
            int w = 3 + rnd.nextInt(6);
            if (h + 2 * pad < k || w + 2 * pad < k) {
                continue;
            }
            list.add(new Shape(1 + rnd.nextInt(2), rnd.nextBoolean() ? 1 : 3, h, w, 1 + rnd.nextInt(3),
                    k, k, stride, pad));
        }
        return list;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gradientsMatchFiniteDifferences(Shape s) {
        Random rnd = new Random(s.hashCode());
        double[] x = random(rnd, s.n() * s.cin() * s.h() * s.w());
        double[] weight = random(rnd, s.cout() * s.cin() * s.kh() * s.kw());
        double[] bias = random(rnd, s.cout());
        double[] r = random(rnd, s.n() * s.cout() * s.oh() * s.ow());

        // L = Σ r ⊙ conv(x, W, b), so δZ = r.
        assertGradient("gradWeight " + s,
                OracleConv2d.gradWeight(x, s.n(), s.cin(), s.h(), s.w(), r, s.cout(), s.kh(), s.kw(), s.stride(), s.pad()),
                wv -> dot(r, OracleConv2d.forward(x, s.n(), s.cin(), s.h(), s.w(), wv, s.cout(), s.kh(), s.kw(), bias, s.stride(), s.pad())),
                weight);
        assertGradient("gradBias " + s,
                OracleConv2d.gradBias(r, s.n(), s.cout(), s.oh(), s.ow()),
                bv -> dot(r, OracleConv2d.forward(x, s.n(), s.cin(), s.h(), s.w(), weight, s.cout(), s.kh(), s.kw(), bv, s.stride(), s.pad())),
                bias);
        assertGradient("gradInput " + s,
                OracleConv2d.gradInput(r, s.n(), s.cout(), s.oh(), s.ow(), weight, s.cin(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad()),
                xv -> dot(r, OracleConv2d.forward(xv, s.n(), s.cin(), s.h(), s.w(), weight, s.cout(), s.kh(), s.kw(), bias, s.stride(), s.pad())),
                x);
    }

    /** (d) Per image, conv forward = GEMM(W as [cout, cin·kh·kw], im2col(x)) + bias. */
    @ParameterizedTest
    @MethodSource("shapes")
    void forwardEqualsIm2colGemm(Shape s) {
        Random rnd = new Random(s.hashCode() + 1);
        double[] x = random(rnd, s.n() * s.cin() * s.h() * s.w());
        double[] weight = random(rnd, s.cout() * s.cin() * s.kh() * s.kw());
        double[] bias = random(rnd, s.cout());
        double[] z = OracleConv2d.forward(x, s.n(), s.cin(), s.h(), s.w(), weight, s.cout(), s.kh(), s.kw(), bias, s.stride(), s.pad());

        int image = s.cin() * s.h() * s.w();
        int k = s.cin() * s.kh() * s.kw();
        int spatial = s.oh() * s.ow();
        double[] expected = new double[z.length];
        for (int b = 0; b < s.n(); b++) {
            double[] xb = java.util.Arrays.copyOfRange(x, b * image, (b + 1) * image);
            double[] cols = OracleIm2Col.im2col(xb, s.cin(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad());
            double[] zb = new double[s.cout() * spatial];
            for (int c = 0; c < s.cout(); c++) {
                java.util.Arrays.fill(zb, c * spatial, (c + 1) * spatial, bias[c]);
            }
            OracleGemm.gemm(false, false, s.cout(), spatial, k, 1.0, weight, k, cols, spatial, 1.0, zb, spatial);
            System.arraycopy(zb, 0, expected, b * zb.length, zb.length);
        }
        assertTrue(FiniteDifference.maxRelativeError(expected, z) < 1e-12, s.toString());
    }

    /** (a) A 3×3 image of zeros with 25 at the centre, a 3×3 filter with 1 at the centre. */
    @Test
    void centreImpulse() {
        double[] x = new double[9];
        x[4] = 25;
        double[] identity = new double[9];
        identity[4] = 1;
        double[] zeroFilter = new double[9];

        // pad 0: one output, 25
        assertArrayEquals(new double[] {25}, OracleConv2d.forward(x, 1, 1, 3, 3, identity, 1, 3, 3, null, 1, 0));
        assertArrayEquals(new double[] {0}, OracleConv2d.forward(x, 1, 1, 3, 3, zeroFilter, 1, 3, 3, null, 1, 0));

        // pad 1: 3×3 output, 25 at the centre, zero elsewhere
        double[] expected = new double[9];
        expected[4] = 25;
        assertArrayEquals(expected, OracleConv2d.forward(x, 1, 1, 3, 3, identity, 1, 3, 3, null, 1, 1));
        assertArrayEquals(new double[9], OracleConv2d.forward(x, 1, 1, 3, 3, zeroFilter, 1, 3, 3, null, 1, 1));
    }

    @Test
    void biasIsAddedAndCrossCorrelationIsNotFlipped() {
        // 1×2 image [1, 2], 1×2 kernel [10, 1]: z = 10·1 + 1·2 + 0.5 (no flip)
        double[] z = OracleConv2d.forward(new double[] {1, 2}, 1, 1, 1, 2, new double[] {10, 1}, 1, 1, 2,
                new double[] {0.5}, 1, 0);
        assertArrayEquals(new double[] {12.5}, z);
    }

    @Test
    void outSize() {
        assertEquals(3, OracleConv2d.outSize(3, 3, 1, 1));
        assertEquals(1, OracleConv2d.outSize(3, 3, 1, 0));
        assertEquals(14, OracleConv2d.outSize(28, 3, 2, 1)); // (28 + 2 − 3) / 2 + 1 = 14 (floor)
        assertEquals(4, OracleConv2d.outSize(7, 1, 2, 0));
        assertEquals(1, OracleConv2d.outSize(1, 5, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> OracleConv2d.outSize(2, 3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> OracleConv2d.outSize(2, 5, 2, 1)); // (2+2−5) = −1 → floor
        assertThrows(IllegalArgumentException.class, () -> OracleConv2d.outSize(5, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> OracleConv2d.outSize(5, 3, 1, -1));
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        double[] x = new double[2 * 3 * 5 * 5];
        double[] w = new double[4 * 3 * 3 * 3];
        double[] g = new double[2 * 4 * 5 * 5];
        assertBadShape(() -> OracleConv2d.forward(new double[149], 2, 3, 5, 5, w, 4, 3, 3, null, 1, 1), 150, 149);
        assertBadShape(() -> OracleConv2d.forward(x, 2, 3, 5, 5, new double[100], 4, 3, 3, null, 1, 1), 108, 100);
        assertBadShape(() -> OracleConv2d.forward(x, 2, 3, 5, 5, w, 4, 3, 3, new double[3], 1, 1), 4, 3);
        assertBadShape(() -> OracleConv2d.gradWeight(x, 2, 3, 5, 5, new double[199], 4, 3, 3, 1, 1), 200, 199);
        assertBadShape(() -> OracleConv2d.gradBias(new double[201], 2, 4, 5, 5), 200, 201);
        assertBadShape(() -> OracleConv2d.gradInput(new double[7], 2, 4, 5, 5, w, 3, 5, 5, 3, 3, 1, 1), 200, 7);
        assertBadShape(() -> OracleConv2d.gradInput(g, 2, 4, 5, 5, new double[3], 3, 5, 5, 3, 3, 1, 1), 108, 3);
        assertBadShape(() -> OracleConv2d.gradInput(g, 2, 4, 4, 5, w, 3, 5, 5, 3, 3, 1, 1), 5, 4); // oh ≠ outSize
        assertThrows(IllegalArgumentException.class, () -> OracleConv2d.forward(null, 2, 3, 5, 5, w, 4, 3, 3, null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> OracleConv2d.forward(x, 0, 3, 5, 5, w, 4, 3, 3, null, 1, 1));
    }
}
