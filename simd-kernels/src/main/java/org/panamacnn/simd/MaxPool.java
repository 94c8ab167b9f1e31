package org.panamacnn.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max-pooling over k×k windows with a stride and a padding on a stack of planes, recording
 * each window's arg-max, and the backward pass that routes the gradient to those arg-maxes.
 * Padding counts as −∞ (PyTorch's MaxPool2d(padding=p)): a window takes the max of its cells
 * inside the plane, so an arg-max is always an input cell.
 */
public final class MaxPool {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    /** Lane i of a two-vector rearrange takes input lane 2i (EVEN) or 2i+1 (ODD) of the pair. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    private static final IntVector TWO_IOTA = IntVector.zero(I).addIndex(2);

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
        if (k == 2 && stride == 2) {
            forward2x2(planes, h, w, oh, ow, x, xOff, y, yOff, argmax, argOff, argBase);
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
     * The common 2×2, stride-2 case, L outputs at a time: each input row segment is split into
     * its even and odd lanes, the larger of each pair is taken in the top and in the bottom row,
     * then the larger of top and bottom. Comparing with strict > in that order keeps the first
     * maximum in row-major window order, as the general path does. A row's last L outputs are
     * computed again, overlapping, instead of a masked tail (same values, no mask to pass around);
     * rows narrower than L take the scalar path.
     */
    private static void forward2x2(int planes, int h, int w, int oh, int ow,
                                   float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff, int argBase) {
        if (ow < L) {
            forward2x2Narrow(planes, h, w, oh, ow, x, xOff, y, yOff, argmax, argOff, argBase);
            return;
        }
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++, o += ow) {
                int r0 = plane + 2 * i * w;
                for (int j = 0; ; j += L) {
                    if (j > ow - L) j = ow - L;
                    pool2x2(x, xOff, w, r0 + 2 * j, y, yOff + o + j, argmax, argOff + o + j, argBase);
                    if (j == ow - L) break;
                }
            }
        }
    }

    /**
     * Rows narrower than a vector: a plane's outputs are taken L at a time in row-major order, the
     * four corners of each window gathered through a table of window corners (last L overlapping).
     */
    private static void forward2x2Narrow(int planes, int h, int w, int oh, int ow,
                                         float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff, int argBase) {
        int outs = oh * ow;
        if (outs < L) {
            for (int p = 0; p < planes; p++) {
                for (int o = 0; o < outs; o++) {
                    int corner = p * h * w + 2 * (o / ow) * w + 2 * (o % ow);
                    pool2x2Scalar(x, xOff, w, corner, y, yOff + p * outs + o, argmax, argOff + p * outs + o, argBase);
                }
            }
            return;
        }
        int[] corners = CornerTable.forCurrentThread(w, oh, ow);
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * h * w;
            for (int o = 0; ; o += L) {
                if (o > outs - L) o = outs - L;
                gather2x2(x, plane, w, corners, o, argBase + p * h * w, y, yOff + p * outs + o, argmax, argOff + p * outs + o);
                if (o == outs - L) break;
            }
        }
    }

    /** L windows whose corners are plane + corners[at .. at+L); the same comparisons as {@link #pool2x2}. */
    private static void gather2x2(float[] x, int plane, int w, int[] corners, int at, int planeIndex,
                                  float[] y, int yAt, int[] argmax, int argAt) {
        FloatVector a = FloatVector.fromArray(F, x, plane, corners, at);
        FloatVector b = FloatVector.fromArray(F, x, plane + 1, corners, at);
        FloatVector c = FloatVector.fromArray(F, x, plane + w, corners, at);
        FloatVector d = FloatVector.fromArray(F, x, plane + w + 1, corners, at);
        VectorMask<Float> topRight = b.compare(VectorOperators.GT, a);
        VectorMask<Float> bottomRight = d.compare(VectorOperators.GT, c);
        FloatVector topMax = a.blend(b, topRight);
        FloatVector bottomMax = c.blend(d, bottomRight);
        VectorMask<Float> lower = bottomMax.compare(VectorOperators.GT, topMax);
        topMax.blend(bottomMax, lower).intoArray(y, yAt);
        IntVector corner = IntVector.fromArray(I, corners, at).add(planeIndex);
        IntVector topAt = corner.add(1, topRight.cast(I));
        IntVector bottomAt = corner.add(w).add(1, bottomRight.cast(I));
        topAt.blend(bottomAt, lower.cast(I)).intoArray(argmax, argAt);
    }

    /** L 2×2 windows whose top-left corners start at x[xOff + first], every other column (indices recorded + argBase). */
    private static void pool2x2(float[] x, int xOff, int w, int first, float[] y, int yAt, int[] argmax, int argAt, int argBase) {
        int top = xOff + first, bottom = top + w;
        FloatVector t0 = FloatVector.fromArray(F, x, top), t1 = FloatVector.fromArray(F, x, top + L);
        FloatVector b0 = FloatVector.fromArray(F, x, bottom), b1 = FloatVector.fromArray(F, x, bottom + L);
        FloatVector tEven = t0.rearrange(EVEN, t1), tOdd = t0.rearrange(ODD, t1);
        FloatVector bEven = b0.rearrange(EVEN, b1), bOdd = b0.rearrange(ODD, b1);
        VectorMask<Float> topRight = tOdd.compare(VectorOperators.GT, tEven);
        VectorMask<Float> bottomRight = bOdd.compare(VectorOperators.GT, bEven);
        FloatVector topMax = tEven.blend(tOdd, topRight);
        FloatVector bottomMax = bEven.blend(bOdd, bottomRight);
        VectorMask<Float> lower = bottomMax.compare(VectorOperators.GT, topMax);
        topMax.blend(bottomMax, lower).intoArray(y, yAt);
        IntVector corner = TWO_IOTA.add(argBase + first);
        IntVector topAt = corner.add(1, topRight.cast(I));
        IntVector bottomAt = corner.add(w).add(1, bottomRight.cast(I));
        topAt.blend(bottomAt, lower.cast(I)).intoArray(argmax, argAt);
    }

    /**
     * Window corners (2i·w + 2j for output (i, j), row-major) of the last few plane geometries
     * this thread pooled (a network's pools alternate within every step), each built once, so
     * steady state allocates nothing.
     */
    private static final class CornerTable {
        private static final ThreadLocal<CornerTable> PER_THREAD = ThreadLocal.withInitial(CornerTable::new);
        /** Geometries kept per thread; past that the oldest is rebuilt. */
        private static final int KEPT = 4;
        private final int[] w = new int[KEPT], oh = new int[KEPT], ow = new int[KEPT];
        private final int[][] corners = new int[KEPT][];
        private int next;

        static int[] forCurrentThread(int w, int oh, int ow) {
            CornerTable t = PER_THREAD.get();
            for (int e = 0; e < KEPT; e++) {
                if (t.corners[e] != null && t.w[e] == w && t.oh[e] == oh && t.ow[e] == ow) return t.corners[e];
            }
            int e = t.next;
            t.next = (e + 1) % KEPT;
            int[] c = new int[oh * ow];
            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) c[i * ow + j] = 2 * i * w + 2 * j;
            t.w[e] = w;
            t.oh[e] = oh;
            t.ow[e] = ow;
            t.corners[e] = c;
            return c;
        }
    }

    /** One 2×2 window, the same comparisons in the same order as {@link #pool2x2}. */
    private static void pool2x2Scalar(float[] x, int xOff, int w, int first, float[] y, int yAt, int[] argmax, int argAt, int argBase) {
        int i0 = first, i1 = first + w;
        float a = x[xOff + i0], b = x[xOff + i0 + 1], c = x[xOff + i1], d = x[xOff + i1 + 1];
        float top = a, bottom = c;
        int topAt = i0, bottomAt = i1;
        if (b > a) { top = b; topAt = i0 + 1; }
        if (d > c) { bottom = d; bottomAt = i1 + 1; }
        boolean lower = bottom > top;
        y[yAt] = lower ? bottom : top;
        argmax[argAt] = argBase + (lower ? bottomAt : topAt);
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
