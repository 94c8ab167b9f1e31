package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.panamacnn.oracle.OracleGroupedConv2d;
import org.panamacnn.oracle.OracleMaxPool;

/**
 * The inference kernels torchvision's models brought, against the scalar oracle (NCHW, plain
 * loops): the NHWC depthwise convolution with its clamp, and the NHWC padded max-pool (padding as
 * −∞, the buffer's border never read: it is filled with a value larger than any input to show it).
 * Random odd sizes, channel counts around the vector length, padded channel strides.
 */
class ModelKernelsTest {
    @RepeatedTest(30)
    void depthwiseNhwcMatchesTheOracle(RepetitionInfo rep) {
        Random rnd = new Random(rep.getCurrentRepetition() * 7919L);
        int c = TestSupport.pick(rnd, 1, 5, TestSupport.LANES, TestSupport.LANES + 3, 2 * TestSupport.LANES + 1);
        int cs = c + rnd.nextInt(3), k = TestSupport.pick(rnd, 1, 3, 5), s = TestSupport.pick(rnd, 1, 2), p = rnd.nextInt(k / 2 + 1);
        int h = k + rnd.nextInt(9), w = k + rnd.nextInt(9), oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1, n = 2;
        float[] x = TestSupport.randomArray(rnd, n * c * h * w), wt = TestSupport.randomArray(rnd, c * k * k), b = TestSupport.randomArray(rnd, c);
        boolean relu6 = rnd.nextBoolean();
        double[] expected = OracleGroupedConv2d.forward(toDouble(x), n, c, h, w, toDouble(wt), c, k, toDouble(b), s, p, c);
        PixelMap in = PixelMap.nhwc(h, w, p, cs), out = PixelMap.nhwc(oh, ow, 0, cs);
        float[] buf = new float[n * in.perImage()], y = new float[n * out.perImage()];
        for (int b0 = 0; b0 < n; b0++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) {
            buf[in.at(b0, i, j) + ch] = x[((b0 * c + ch) * h + i) * w + j];
        }
        float[] weights = new float[k * k * cs], bias = new float[cs];
        for (int ch = 0; ch < c; ch++) {
            bias[ch] = b[ch];
            for (int t = 0; t < k * k; t++) weights[t * cs + ch] = wt[ch * k * k + t];
        }
        PixelMap windows = new PixelMap(in.perImage(), s * in.perRow(), s * cs, in.at(0, -p, -p));
        for (int b0 = 0; b0 < n; b0++) {
            NhwcDepthwiseConv.convolve(buf, windows, in.perRow(), cs, k, weights, bias, relu6 ? 0f : Float.NEGATIVE_INFINITY,
                    relu6 ? 6f : Float.POSITIVE_INFINITY, y, out, b0, 0, oh, ow, cs);
        }
        for (int b0 = 0; b0 < n; b0++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double e = expected[((b0 * c + ch) * oh + i) * ow + j];
            if (relu6) e = Math.min(Math.max(e, 0), 6);
            assertEquals(e, y[out.at(b0, i, j) + ch], 1e-5, "depthwise " + k + "×" + k + " s" + s + " p" + p + " c" + c + " at " + b0 + "," + ch + "," + i + "," + j);
        }
    }

    @RepeatedTest(30)
    void paddedMaxPoolNhwcMatchesTheOracle(RepetitionInfo rep) {
        Random rnd = new Random(rep.getCurrentRepetition() * 104729L);
        int c = TestSupport.pick(rnd, 1, 3, TestSupport.LANES, TestSupport.LANES + 5), cs = c + rnd.nextInt(2);
        int k = TestSupport.pick(rnd, 2, 3, 5), s = TestSupport.pick(rnd, 1, 2, 3), p = 1 + rnd.nextInt(k / 2);
        int h = Math.max(1, k - 2 * p) + rnd.nextInt(9), w = Math.max(1, k - 2 * p) + rnd.nextInt(9), n = 2, border = rnd.nextInt(2);
        int oh = OracleMaxPool.outSize(h, k, s, p), ow = OracleMaxPool.outSize(w, k, s, p);
        float[] x = TestSupport.randomArray(rnd, n * c * h * w);
        double[] expected = OracleMaxPool.forward(toDouble(x), n, c, h, w, k, s, p);
        PixelMap in = PixelMap.nhwc(h, w, border, cs), out = PixelMap.nhwc(oh, ow, 0, cs);
        float[] buf = new float[n * in.perImage()], y = new float[n * out.perImage()];
        java.util.Arrays.fill(buf, 1e30f); // the border, and padding channels: never a window's max
        for (int b0 = 0; b0 < n; b0++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) {
            buf[in.at(b0, i, j) + ch] = x[((b0 * c + ch) * h + i) * w + j];
        }
        for (int b0 = 0; b0 < n; b0++) NhwcPool.maxPadded(buf, in, h, w, k, s, p, y, out, b0, oh, ow, c);
        for (int b0 = 0; b0 < n; b0++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            assertEquals(expected[((b0 * c + ch) * oh + i) * ow + j], y[out.at(b0, i, j) + ch], 0, "pool " + k + " s" + s + " p" + p + " at " + b0 + "," + ch + "," + i + "," + j);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
