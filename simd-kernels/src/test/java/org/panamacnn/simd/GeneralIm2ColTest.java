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
import org.panamacnn.oracle.OracleGeneralConv2d;

/**
 * {@link GeneralIm2Col} against {@link OracleGeneralConv2d}: rectangular kernels (1×7, 7×1, 2×4),
 * strides (2, 1) and (1, 3), dilations up to 3, asymmetric padding, odd planes, 1 to 5 channels,
 * and random geometries; im2col is a copy (exact), col2im a sum.
 */
class GeneralIm2ColTest {

    /** {c, h, w} and a window {kh, kw, sh, sw, dh, dw, top, left, bottom, right}, each with at least one output. */
    private record Case(int c, int h, int w, ConvGeometry g) {
        int[] window() {
            return new int[] {g.kh(), g.kw(), g.sh(), g.sw(), g.dh(), g.dw(), g.top(), g.left(), g.bottom(), g.right()};
        }

        int oh() {
            return g.outHeight(h);
        }

        int ow() {
            return g.outWidth(w);
        }

        int colsLength() {
            return c * g.kh() * g.kw() * oh() * ow();
        }

        @Override
        public String toString() {
            return "c=" + c + " " + h + "×" + w + " " + g;
        }
    }

    private static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        all.add(new Case(3, 9, 11, new ConvGeometry(3, 3, 1, 1, 2, 2, 2, 2, 2, 2)));   // dilated 3×3, "same"
        all.add(new Case(2, 7, 13, new ConvGeometry(1, 7, 1, 1, 1, 1, 0, 3, 0, 3)));   // Inception's 1×7
        all.add(new Case(2, 13, 7, new ConvGeometry(7, 1, 1, 1, 1, 1, 3, 0, 3, 0)));   // and 7×1
        all.add(new Case(4, 9, 9, new ConvGeometry(3, 3, 2, 1, 1, 1, 1, 1, 1, 1)));    // stride (2, 1)
        all.add(new Case(3, 9, 10, new ConvGeometry(2, 4, 1, 1, 1, 1, 0, 1, 1, 2)));   // PyTorch's 'same' for an even kernel
        all.add(new Case(1, 17, 19, new ConvGeometry(3, 5, 1, 3, 3, 2, 0, 4, 3, 1)));  // everything at once
        all.add(new Case(5, 1, 1, new ConvGeometry(1, 1, 1, 1, 1, 1, 0, 0, 0, 0)));
        all.add(new Case(2, 5, 6, new ConvGeometry(3, 3, 3, 2, 2, 3, 2, 0, 0, 4)));
        Random rnd = new Random(31);
        while (all.size() < 60) {
            int kh = 1 + rnd.nextInt(4), kw = 1 + rnd.nextInt(4), dh = 1 + rnd.nextInt(3), dw = 1 + rnd.nextInt(3);
            ConvGeometry g = new ConvGeometry(kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), dh, dw,
                    rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4));
            int h = 1 + rnd.nextInt(14), w = 1 + rnd.nextInt(14);
            if (h + g.top() + g.bottom() < g.spanHeight() || w + g.left() + g.right() < g.spanWidth()) continue;
            all.add(new Case(1 + rnd.nextInt(4), h, w, g));
        }
        return all;
    }

    @Test
    void im2colEqualsOracle() {
        Random rnd = new Random(17L);
        for (Case k : cases()) {
            int xLen = k.c * k.h * k.w, colsLen = k.colsLength(), xOff = randomOffset(rnd), colsOff = randomOffset(rnd);
            float[] x = guarded(rnd, xOff, xLen), cols = guarded(rnd, colsOff, colsLen);
            float[] xBefore = x.clone(), colsBefore = cols.clone();
            GeneralIm2Col.im2col(k.g, x, xOff, k.c, k.h, k.w, cols, colsOff, k.oh() * k.ow());
            double[] expected = OracleGeneralConv2d.im2col(toDouble(x, xOff, xLen), k.c, k.h, k.w, k.window());
            for (int i = 0; i < colsLen; i++) assertSameBits(k + " cols[" + i + "]", (float) expected[i], cols[colsOff + i]);
            assertUnchangedOutside(k + " cols", colsBefore, cols, colsOff, colsOff + colsLen);
            assertSameBits(k + " x (read only)", xBefore, x);
        }
    }

    @Test
    void col2imEqualsOracleAndOverwritesX() {
        Random rnd = new Random(18L);
        for (Case k : cases()) {
            int xLen = k.c * k.h * k.w, colsLen = k.colsLength(), xOff = randomOffset(rnd), colsOff = randomOffset(rnd);
            float[] cols = guarded(rnd, colsOff, colsLen), x = guarded(rnd, xOff, xLen);
            for (int i = 0; i < xLen; i += 3) x[xOff + i] = Float.NaN; // overwritten, not accumulated into
            float[] xBefore = x.clone(), colsBefore = cols.clone();
            GeneralIm2Col.col2im(k.g, cols, colsOff, k.oh() * k.ow(), k.c, k.h, k.w, x, xOff);
            double[] expected = OracleGeneralConv2d.col2im(toDouble(cols, colsOff, colsLen), k.c, k.h, k.w, k.window());
            int taps = k.g.kh() * k.g.kw();
            assertAllClose(k.toString(), expected, x, xOff, TestSupport.floatTol(taps) * taps, 0);
            assertUnchangedOutside(k + " x", xBefore, x, xOff, xOff + xLen);
            assertSameBits(k + " cols (read only)", colsBefore, cols);
        }
    }

    /** ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ with the kernel's own pair (adjointness, independent of the oracle). */
    @Test
    void col2imIsTheAdjointOfIm2col() {
        Random rnd = new Random(19L);
        for (Case k : cases()) {
            int xLen = k.c * k.h * k.w, colsLen = k.colsLength(), plane = k.oh() * k.ow();
            float[] x = TestSupport.randomArray(rnd, xLen), y = TestSupport.randomArray(rnd, colsLen);
            float[] cols = new float[colsLen], back = new float[xLen];
            GeneralIm2Col.im2col(k.g, x, 0, k.c, k.h, k.w, cols, 0, plane);
            GeneralIm2Col.col2im(k.g, y, 0, plane, k.c, k.h, k.w, back, 0);
            double lhs = 0, rhs = 0, mag = 0;
            for (int i = 0; i < colsLen; i++) {
                lhs += (double) cols[i] * y[i];
                mag += Math.abs((double) cols[i] * y[i]);
            }
            for (int i = 0; i < xLen; i++) rhs += (double) x[i] * back[i];
            int taps = k.g.kh() * k.g.kw();
            assertClose("adjoint " + k, lhs, rhs, TestSupport.floatTol(taps) * mag + 1e-12);
        }
    }

    /** Two images side by side with a gap (ldCols = 2·plane + 3): each block is its image's own im2col, the gaps untouched. */
    @Test
    void imagesSideBySideWithLeadingDimension() {
        Random rnd = new Random(20L);
        for (Case k : cases()) {
            int xLen = k.c * k.h * k.w, plane = k.oh() * k.ow(), rows = k.c * k.g.kh() * k.g.kw(), ld = 2 * plane + 3;
            float[] x = TestSupport.randomArray(rnd, 2 * xLen), cols = guarded(rnd, 0, rows * ld), before = cols.clone();
            for (int n = 0; n < 2; n++) GeneralIm2Col.im2col(k.g, x, n * xLen, k.c, k.h, k.w, cols, n * plane, ld);
            for (int n = 0; n < 2; n++) {
                float[] alone = new float[rows * plane];
                GeneralIm2Col.im2col(k.g, x, n * xLen, k.c, k.h, k.w, alone, 0, plane);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < plane; j++) assertSameBits(k + " image " + n + " row " + r, alone[r * plane + j], cols[r * ld + n * plane + j]);
                }
                float[] back = new float[xLen], backAlone = new float[xLen];
                GeneralIm2Col.col2im(k.g, cols, n * plane, ld, k.c, k.h, k.w, back, 0);
                GeneralIm2Col.col2im(k.g, alone, 0, plane, k.c, k.h, k.w, backAlone, 0);
                assertSameBits(k + " col2im image " + n, backAlone, back);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 2 * plane; j < ld; j++) assertSameBits(k + " gap", before[r * ld + j], cols[r * ld + j]);
            }
        }
    }

    /** The square, undilated case is {@link Im2Col}'s, bit for bit. */
    @Test
    void squareWindowsMatchIm2Col() {
        Random rnd = new Random(21L);
        for (int k : new int[] {1, 3, 5}) {
            for (int s = 1; s <= 2; s++) {
                for (int p = 0; p <= 2; p++) {
                    int c = 3, h = 9, w = 11;
                    ConvGeometry g = ConvGeometry.square(k, s, p);
                    int plane = g.outHeight(h) * g.outWidth(w);
                    float[] x = TestSupport.randomArray(rnd, c * h * w), a = new float[c * k * k * plane], b = new float[a.length];
                    GeneralIm2Col.im2col(g, x, 0, c, h, w, a, 0, plane);
                    Im2Col.im2col(x, 0, c, h, w, k, k, s, p, b, 0);
                    assertSameBits("k=" + k + " s=" + s + " p=" + p, b, a);
                }
            }
        }
    }

    @Test
    void outputSizesMatchTheOracle() {
        for (Case k : cases()) {
            assertEquals(OracleGeneralConv2d.outHeight(k.h, k.window()), k.oh(), k.toString());
            assertEquals(OracleGeneralConv2d.outWidth(k.w, k.window()), k.ow(), k.toString());
        }
        assertEquals(5, new ConvGeometry(3, 3, 1, 1, 2, 2, 0, 0, 0, 0).outHeight(9), "dilated 3×3 spans 5");
    }

    @Test
    void rejectsBadGeometry() {
        assertRejects("zero dilation", () -> new ConvGeometry(3, 3, 1, 1, 0, 1, 0, 0, 0, 0), "dilation height 0");
        assertRejects("negative pad", () -> new ConvGeometry(3, 3, 1, 1, 1, 1, 0, -1, 0, 0), "padding left -1");
        assertRejects("zero stride", () -> new ConvGeometry(3, 3, 1, 0, 1, 1, 0, 0, 0, 0), "stride width 0");
        assertRejects("window past the image", () -> new ConvGeometry(3, 3, 1, 1, 3, 1, 0, 0, 0, 0).outHeight(6), "spanning 7", "height 6");
        float[] x = new float[25], cols = new float[200];
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        assertRejects("ldCols below the plane", () -> GeneralIm2Col.im2col(g, x, 0, 1, 5, 5, cols, 0, 24), "ldCols 24", "25");
        assertRejects("cols too short", () -> GeneralIm2Col.col2im(g, cols, 0, 30, 1, 5, 5, x, 0), "cols");
    }
}
