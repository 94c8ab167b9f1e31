package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertSameBits;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleAdaptivePool;

/**
 * {@link AdaptivePool} (NCHW, training) and {@link NhwcAdaptivePool} (NHWC, inference) against
 * {@link OracleAdaptivePool} on odd sizes: shrinking with overlapping windows (8 → 7, 9 → 4),
 * growing (1 → 7, 3 → 7), the identity, rectangular outputs, channel counts with vector tails;
 * the NHWC kernel gives the NCHW kernel's bits, and its two twins the same bits.
 */
class AdaptivePoolTest {
    private static final int[][] SHAPES = {{8, 8, 7, 7}, {9, 5, 4, 3}, {1, 1, 7, 7}, {3, 2, 7, 5}, {7, 7, 7, 7}, {13, 11, 1, 1}, {6, 10, 4, 4}};

    @Test
    void windowsAreTorchsFloorAndCeil() {
        assertEquals(1, AdaptivePool.start(1, 8, 7));  // ⌊8/7⌋
        assertEquals(3, AdaptivePool.end(1, 8, 7));    // ⌈16/7⌉
        for (int in = 1; in <= 20; in++) {
            for (int out = 1; out <= 20; out++) {
                for (int i = 0; i < out; i++) {
                    assertEquals((int) Math.floor((double) i * in / out), AdaptivePool.start(i, in, out), in + " → " + out + " window " + i);
                    assertEquals((int) Math.ceil((double) (i + 1) * in / out), AdaptivePool.end(i, in, out), in + " → " + out + " window " + i);
                }
            }
        }
    }

    @Test
    void nchwForwardAndBackwardMatchTheOracle() {
        Random rnd = new Random(21);
        for (int[] s : SHAPES) {
            int planes = 5, h = s[0], w = s[1], oh = s[2], ow = s[3], xOff = 3, yOff = 7;
            String ctx = h + "×" + w + " → " + oh + "×" + ow;
            float[] x = TestSupport.randomArray(rnd, xOff + planes * h * w), y = new float[yOff + planes * oh * ow];
            double[] xd = new double[planes * h * w];
            for (int i = 0; i < xd.length; i++) xd[i] = x[xOff + i];
            AdaptivePool.averageForward(planes, h, w, oh, ow, x, xOff, y, yOff);
            double[] expected = OracleAdaptivePool.forward(xd, 1, planes, h, w, oh, ow);
            for (int i = 0; i < expected.length; i++) TestSupport.assertClose(ctx + " forward " + i, expected[i], y[yOff + i], 1e-6);
            float[] dy = TestSupport.randomArray(rnd, yOff + planes * oh * ow), dx = new float[xOff + planes * h * w];
            double[] dyd = new double[planes * oh * ow];
            for (int i = 0; i < dyd.length; i++) dyd[i] = dy[yOff + i];
            AdaptivePool.averageBackward(planes, h, w, oh, ow, dy, yOff, dx, xOff);
            double[] dxExpected = OracleAdaptivePool.backward(dyd, 1, planes, h, w, oh, ow);
            for (int i = 0; i < dxExpected.length; i++) TestSupport.assertClose(ctx + " backward " + i, dxExpected[i], dx[xOff + i], 1e-5);
        }
    }

    @Test
    void nhwcGivesTheNchwBitsAndTwinsAgree() {
        Random rnd = new Random(22);
        for (int[] s : SHAPES) {
            int h = s[0], w = s[1], oh = s[2], ow = s[3];
            for (int channels : new int[] {1, 5, TestSupport.LANES + 3}) {
                String ctx = h + "×" + w + "×" + channels + " → " + oh + "×" + ow;
                PixelMap in = PixelMap.nhwc(h, w, 1, channels + 1), out = PixelMap.nhwc(oh, ow, 2, channels + 2);
                float[] x = TestSupport.randomArray(rnd, 2 * in.perImage()), y = new float[2 * out.perImage()], ys = y.clone();
                float[] planes = new float[channels * h * w], pooled = new float[channels * oh * ow]; // image 1 as NCHW
                for (int c = 0; c < channels; c++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) planes[(c * h + r) * w + q] = x[in.at(1, r, q) + c];
                AdaptivePool.averageForward(channels, h, w, oh, ow, planes, 0, pooled, 0);
                NhwcAdaptivePool.average(x, in, h, w, y, out, 1, oh, ow, channels);
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                        assertEquals(Float.floatToRawIntBits(pooled[(c * oh + i) * ow + j]), Float.floatToRawIntBits(y[out.at(1, i, j) + c]), ctx + " channel " + c);
                    }
                }
                ScalarNhwcAdaptivePool.average(x, in, h, w, ys, out, 1, oh, ow, channels, 0);
                assertSameBits(ctx + ": the twins", ys, y);
                for (int i = 0; i < out.perImage(); i++) assertEquals(0f, y[i], ctx + ": image 0 untouched");
            }
        }
    }
}
