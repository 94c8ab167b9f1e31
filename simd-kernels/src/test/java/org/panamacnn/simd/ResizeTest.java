package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertSameBits;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleResize;

/**
 * {@link Resize} (NCHW, training) and {@link NhwcResize} (NHWC, inference) against
 * {@link OracleResize}: nearest and bilinear (both align_corners), odd sizes and scales 1..4,
 * rectangular, channel counts with vector tails; the NHWC kernel gives the NCHW kernel's bits,
 * its twins the same bits, and it writes no border.
 */
class ResizeTest {
    private static final int[][] SHAPES = {{1, 1, 2, 2}, {3, 5, 3, 1}, {7, 2, 2, 4}, {4, 4, 1, 1}, {5, 9, 3, 3}, {2, 13, 4, 2}};
    private static final boolean[][] MODES = {{false, false}, {true, false}, {true, true}}; // bilinear, align corners

    private static ResizeAxis axis(int in, int out, boolean[] mode) {
        return mode[0] ? ResizeAxis.linear(in, out, mode[1]) : ResizeAxis.nearest(in, out);
    }

    @Test
    void nchwForwardAndBackwardMatchTheOracle() {
        Random rnd = new Random(31);
        for (int[] s : SHAPES) {
            for (boolean[] m : MODES) {
                int planes = 5, h = s[0], w = s[1], oh = h * s[2], ow = w * s[3], xOff = 3, yOff = 7;
                String ctx = h + "×" + w + " → " + oh + "×" + ow + " bilinear " + m[0] + " align " + m[1];
                ResizeAxis rows = axis(h, oh, m), cols = axis(w, ow, m);
                float[] x = TestSupport.randomArray(rnd, xOff + planes * h * w), y = new float[yOff + planes * oh * ow];
                Resize.forward(planes, rows, cols, x, xOff, y, yOff);
                double[] expected = OracleResize.forward(TestSupport.toDouble(x, xOff, planes * h * w), planes, h, w, oh, ow, m[0], m[1]);
                for (int i = 0; i < expected.length; i++) TestSupport.assertClose(ctx + " forward " + i, expected[i], y[yOff + i], 1e-5); // coordinates in float, as PyTorch
                float[] dy = TestSupport.randomArray(rnd, yOff + planes * oh * ow), dx = new float[xOff + planes * h * w];
                Resize.backward(planes, rows, cols, dy, yOff, dx, xOff);
                double[] dxExpected = OracleResize.backward(TestSupport.toDouble(dy, yOff, planes * oh * ow), planes, h, w, oh, ow, m[0], m[1]);
                for (int i = 0; i < dxExpected.length; i++) TestSupport.assertClose(ctx + " backward " + i, dxExpected[i], dx[xOff + i], 1e-5);
                for (int i = 0; i < xOff; i++) assertEquals(0f, dx[i], ctx + ": nothing before the offset");
            }
        }
    }

    @Test
    void nhwcGivesTheNchwBitsAndTwinsAgree() {
        Random rnd = new Random(32);
        for (int[] s : SHAPES) {
            for (boolean[] m : MODES) {
                int h = s[0], w = s[1], oh = h * s[2], ow = w * s[3];
                ResizeAxis rows = axis(h, oh, m), cols = axis(w, ow, m);
                for (int channels : new int[] {1, 5, TestSupport.LANES + 3}) {
                    String ctx = h + "×" + w + "×" + channels + " → " + oh + "×" + ow + " bilinear " + m[0] + " align " + m[1];
                    PixelMap in = PixelMap.nhwc(h, w, 1, channels + 1), out = PixelMap.nhwc(oh, ow, 2, channels + 2);
                    float[] x = TestSupport.randomArray(rnd, 2 * in.perImage()), y = new float[2 * out.perImage()], ys = y.clone();
                    float[] planes = new float[channels * h * w], resized = new float[channels * oh * ow]; // image 1 as NCHW
                    for (int c = 0; c < channels; c++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) planes[(c * h + r) * w + q] = x[in.at(1, r, q) + c];
                    Resize.forward(channels, rows, cols, planes, 0, resized, 0);
                    NhwcResize.resize(x, in, rows, cols, y, out, 1, channels);
                    for (int c = 0; c < channels; c++) {
                        for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                            assertSameBits(ctx + " channel " + c, resized[(c * oh + i) * ow + j], y[out.at(1, i, j) + c]);
                        }
                    }
                    ScalarNhwcResize.resize(x, in, rows, cols, ys, out, 1, channels, 0);
                    assertSameBits(ctx + ": the twins", ys, y);
                    for (int i = 0; i < out.perImage(); i++) assertEquals(0f, y[i], ctx + ": image 0 untouched");
                    for (int i = 0; i < oh; i++) {
                        for (int j = -2; j < ow + 2; j++) {
                            boolean border = j < 0 || j >= ow;
                            for (int c = border ? 0 : channels; c < channels + 2; c++) assertEquals(0f, y[out.at(1, i, j) + c], ctx + ": border and padding channels");
                        }
                    }
                }
            }
        }
    }

    @Test
    void axesAreTorchsCoordinates() {
        ResizeAxis half = ResizeAxis.linear(2, 4, false); // src = max((i + ½)/2 − ½, 0): 0, 0.25, 0.75, 1.25 → clamped index 1
        assertEquals(0, half.first()[0]);
        assertEquals(0f, half.hi()[0]);
        assertEquals(0.25f, half.hi()[1]);
        assertEquals(0.75f, half.hi()[2]);
        assertEquals(1, half.first()[3]);
        assertEquals(1, half.second()[3], "the last source row has no neighbour below");
        ResizeAxis corners = ResizeAxis.linear(3, 6, true); // src = i·2/5
        assertEquals(2, corners.first()[5]);
        assertEquals(0f, corners.hi()[5]);
        assertEquals(0.4f, corners.hi()[1], 1e-7f);
        ResizeAxis nearest = ResizeAxis.nearest(3, 9);
        assertEquals(2, nearest.first()[8]);
        assertEquals(1, nearest.first()[5]);
    }
}
