package org.panamacnn.simd;

import java.util.Arrays;

/**
 * PyTorch's AdaptiveAvgPool2d over NCHW planes: an h×w plane to oh×ow, output row i the mean of
 * input rows ⌊i·h/oh⌋ .. ⌈(i+1)·h/oh⌉ (and columns alike). The windows of neighbouring outputs may
 * overlap (h not a multiple of oh), and when oh &gt; h an input row feeds several outputs. Each
 * window is summed row-major in float and divided by its cell count, as PyTorch's CPU kernel does;
 * the inference path pools NHWC in the same order ({@link NhwcAdaptivePool}). Memory-bound and run
 * once per network, so plain loops ({@link AvgPool}'s reasoning).
 */
public final class AdaptivePool {
    private AdaptivePool() {}

    /** First input row (or column) of output i: ⌊i·in/out⌋. */
    public static int start(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input row (or column) of output i: ⌈(i+1)·in/out⌉. */
    public static int end(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** y[p, i, j] = (Σ of window (i, j) of x[p], row-major) / its cell count. Writes y. */
    public static void averageForward(int planes, int h, int w, int oh, int ow, float[] x, int xOff, float[] y, int yOff) {
        check(planes, h, w, oh, ow, x, xOff, y, yOff);
        int o = yOff;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = start(i, h, oh), r1 = end(i, h, oh);
                for (int j = 0; j < ow; j++) {
                    int c0 = start(j, w, ow), c1 = end(j, w, ow);
                    float sum = 0f;
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) sum += x[plane + r * w + c];
                    }
                    y[o++] = sum / ((r1 - r0) * (c1 - c0));
                }
            }
        }
    }

    /** dx = Σ over the windows holding each cell of δy / the window's cell count. Overwrites dx. */
    public static void averageBackward(int planes, int h, int w, int oh, int ow, float[] dy, int dyOff, float[] dx, int dxOff) {
        check(planes, h, w, oh, ow, dx, dxOff, dy, dyOff);
        Arrays.fill(dx, dxOff, dxOff + planes * h * w, 0f);
        int o = dyOff;
        for (int p = 0; p < planes; p++) {
            int plane = dxOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = start(i, h, oh), r1 = end(i, h, oh);
                for (int j = 0; j < ow; j++) {
                    int c0 = start(j, w, ow), c1 = end(j, w, ow);
                    float g = dy[o++] / ((r1 - r0) * (c1 - c0));
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) dx[plane + r * w + c] += g;
                    }
                }
            }
        }
    }

    private static void check(int planes, int h, int w, int oh, int ow, float[] in, int inOff, float[] out, int outOff) {
        Checks.nonNegative("planes", planes);
        Checks.positive("height", h);
        Checks.positive("width", w);
        Checks.positive("output height", oh);
        Checks.positive("output width", ow);
        Checks.range("input", in, inOff, (long) planes * h * w);
        Checks.range("output", out, outOff, (long) planes * oh * ow);
    }
}
