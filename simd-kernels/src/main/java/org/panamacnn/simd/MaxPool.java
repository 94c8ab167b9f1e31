package org.panamacnn.simd;

import java.util.Arrays;

/**
 * Max-pooling over k×k windows with a stride and a padding on a stack of planes, recording
 * each window's arg-max, and the backward pass that routes the gradient to those arg-maxes.
 * Padding counts as −∞ (PyTorch's MaxPool2d(padding=p)): a window takes the max of its cells
 * inside the plane, so an arg-max is always an input cell.
 * 2×2 windows with stride 2 are pooled with vectors ({@link VectorMaxPool}) when
 * {@link KernelProvider} chose them; the general loop gives the same outputs and arg-maxes.
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
     * Output extent along one axis with padding: (in + 2·pad − k) / stride + 1. The padding may
     * be at most k / 2 (as PyTorch requires), so every window holds an input cell.
     */
    public static int outSize(int in, int k, int stride, int pad) {
        Checks.nonNegative("padding", pad);
        if (pad == 0) return outSize(in, k, stride);
        Checks.positive("input size", in);
        Checks.positive("window", k);
        Checks.positive("stride", stride);
        if (2 * pad > k) throw new IllegalArgumentException("padding " + pad + " is more than half the window " + k);
        if (k > in + 2 * pad) throw new IllegalArgumentException("pooling window " + k + " is larger than padded input " + (in + 2 * pad));
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * y[p, i, j] = max over x[p, i·s .. i·s+k, j·s .. j·s+k]; argmax gets the index of that
     * maximum relative to xOff (the first one in row-major window order on ties).
     * Writes y and argmax.
     */
    public static void forward(int planes, int h, int w, int k, int stride,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        forward(planes, h, w, k, stride, x, xOff, y, yOff, argmax, argOff, 0);
    }

    /**
     * {@link #forward} recording argBase + the index relative to xOff: for planes pooled one at a
     * time out of another layout (a convolution's group output) into arg-maxes relative to a
     * batch chunk's first image.
     */
    public static void forward(int planes, int h, int w, int k, int stride,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff, int argBase) {
        Checks.nonNegative("planes", planes);
        int oh = outSize(h, k, stride);
        int ow = outSize(w, k, stride);
        Checks.range("x", x, xOff, (long) planes * h * w);
        Checks.range("y", y, yOff, (long) planes * oh * ow);
        Checks.range("argmax", argmax, argOff, (long) planes * oh * ow);
        if (KernelProvider.VECTORIZED && k == 2 && stride == 2) {
            VectorMaxPool.forward2x2(planes, h, w, oh, ow, x, xOff, y, yOff, argmax, argOff, argBase);
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
                    argmax[argOff + o] = argBase + best;
                }
            }
        }
    }

    /**
     * {@link #forward} with padding: y[p, i, j] = max over the cells of x[p] in rows
     * i·s−pad .. i·s−pad+k and columns j·s−pad .. j·s−pad+k (the window clipped to the plane);
     * argmax gets argBase + the index of the first maximum in row-major order. Writes y and argmax.
     */
    public static void forward(int planes, int h, int w, int k, int stride, int pad,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff, int argBase) {
        if (pad == 0) {
            forward(planes, h, w, k, stride, x, xOff, y, yOff, argmax, argOff, argBase);
            return;
        }
        Checks.nonNegative("planes", planes);
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        Checks.range("x", x, xOff, (long) planes * h * w);
        Checks.range("y", y, yOff, (long) planes * oh * ow);
        Checks.range("argmax", argmax, argOff, (long) planes * oh * ow);
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = Math.max(0, i * stride - pad), r1 = Math.min(h, i * stride - pad + k);
                for (int j = 0; j < ow; j++, o++) {
                    int c0 = Math.max(0, j * stride - pad), c1 = Math.min(w, j * stride - pad + k);
                    int best = plane + r0 * w + c0;
                    float max = x[xOff + best];
                    for (int r = r0; r < r1; r++) {
                        int row = plane + r * w;
                        for (int c = c0; c < c1; c++) {
                            float val = x[xOff + row + c];
                            if (val > max) {
                                max = val;
                                best = row + c;
                            }
                        }
                    }
                    y[yOff + o] = max;
                    argmax[argOff + o] = argBase + best;
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
        backward(planes, h, w, k, stride, 0, dy, dyOff, argmax, argOff, dx, dxOff);
    }

    /** {@link #backward} of the padded forward. Writes dx[0 .. planes·h·w). */
    public static void backward(int planes, int h, int w, int k, int stride, int pad,
                                float[] dy, int dyOff, int[] argmax, int argOff, float[] dx, int dxOff) {
        unpool(planes, h, w, outputs(planes, h, w, k, stride, pad), dy, dyOff, null, 0, argmax, argOff, dx, dxOff, 0);
    }

    private static int outputs(int planes, int h, int w, int k, int stride, int pad) {
        Checks.nonNegative("planes", planes);
        return planes * outSize(h, k, stride, pad) * outSize(w, k, stride, pad);
    }

    /**
     * The backward of a ReLU followed by this pool, in one pass: dx = 0, then dx[argmax[o]] +=
     * dy[o] only where the pooled output y[o] > 0. The ReLU's output at the arg-max is y[o], and
     * the ReLU passes a gradient exactly where its output is positive, so this equals pool
     * backward then ReLU backward, bit for bit, without the second pass over dx. Writes dx.
     */
    public static void backwardThroughRelu(int planes, int h, int w, int k, int stride,
                                           float[] dy, int dyOff, float[] y, int yOff, int[] argmax, int argOff,
                                           float[] dx, int dxOff) {
        backwardThroughRelu(planes, h, w, k, stride, dy, dyOff, y, yOff, argmax, argOff, dx, dxOff, 0);
    }

    /**
     * {@link #backwardThroughRelu} with arg-maxes recorded from argBase (see the forward with
     * argBase): dx[argmax[o] − argBase] receives dy[o]. For planes unpooled one at a time into
     * another layout (a convolution's group matrix).
     */
    public static void backwardThroughRelu(int planes, int h, int w, int k, int stride,
                                           float[] dy, int dyOff, float[] y, int yOff, int[] argmax, int argOff,
                                           float[] dx, int dxOff, int argBase) {
        backwardThroughRelu(planes, h, w, k, stride, 0, dy, dyOff, y, yOff, argmax, argOff, dx, dxOff, argBase);
    }

    /** {@link #backwardThroughRelu} of the padded forward. Writes dx. */
    public static void backwardThroughRelu(int planes, int h, int w, int k, int stride, int pad,
                                           float[] dy, int dyOff, float[] y, int yOff, int[] argmax, int argOff,
                                           float[] dx, int dxOff, int argBase) {
        int outs = outputs(planes, h, w, k, stride, pad);
        Checks.range("y", y, yOff, outs);
        unpool(planes, h, w, outs, dy, dyOff, y, yOff, argmax, argOff, dx, dxOff, argBase);
    }

    /** Unpooling; with y, outputs whose pooled value is not positive send nothing. */
    private static void unpool(int planes, int h, int w, int outs, float[] dy, int dyOff,
                               float[] y, int yOff, int[] argmax, int argOff, float[] dx, int dxOff, int argBase) {
        int ins = planes * h * w;
        Checks.range("dy", dy, dyOff, outs);
        Checks.range("argmax", argmax, argOff, outs);
        Checks.range("dx", dx, dxOff, ins);
        Arrays.fill(dx, dxOff, dxOff + ins, 0f);
        for (int o = 0; o < outs; o++) {
            int at = argmax[argOff + o] - argBase;
            if (at < 0 || at >= ins) {
                throw new IllegalArgumentException("argmax[" + o + "] = " + (at + argBase) + " is outside the input ["
                        + argBase + ", " + (argBase + ins) + ")");
            }
            if (y == null || y[yOff + o] > 0f) dx[dxOff + at] += dy[dyOff + o];
        }
    }
}
