package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleMaxPool;

/** {@link NhwcConv} and {@link NhwcPool} against the scalar oracle (NCHW, direct loops), every tile height. */
class NhwcConvTest {
    private static final int[] TILES = {1, 4, 8};

    /** One random case: NCHW x and weights, the same in a padded NHWC buffer, the oracle's answer. */
    private record Case(int n, int cin, int h, int w, int cout, int k, int stride, int pad, int bufPad, int cinStride,
                        float[] x, float[] wt, float[] b) {
        static Case random(Random rnd) {
            int n = TestSupport.pick(rnd, 1, 2, 3);
            int cin = TestSupport.pick(rnd, 1, 3, 5, 17);
            int k = TestSupport.pick(rnd, 1, 3, 5);
            int stride = TestSupport.pick(rnd, 1, 2);
            int pad = rnd.nextInt(Math.min(k, 3));
            int h = k + rnd.nextInt(12), w = k + rnd.nextInt(12);
            int cout = TestSupport.pick(rnd, 1, 7, TestSupport.LANES * 2, TestSupport.LANES * 2 + 3, 37);
            int bufPad = pad + rnd.nextInt(2), cinStride = cin + rnd.nextInt(3);
            return new Case(n, cin, h, w, cout, k, stride, pad, bufPad, cinStride,
                    TestSupport.randomArray(rnd, n * cin * h * w), TestSupport.randomArray(rnd, cout * cin * k * k),
                    TestSupport.randomArray(rnd, cout));
        }

        int oh() {
            return (h + 2 * pad - k) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - k) / stride + 1;
        }

        PixelMap buffer() {
            return PixelMap.nhwc(h, w, bufPad, cinStride);
        }

        /** x in a zero-bordered NHWC buffer. */
        float[] nhwc() {
            PixelMap m = buffer();
            float[] buf = new float[n * m.perImage()];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < cin; c++)
                    for (int y = 0; y < h; y++)
                        for (int xx = 0; xx < w; xx++) buf[m.at(i, y, xx) + c] = x[((i * cin + c) * h + y) * w + xx];
            return buf;
        }

        /** Each output pixel's window corner in the buffer. */
        PixelMap windows() {
            PixelMap m = buffer();
            return new PixelMap(m.perImage(), stride * m.perRow(), stride * m.perColumn(),
                    m.at(0, -pad, -pad));
        }

        double[] expected(boolean relu) {
            double[] z = OracleConv2d.forward(TestSupport.toDouble(x), n, cin, h, w, TestSupport.toDouble(wt), cout, k, k,
                    TestSupport.toDouble(b), stride, pad);
            if (relu) for (int i = 0; i < z.length; i++) z[i] = Math.max(z[i], 0);
            return z;
        }
    }

    private static float[] run(Case c, ConvWeights cw, int mr, int p0, int p1, float[] out, PixelMap outMap) {
        float[] in = c.nhwc();
        int[] ofs = new int[16];
        for (int i = 0; i < c.n; i++)
            for (int q = 0; q < cw.panels(); q++)
                NhwcConv.convolve(cw, in, c.windows(), i, p0, p1, c.ow(), q, out, outMap, q * NhwcConv.NR, mr, ofs);
        return out;
    }

    @Test
    void matchesTheOracleForEveryTileHeight() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 60; trial++) {
            Case c = Case.random(rnd);
            boolean relu = rnd.nextBoolean();
            ConvWeights cw = new ConvWeights(c.wt, c.b, c.cout, c.cin, c.k, c.k, c.cinStride, c.buffer().perRow(), relu);
            int cs = cw.paddedOutChannels();
            PixelMap outMap = PixelMap.nhwc(c.oh(), c.ow(), 0, cs);
            double[] z = c.expected(relu);
            // Error bound from the sum of the terms' magnitudes, not the (possibly cancelled) result.
            double[] mag = OracleConv2d.forward(TestSupport.abs(TestSupport.toDouble(c.x)), c.n, c.cin, c.h, c.w,
                    TestSupport.abs(TestSupport.toDouble(c.wt)), c.cout, c.k, c.k, TestSupport.abs(TestSupport.toDouble(c.b)),
                    c.stride, c.pad);
            float[] first = null;
            for (int mr : TILES) {
                float[] out = run(c, cw, mr, 0, c.oh() * c.ow(), new float[c.n * c.oh() * c.ow() * cs], outMap);
                String ctx = "trial " + trial + " " + c + " mr " + mr;
                double tol = TestSupport.floatTol(c.cin * c.k * c.k + 1);
                for (int i = 0; i < c.n; i++)
                    for (int co = 0; co < c.cout; co++)
                        for (int y = 0; y < c.oh(); y++)
                            for (int xx = 0; xx < c.ow(); xx++) {
                                int at = ((i * c.cout + co) * c.oh() + y) * c.ow() + xx;
                                TestSupport.assertClose(ctx, z[at], out[outMap.at(i, y, xx) + co], tol * mag[at]);
                            }
                // Tile height changes only which pixels share a tile, never the sums: same bits.
                if (first == null) first = out;
                else assertArrayEquals(first, out, ctx);
            }
        }
    }

    @Test
    void pixelRangesSplitWithoutChangingBits() {
        Random rnd = new Random(12);
        for (int trial = 0; trial < 20; trial++) {
            Case c = Case.random(rnd);
            ConvWeights cw = new ConvWeights(c.wt, c.b, c.cout, c.cin, c.k, c.k, c.cinStride, c.buffer().perRow(), true);
            PixelMap outMap = PixelMap.nhwc(c.oh(), c.ow(), 1, cw.paddedOutChannels());
            int pixels = c.oh() * c.ow(), cut = rnd.nextInt(pixels + 1);
            float[] whole = run(c, cw, NhwcConv.MR, 0, pixels, new float[c.n * outMap.perImage()], outMap);
            float[] split = new float[whole.length];
            run(c, cw, NhwcConv.MR, 0, cut, split, outMap);
            run(c, cw, 4, cut, pixels, split, outMap);
            assertArrayEquals(whole, split, "trial " + trial);
        }
    }

    @Test
    void onePixelKernelGivesTheTileBits() {
        Random rnd = new Random(14);
        for (int trial = 0; trial < 20; trial++) {
            int in = 1 + rnd.nextInt(300), out = 1 + rnd.nextInt(9 * NhwcConv.NR);
            float[] x = TestSupport.randomArray(rnd, 3 * in);
            for (int z = rnd.nextInt(in); z < in; z += 1 + rnd.nextInt(3)) x[in + z] = 0f; // zero inputs, skipped
            ConvWeights cw = new ConvWeights(TestSupport.randomArray(rnd, out * in), TestSupport.randomArray(rnd, out), out, in,
                    1, 1, in, 0, rnd.nextBoolean());
            int stride = cw.paddedOutChannels();
            float[] tiles = new float[3 * stride];
            PixelMap inMap = new PixelMap(0, in, 0, 0), outMap = new PixelMap(0, stride, 0, 0);
            for (int q = 0; q < cw.panels(); q++)
                NhwcConv.convolve(cw, x, inMap, 0, 0, 3, 1, q, tiles, outMap, q * NhwcConv.NR, 4, new int[8]);
            float[] one = new float[stride];
            int from = rnd.nextInt(cw.panels());
            NhwcConv.convolveOnePixel(cw, x, in, from, cw.panels() - from, one, 0, new int[in]); // image 1
            assertArrayEquals(java.util.Arrays.copyOfRange(tiles, stride + from * NhwcConv.NR, 2 * stride),
                    java.util.Arrays.copyOfRange(one, from * NhwcConv.NR, stride), "trial " + trial);
        }
    }

    @Test
    void poolsLikeTheOracle() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 40; trial++) {
            int n = 2, c = TestSupport.pick(rnd, 1, 5, TestSupport.LANES, 2 * TestSupport.LANES + 3);
            int k = TestSupport.pick(rnd, 2, 3), s = TestSupport.pick(rnd, 1, 2, 3);
            int h = k + rnd.nextInt(9), w = k + rnd.nextInt(9), pad = rnd.nextInt(2);
            float[] x = TestSupport.randomArray(rnd, n * c * h * w);
            PixelMap in = PixelMap.nhwc(h, w, pad, c);
            float[] buf = new float[n * in.perImage()];
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                    for (int y = 0; y < h; y++)
                        for (int xx = 0; xx < w; xx++) buf[in.at(i, y, xx) + ch] = x[((i * c + ch) * h + y) * w + xx];
            int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
            PixelMap corners = new PixelMap(in.perImage(), s * in.perRow(), s * c, in.base());
            PixelMap outMap = PixelMap.nhwc(oh, ow, 0, c);
            float[] out = new float[n * outMap.perImage()];
            for (int i = 0; i < n; i++) NhwcPool.max(buf, corners, 0, in.perRow(), c, k, out, outMap, 0, i, 0, oh, ow, c);
            double[] e = OracleMaxPool.forward(TestSupport.toDouble(x), n, c, h, w, k, s);
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                    for (int y = 0; y < oh; y++)
                        for (int xx = 0; xx < ow; xx++)
                            assertEquals((float) e[((i * c + ch) * oh + y) * ow + xx], out[outMap.at(i, y, xx) + ch]);
        }
    }

    @Test
    void rejectsBadArguments() {
        ConvWeights cw = new ConvWeights(new float[9], new float[1], 1, 1, 3, 3, 1, 5, false);
        assertThrows(IllegalArgumentException.class,
                () -> NhwcConv.convolve(cw, new float[25], PixelMap.nhwc(3, 3, 1, 1), 0, 0, 9, 3, 0, new float[400],
                        PixelMap.nhwc(3, 3, 0, cw.paddedOutChannels()), 0, 3, new int[16]));
        assertThrows(IllegalArgumentException.class,
                () -> NhwcConv.convolve(cw, new float[25], PixelMap.nhwc(3, 3, 1, 1), 0, 0, 9, 3, 1, new float[400],
                        PixelMap.nhwc(3, 3, 0, cw.paddedOutChannels()), 0, 4, new int[16]));
        assertThrows(IllegalArgumentException.class, () -> new ConvWeights(new float[9], new float[1], 1, 2, 3, 3, 1, 5, false));
    }
}
