package org.panamacnn.simd;

import java.util.Arrays;

/**
 * Resizing NCHW planes (nearest or bilinear upsampling, {@link ResizeAxis}), for training: y[i, j]
 * = rows.lo[i]·(cols.lo[j]·x[r0, c0] + cols.hi[j]·x[r0, c1]) + rows.hi[i]·(cols.lo[j]·x[r1, c0] +
 * cols.hi[j]·x[r1, c1]) in float, in that order; the inference kernel ({@link NhwcResize}) computes
 * the same expression, so the same bits. Backward scatters δy with the same four weights, output
 * pixels in row-major order, so a nearest upsample's δx is the sum of its copies' gradients.
 * Memory-bound, so plain loops (as {@link AdaptivePool}).
 */
public final class Resize {
    private Resize() {}

    /** y[p] = the resize of x[p] for planes p. Writes y. */
    public static void forward(int planes, ResizeAxis rows, ResizeAxis cols, float[] x, int xOff, float[] y, int yOff) {
        int h = rows.in(), w = cols.in(), oh = rows.out(), ow = cols.out();
        check(planes, h, w, oh, ow, x, xOff, y, yOff);
        int o = yOff;
        if (rows.isNearest() && cols.isNearest()) { // a copy: exact even for infinities (0·∞ would be NaN)
            for (int p = 0; p < planes; p++) {
                int plane = xOff + p * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = plane + rows.first()[i] * w;
                    for (int j = 0; j < ow; j++) y[o++] = x[r0 + cols.first()[j]];
                }
            }
            return;
        }
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + rows.first()[i] * w, r1 = plane + rows.second()[i] * w;
                float a = rows.lo()[i], b = rows.hi()[i];
                for (int j = 0; j < ow; j++) {
                    int c0 = cols.first()[j], c1 = cols.second()[j];
                    float l = cols.lo()[j], r = cols.hi()[j];
                    y[o++] = a * (l * x[r0 + c0] + r * x[r0 + c1]) + b * (l * x[r1 + c0] + r * x[r1 + c1]);
                }
            }
        }
    }

    /** dx = the adjoint of {@link #forward} applied to dy: each δy spread over its four sources by their weights. Overwrites dx. */
    public static void backward(int planes, ResizeAxis rows, ResizeAxis cols, float[] dy, int dyOff, float[] dx, int dxOff) {
        int h = rows.in(), w = cols.in(), oh = rows.out(), ow = cols.out();
        check(planes, h, w, oh, ow, dx, dxOff, dy, dyOff);
        Arrays.fill(dx, dxOff, dxOff + planes * h * w, 0f);
        int o = dyOff;
        if (rows.isNearest() && cols.isNearest()) {
            for (int p = 0; p < planes; p++) {
                int plane = dxOff + p * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = plane + rows.first()[i] * w;
                    for (int j = 0; j < ow; j++) dx[r0 + cols.first()[j]] += dy[o++];
                }
            }
            return;
        }
        for (int p = 0; p < planes; p++) {
            int plane = dxOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + rows.first()[i] * w, r1 = plane + rows.second()[i] * w;
                float a = rows.lo()[i], b = rows.hi()[i];
                for (int j = 0; j < ow; j++) {
                    int c0 = cols.first()[j], c1 = cols.second()[j];
                    float l = cols.lo()[j], r = cols.hi()[j], g = dy[o++];
                    float ga = a * g, gb = b * g;
                    dx[r0 + c0] += ga * l;
                    dx[r0 + c1] += ga * r;
                    dx[r1 + c0] += gb * l;
                    dx[r1 + c1] += gb * r;
                }
            }
        }
    }

    private static void check(int planes, int h, int w, int oh, int ow, float[] in, int inOff, float[] out, int outOff) {
        Checks.nonNegative("planes", planes);
        Checks.range("input", in, inOff, (long) planes * h * w);
        Checks.range("output", out, outOff, (long) planes * oh * ow);
    }
}
