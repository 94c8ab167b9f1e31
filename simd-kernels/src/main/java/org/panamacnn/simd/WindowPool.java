package org.panamacnn.simd;

import java.util.Arrays;

/**
 * Max- and average-pooling of NCHW planes with all of PyTorch's MaxPool2d / AvgPool2d settings:
 * k×k windows, a stride, a padding p ≤ k/2 on every side, ceil mode, and for the average whether
 * padded cells count in the divisor. Window (i, j) covers rows i·s − p .. i·s − p + k and columns
 * j·s − p .. j·s − p + k, clipped to the plane (every window holds an input cell); in ceil mode
 * the last window may reach past the padding. The max takes the first maximum in row-major order
 * and records its index; the average is (Σ over the clipped window, row-major) / divisor, the
 * divisor PyTorch's: the window clipped to the padded plane (count_include_pad) or to the plane.
 * Memory-bound and a small part of a network, so plain loops ({@link AvgPool}'s reasoning); the
 * inference path pools NHWC in the same order ({@link NhwcWindowPool}, {@link NhwcPool#maxPadded}).
 */
public final class WindowPool {
    private WindowPool() {}

    /**
     * Output extent along one axis, as PyTorch computes it: (in + 2p − k) / s + 1 rounded down, or
     * up in ceil mode, less one when that last window would start at or past in + p (inside the
     * right padding only).
     */
    public static int outSize(int in, int k, int stride, int pad, boolean ceil) {
        Checks.positive("input size", in);
        Checks.positive("window", k);
        Checks.positive("stride", stride);
        Checks.nonNegative("padding", pad);
        if (2 * pad > k) throw new IllegalArgumentException("padding " + pad + " is more than half the window " + k);
        int span = in + 2 * pad - k;
        if (span < 0) throw new IllegalArgumentException("pooling window " + k + " is larger than padded input " + (in + 2 * pad));
        int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    /** First row (or column) of window i inside the plane. */
    private static int first(int i, int stride, int pad) {
        return Math.max(0, i * stride - pad);
    }

    /** One past the last row (or column) of window i inside the plane of extent n. */
    private static int end(int i, int k, int stride, int pad, int n) {
        return Math.min(n, i * stride - pad + k);
    }

    /**
     * PyTorch's divisor of window (i, j): its cells inside the padded plane (countPad) or inside the plane.
     * Exposed so the NHWC kernel divides by the same number.
     */
    public static int divisor(int i, int j, int h, int w, int k, int stride, int pad, boolean countPad) {
        int r0 = i * stride - pad, q0 = j * stride - pad;
        if (countPad) return (Math.min(r0 + k, h + pad) - r0) * (Math.min(q0 + k, w + pad) - q0);
        return (Math.min(h, r0 + k) - Math.max(0, r0)) * (Math.min(w, q0 + k) - Math.max(0, q0));
    }

    /**
     * y[p, i, j] = max of window (i, j) of x[p]; argmax gets the index of that maximum relative to
     * xOff (the first in row-major order on ties). Writes y and argmax.
     */
    public static void maxForward(int planes, int h, int w, int k, int stride, int pad, int oh, int ow,
                                  float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        check(planes, h, w, oh, ow, x, xOff, y, yOff);
        Checks.range("argmax", argmax, argOff, (long) planes * oh * ow);
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = first(i, stride, pad), r1 = end(i, k, stride, pad, h);
                for (int j = 0; j < ow; j++, o++) {
                    int c0 = first(j, stride, pad), c1 = end(j, k, stride, pad, w);
                    int best = plane + r0 * w + c0;
                    float max = x[xOff + best];
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            float v = x[xOff + plane + r * w + c];
                            if (v > max) {
                                max = v;
                                best = plane + r * w + c;
                            }
                        }
                    }
                    y[yOff + o] = max;
                    argmax[argOff + o] = best;
                }
            }
        }
    }

    /** dx = 0, then dx[argmax[o]] += dy[o] for every output o. Writes dx[0 .. planes·h·w). */
    public static void maxBackward(int planes, int h, int w, int oh, int ow, float[] dy, int dyOff, int[] argmax, int argOff,
                                   float[] dx, int dxOff) {
        check(planes, h, w, oh, ow, dx, dxOff, dy, dyOff);
        Checks.range("argmax", argmax, argOff, (long) planes * oh * ow);
        int n = planes * h * w;
        Arrays.fill(dx, dxOff, dxOff + n, 0f);
        for (int o = 0, outs = planes * oh * ow; o < outs; o++) {
            int a = argmax[argOff + o];
            if (a < 0 || a >= n) throw new IllegalArgumentException("argmax " + a + " at output " + o + " is outside the " + n + " inputs");
            dx[dxOff + a] += dy[dyOff + o];
        }
    }

    /** y[p, i, j] = (Σ of window (i, j) of x[p], row-major) / its {@link #divisor}. Writes y. */
    public static void averageForward(int planes, int h, int w, int k, int stride, int pad, boolean countPad, int oh, int ow,
                                      float[] x, int xOff, float[] y, int yOff) {
        check(planes, h, w, oh, ow, x, xOff, y, yOff);
        int o = yOff;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = first(i, stride, pad), r1 = end(i, k, stride, pad, h);
                for (int j = 0; j < ow; j++) {
                    int c0 = first(j, stride, pad), c1 = end(j, k, stride, pad, w);
                    float sum = 0f;
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) sum += x[plane + r * w + c];
                    }
                    y[o++] = sum / divisor(i, j, h, w, k, stride, pad, countPad);
                }
            }
        }
    }

    /** dx = Σ over the windows holding each cell of δy / divisor. Overwrites dx. */
    public static void averageBackward(int planes, int h, int w, int k, int stride, int pad, boolean countPad, int oh, int ow,
                                       float[] dy, int dyOff, float[] dx, int dxOff) {
        check(planes, h, w, oh, ow, dx, dxOff, dy, dyOff);
        Arrays.fill(dx, dxOff, dxOff + planes * h * w, 0f);
        int o = dyOff;
        for (int p = 0; p < planes; p++) {
            int plane = dxOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = first(i, stride, pad), r1 = end(i, k, stride, pad, h);
                for (int j = 0; j < ow; j++) {
                    int c0 = first(j, stride, pad), c1 = end(j, k, stride, pad, w);
                    float g = dy[o++] / divisor(i, j, h, w, k, stride, pad, countPad);
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
