package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertSameBits;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConvTranspose2d;

/**
 * {@link NhwcConvTranspose} (inference) against {@link OracleConvTranspose2d} on odd sizes, kernels
 * 1..5, strides 1..3, paddings and output paddings, output channel counts around the vector
 * width; the vector and plain-Java twins give the same bits, any split of the rows the same bits,
 * and the output's border stays zero.
 */
class NhwcConvTransposeTest {
    @Test
    void matchesTheOracleAndTwinsAgree() {
        Random rnd = new Random(41);
        int[][] cases = {{2, 2, 0, 0}, {3, 2, 1, 1}, {4, 2, 1, 0}, {1, 1, 0, 0}, {3, 1, 1, 0}, {5, 3, 2, 2}, {3, 3, 0, 1}};
        for (int[] cs : cases) {
            int k = cs[0], s = cs[1], p = cs[2], op = cs[3];
            for (int cout : new int[] {1, 3, TestSupport.LANES, TestSupport.LANES + 5, 2 * TestSupport.LANES + 1}) {
                int cin = 1 + rnd.nextInt(6), h = 1 + rnd.nextInt(6), w = 1 + rnd.nextInt(7);
                int oh = OracleConvTranspose2d.outSize(h, k, s, p, op), ow = OracleConvTranspose2d.outSize(w, k, s, p, op);
                if (oh < 1 || ow < 1) continue;
                String ctx = "k " + k + " s " + s + " p " + p + " op " + op + ", " + cin + "→" + cout + " on " + h + "×" + w;
                PixelMap in = PixelMap.nhwc(h, w, 1, cin + 2), out = PixelMap.nhwc(oh, ow, 1, cout + 1);
                float[] x = TestSupport.randomArray(rnd, 2 * in.perImage()), wt = TestSupport.randomArray(rnd, cin * cout * k * k);
                float[] b = TestSupport.randomArray(rnd, cout), packed = NhwcConvTranspose.pack(wt, cin, cout, k);
                float[] y = new float[2 * out.perImage()], ys = y.clone(), split = y.clone();
                NhwcConvTranspose.forward(x, in, h, w, cin, packed, b, cout, k, s, p, y, out, 1, 0, oh, ow);
                double[] xd = new double[cin * h * w]; // image 1 as NCHW
                for (int c = 0; c < cin; c++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) xd[(c * h + r) * w + q] = x[in.at(1, r, q) + c];
                double[] expected = OracleConvTranspose2d.forward(xd, 1, cin, h, w, TestSupport.toDouble(wt), TestSupport.toDouble(b), cout, k, s, p, op);
                for (int c = 0; c < cout; c++) {
                    for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                        TestSupport.assertClose(ctx + " at " + c + "," + i + "," + j, expected[(c * oh + i) * ow + j], y[out.at(1, i, j) + c], 1e-5);
                    }
                }
                ScalarNhwcConvTranspose.forward(x, in, h, w, cin, packed, b, cout, k, s, p, ys, out, 1, 0, oh, ow, 0);
                assertSameBits(ctx + ": the twins", ys, y);
                for (int r0 = 0; r0 < oh; r0 += 2) NhwcConvTranspose.forward(x, in, h, w, cin, packed, b, cout, k, s, p, split, out, 1, r0, Math.min(oh, r0 + 2), ow);
                assertSameBits(ctx + ": split by rows", y, split);
                for (int i = 0; i < out.perImage(); i++) assertEquals(0f, y[i], ctx + ": image 0 untouched");
                for (int j = -1; j <= ow; j++) {
                    for (int c = 0; c <= cout; c++) {
                        if (j >= 0 && j < ow && c < cout) continue;
                        assertEquals(0f, y[out.at(1, 0, j) + c], ctx + ": border and padding channel");
                    }
                }
            }
        }
    }
}
