package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;

/**
 * {@link Winograd} F(2×2, 3×3), with its 16 tile products run by {@link NhwcConv} as 1×1
 * convolutions, against the scalar oracle's direct convolution on random shapes (odd channel
 * counts, vector tails, borders wider than the padding, relu and the fused 2×2 max-pool).
 *
 * <p>The stated bound: every output is within 1e-5 · S of the exact value, S being the largest
 * Σ |w·x| + |b| over the outputs (the direct fp32 sum's own error is a few 1e-7 · S); measured
 * here it stays below 2e-6 · S.
 */
class WinogradTest {
    static final double BOUND = 1e-5;

    /** Runs the whole convolution the way the inference step does, tiles [t0, t1) at a time. */
    static float[] convolve(float[] in, PixelMap inMap, int n, int cin, int oh, int ow, int pad, float[] wt, float[] bias,
                            int cout, boolean relu, boolean pool, PixelMap outMap, int tilesPerCall) {
        int cv = Winograd.tileChannels(cin), tilesW = ow / 2, tiles = (oh / 2) * tilesW;
        float[] u = Winograd.transformFilters(wt, cout, cin);
        ConvWeights[] cw = new ConvWeights[Winograd.POSITIONS];
        for (int xi = 0; xi < Winograd.POSITIONS; xi++) {
            float[] uxi = java.util.Arrays.copyOfRange(u, xi * cout * cin, (xi + 1) * cout * cin);
            cw[xi] = new ConvWeights(uxi, new float[cout], cout, cin, 1, 1, cv, 0, false);
        }
        int kp = cw[0].paddedOutChannels();
        float[] b = new float[kp];
        System.arraycopy(bias, 0, b, 0, cout);
        float[] out = new float[n * outMap.perImage()];
        float[] v = new float[Winograd.POSITIONS * tilesPerCall * cv], m = new float[Winograd.POSITIONS * tilesPerCall * kp];
        int[] ofs = new int[2 * NhwcConv.MR];
        for (int img = 0; img < n; img++) {
            for (int t0 = 0; t0 < tiles; t0 += tilesPerCall) {
                int t1 = Math.min(tiles, t0 + tilesPerCall), count = t1 - t0;
                Winograd.inputTiles(in, inMap.at(img, -pad, -pad), inMap.perRow(), inMap.perColumn(), cin, tilesW, t0, t1, v, 0,
                        count * cv, cv);
                for (int xi = 0; xi < Winograd.POSITIONS; xi++) {
                    PixelMap vm = new PixelMap(0, 0, cv, xi * count * cv), mm = new PixelMap(0, 0, kp, xi * count * kp);
                    for (int q = 0; q < cw[xi].panels(); q++) {
                        NhwcConv.convolve(cw[xi], v, vm, 0, 0, count, count, q, m, mm, q * NhwcConv.NR, NhwcConv.MR, ofs);
                    }
                }
                Winograd.outputTiles(m, 0, count * kp, kp, tilesW, t0, t1, b, relu, pool, out, outMap, img);
            }
        }
        return out;
    }

    @Test
    void agreesWithTheDirectConvolutionWithinTheStatedBound() {
        Random rnd = new Random(11);
        double worst = 0;
        for (int trial = 0; trial < 40; trial++) {
            int n = TestSupport.pick(rnd, 1, 2), cin = TestSupport.pick(rnd, 1, 3, 16, 19, 33);
            int cout = TestSupport.pick(rnd, 1, 7, TestSupport.LANES * 2, TestSupport.LANES * 2 + 5, 64);
            int pad = rnd.nextInt(2), oh = 2 * (1 + rnd.nextInt(6)), ow = 2 * (1 + rnd.nextInt(6));
            int h = oh + 2 - 2 * pad, w = ow + 2 - 2 * pad, bufPad = pad + rnd.nextInt(2), cs = Winograd.tileChannels(cin) + rnd.nextInt(3);
            boolean relu = rnd.nextBoolean(), pool = rnd.nextBoolean();
            float[] x = TestSupport.randomArray(rnd, n * cin * h * w), wt = TestSupport.randomArray(rnd, cout * cin * 9);
            float[] bias = TestSupport.randomArray(rnd, cout);
            PixelMap inMap = PixelMap.nhwc(h, w, bufPad, cs);
            float[] in = new float[n * inMap.perImage()];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < cin; c++)
                    for (int y = 0; y < h; y++)
                        for (int xx = 0; xx < w; xx++) in[inMap.at(i, y, xx) + c] = x[((i * cin + c) * h + y) * w + xx];
            int kp = (cout + NhwcConv.NR - 1) / NhwcConv.NR * NhwcConv.NR;
            int outPad = rnd.nextInt(2), ph = pool ? oh / 2 : oh, pw = pool ? ow / 2 : ow;
            PixelMap outMap = PixelMap.nhwc(ph, pw, outPad, kp);
            int perCall = 1 + rnd.nextInt(oh * ow / 4);
            float[] got = convolve(in, inMap, n, cin, oh, ow, pad, wt, bias, cout, relu, pool, outMap, perCall);

            double[] z = OracleConv2d.forward(TestSupport.toDouble(x), n, cin, h, w, TestSupport.toDouble(wt), cout, 3, 3,
                    TestSupport.toDouble(bias), 1, pad);
            double[] abs = OracleConv2d.forward(abs(TestSupport.toDouble(x)), n, cin, h, w, abs(TestSupport.toDouble(wt)), cout, 3, 3,
                    abs(TestSupport.toDouble(bias)), 1, pad);
            double scale = 0;
            for (double a : abs) scale = Math.max(scale, a);
            for (int i = 0; i < n; i++) {
                for (int co = 0; co < kp; co++) {
                    for (int y = 0; y < ph; y++) {
                        for (int xx = 0; xx < pw; xx++) {
                            double want = 0;
                            if (co < cout) {
                                want = Double.NEGATIVE_INFINITY;
                                for (int a = 0; a < (pool ? 2 : 1); a++) {
                                    for (int bb = 0; bb < (pool ? 2 : 1); bb++) {
                                        int yy = pool ? 2 * y + a : y, xc = pool ? 2 * xx + bb : xx;
                                        double zz = z[((i * cout + co) * oh + yy) * ow + xc];
                                        want = Math.max(want, relu ? Math.max(zz, 0) : zz);
                                    }
                                }
                            }
                            double err = Math.abs(got[outMap.at(i, y, xx) + co] - want) / scale;
                            worst = Math.max(worst, err);
                            assertTrue(err <= BOUND, "trial " + trial + " image " + i + " channel " + co + " pixel (" + y + ", " + xx
                                    + "): " + got[outMap.at(i, y, xx) + co] + " vs " + want + ", error " + err + " of S = " + scale);
                        }
                    }
                }
                // the border stays zero
                if (outPad > 0) assertArrayEquals(new float[kp], java.util.Arrays.copyOfRange(got, outMap.at(i, -1, -1), outMap.at(i, -1, -1) + kp));
            }
        }
        assertTrue(worst < 2e-6, "worst error " + worst + " of S");
    }

    @Test
    void theSameTilesGiveTheSameBitsWhateverTheSplit() {
        Random rnd = new Random(3);
        int cin = 19, cout = 37, oh = 10, ow = 8, h = 10, w = 8;
        PixelMap inMap = PixelMap.nhwc(h, w, 1, Winograd.tileChannels(cin));
        float[] in = new float[inMap.perImage()];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < cin; c++) in[inMap.at(0, y, x) + c] = rnd.nextFloat() - 0.5f;
        float[] wt = TestSupport.randomArray(rnd, cout * cin * 9), bias = TestSupport.randomArray(rnd, cout);
        int kp = (cout + NhwcConv.NR - 1) / NhwcConv.NR * NhwcConv.NR;
        PixelMap outMap = PixelMap.nhwc(oh, ow, 0, kp);
        float[] all = convolve(in, inMap, 1, cin, oh, ow, 1, wt, bias, cout, true, false, outMap, 20);
        for (int per : new int[] {1, 3, 7}) assertArrayEquals(all, convolve(in, inMap, 1, cin, oh, ow, 1, wt, bias, cout, true, false, outMap, per));
    }

    @Test
    void badArgumentsAreNamed() {
        int cv = Winograd.tileChannels(5);
        assertThrows(IllegalArgumentException.class, () -> Winograd.inputTiles(new float[1000], 0, 100, 5, 5, 1, 0, 1, new float[16 * cv], 0, cv, cv));
        assertThrows(IllegalArgumentException.class, () -> Winograd.transformFilters(new float[8], 1, 1));
    }

    private static double[] abs(double[] a) {
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]);
        return b;
    }
}
