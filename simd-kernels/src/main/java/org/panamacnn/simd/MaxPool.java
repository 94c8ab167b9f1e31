package org.panamacnn.simd;

import java.util.Arrays;

/**
 * Max-pooling over k×k windows with a stride (no padding) on a stack of planes, recording
 * each window's arg-max, and the backward pass that routes the gradient to those arg-maxes.
 */
public final class MaxPool {
    private MaxPool() {}

    /** Output extent along one axis: (in − k) / stride + 1. */
    public static int outSize(int in, int k, int stride) {
        Checks.positive("input size", in);
        Checks.positive("window", k);
        Checks.positive("stride", stride);
        if (k > in) throw new IllegalArgumentException("pooling window " + k + " is larger than input " + in);
        return (in - k) / stride + 1;
    }

    /**
     * y[p, i, j] = max over x[p, i·s .. i·s+k, j·s .. j·s+k]; argmax gets the index of that
     * maximum relative to xOff (the first one in row-major window order on ties).
     * Writes y and argmax.
     */
    public static void forward(int planes, int h, int w, int k, int stride,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        int oh = outSize(h, k, stride);
        int ow = outSize(w, k, stride);
        Checks.range("x", x, xOff, (long) planes * h * w);
        Checks.range("y", y, yOff, (long) planes * oh * ow);
        Checks.range("argmax", argmax, argOff, (long) planes * oh * ow);
        if (k == 2 && stride == 2) {
            forward2x2(planes, h, w, oh, ow, x, xOff, y, yOff, argmax, argOff);
            return;
        }
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int first = plane + i * stride * w + j * stride;
                    int best = first;
                    float max = x[xOff + first];
                    for (int u = 0; u < k; u++) {
                        int rowStart = first + u * w;
                        for (int v = 0; v < k; v++) {
                            float val = x[xOff + rowStart + v];
                            if (val > max) {
                                max = val;
                                best = rowStart + v;
                            }
                        }
                    }
                    y[yOff + o] = max;
                    argmax[argOff + o] = best;
                }
            }
        }
    }

    /** The common 2×2, stride-2 case with the window unrolled. */
    private static void forward2x2(int planes, int h, int w, int oh, int ow,
                                   float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + 2 * i * w;
                int r1 = r0 + w;
                for (int j = 0; j < ow; j++, o++) {
                    int i00 = r0 + 2 * j, i10 = r1 + 2 * j;
                    float best = x[xOff + i00];
                    int at = i00;
                    float v = x[xOff + i00 + 1];
                    if (v > best) { best = v; at = i00 + 1; }
                    v = x[xOff + i10];
                    if (v > best) { best = v; at = i10; }
                    v = x[xOff + i10 + 1];
                    if (v > best) { best = v; at = i10 + 1; }
                    y[yOff + o] = best;
                    argmax[argOff + o] = at;
                }
            }
        }
    }

    /**
     * dx = 0, then dx[argmax[o]] += dy[o] for every output o (overlapping windows add up).
     * Writes dx[0 .. planes·h·w).
     */
    public static void backward(int planes, int h, int w, int k, int stride,
                                float[] dy, int dyOff, int[] argmax, int argOff, float[] dx, int dxOff) {
        int outs = planes * outSize(h, k, stride) * outSize(w, k, stride);
        int ins = planes * h * w;
        Checks.range("dy", dy, dyOff, outs);
        Checks.range("argmax", argmax, argOff, outs);
        Checks.range("dx", dx, dxOff, ins);
        Arrays.fill(dx, dxOff, dxOff + ins, 0f);
        for (int o = 0; o < outs; o++) {
            int at = argmax[argOff + o];
            if (at < 0 || at >= ins) {
                throw new IllegalArgumentException("argmax[" + o + "] = " + at + " is outside the input [0, " + ins + ")");
            }
            dx[dxOff + at] += dy[dyOff + o];
        }
    }
}
