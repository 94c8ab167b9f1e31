package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleAvgPool;

/** {@link AvgPool} and {@link NhwcPool#average} against {@link OracleAvgPool}, and against each other bit for bit. */
class AvgPoolTest {

    @Test
    void forwardAndBackwardMatchTheOracle() {
        Random rnd = new Random(21);
        for (int trial = 0; trial < 60; trial++) {
            int n = 1 + rnd.nextInt(2), c = 1 + rnd.nextInt(TestSupport.LANES * 2 + 3);
            int kh = 1 + rnd.nextInt(3), kw = 1 + rnd.nextInt(3), sh = 1 + rnd.nextInt(3), sw = 1 + rnd.nextInt(3);
            int h = kh + rnd.nextInt(7), w = kw + rnd.nextInt(7);
            int oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1;
            float[] x = TestSupport.randomArray(rnd, n * c * h * w);
            float[] y = new float[n * c * oh * ow];
            AvgPool.forward(n * c, h, w, kh, kw, sh, sw, x, 0, y, 0);
            double[] e = OracleAvgPool.forward(TestSupport.toDouble(x), n, c, h, w, kh, kw, sh, sw);
            String ctx = "trial " + trial;
            TestSupport.assertAllClose(ctx, e, y, 0, 1e-7, TestSupport.floatTol(kh * kw + 1));
            float[] dy = TestSupport.randomArray(rnd, y.length), dx = TestSupport.randomArray(rnd, x.length);
            AvgPool.backward(n * c, h, w, kh, kw, sh, sw, dy, 0, dx, 0);
            double[] ed = OracleAvgPool.backward(TestSupport.toDouble(dy), n, c, h, w, kh, kw, sh, sw);
            TestSupport.assertAllClose(ctx + " backward", ed, dx, 0, 1e-6, 1e-6);

            // NHWC, vectors over channels: the same bits as the NCHW kernel.
            PixelMap in = PixelMap.nhwc(h, w, 1, c), out = PixelMap.nhwc(oh, ow, 0, c);
            float[] buf = new float[n * in.perImage()], pooled = new float[n * out.perImage()];
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                    for (int r = 0; r < h; r++)
                        for (int q = 0; q < w; q++) buf[in.at(i, r, q) + ch] = x[((i * c + ch) * h + r) * w + q];
            PixelMap corners = new PixelMap(in.perImage(), sh * in.perRow(), sw * c, in.base());
            for (int i = 0; i < n; i++) NhwcPool.average(buf, corners, 0, in.perRow(), c, kh, kw, pooled, out, 0, i, 0, oh, ow, c);
            float[] back = new float[y.length];
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                    for (int r = 0; r < oh; r++)
                        for (int q = 0; q < ow; q++) back[((i * c + ch) * oh + r) * ow + q] = pooled[out.at(i, r, q) + ch];
            assertArrayEquals(y, back, ctx + " NHWC");
        }
    }

    @Test
    void rejectsAWindowLargerThanTheInput() {
        assertThrows(IllegalArgumentException.class, () -> AvgPool.forward(1, 2, 2, 3, 3, 1, 1, new float[4], 0, new float[1], 0));
        assertEquals(2, AvgPool.outSize(5, 2, 2));
    }
}
