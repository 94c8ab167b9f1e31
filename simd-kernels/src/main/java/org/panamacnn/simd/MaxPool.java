package org.panamacnn.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max-pooling over k×k windows with a stride (no padding) on a stack of planes, recording
 * each window's arg-max, and the backward pass that routes the gradient to those arg-maxes.
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
     * y[p, i, j] = max over x[p, i·s .. i·s+k, j·s .. j·s+k]; argmax gets the index of that
     * maximum relative to xOff (the first one in row-major window order on ties).
     * Writes y and argmax.
     */
    public static void forward(int planes, int h, int w, int k, int stride,
                               float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        Checks.nonNegative("planes", planes);
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

    /**
     * The common 2×2, stride-2 case, L outputs at a time: each input row segment is split into
     * its even and odd lanes, the larger of each pair is taken in the top and in the bottom row,
     * then the larger of top and bottom. Comparing with strict > in that order keeps the first
     * maximum in row-major window order, as the general path does. The row tail uses masks.
     */
    private static void forward2x2(int planes, int h, int w, int oh, int ow,
                                   float[] x, int xOff, float[] y, int yOff, int[] argmax, int argOff) {
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int i = 0; i < oh; i++, o += ow) {
                int r0 = plane + 2 * i * w;
                int j = 0;
                for (; j <= ow - L; j += L) {
                    pool2x2(x, xOff, w, r0 + 2 * j, F.maskAll(true), F.maskAll(true), F.maskAll(true),
                            y, yOff + o + j, argmax, argOff + o + j);
                }
                if (j < ow) {
                    int rest = ow - j;
                    pool2x2(x, xOff, w, r0 + 2 * j, F.indexInRange(0, 2 * rest), F.indexInRange(L, 2 * rest),
                            F.indexInRange(0, rest), y, yOff + o + j, argmax, argOff + o + j);
                }
            }
        }
    }

    /** L (or, under the masks, fewer) 2×2 windows whose top-left corners start at x[xOff + first]. */
    private static void pool2x2(float[] x, int xOff, int w, int first, VectorMask<Float> lo, VectorMask<Float> hi,
                                VectorMask<Float> out, float[] y, int yAt, int[] argmax, int argAt) {
        int top = xOff + first, bottom = top + w;
        FloatVector t0 = FloatVector.fromArray(F, x, top, lo), t1 = FloatVector.fromArray(F, x, top + L, hi);
        FloatVector b0 = FloatVector.fromArray(F, x, bottom, lo), b1 = FloatVector.fromArray(F, x, bottom + L, hi);
        FloatVector tEven = t0.rearrange(EVEN, t1), tOdd = t0.rearrange(ODD, t1);
        FloatVector bEven = b0.rearrange(EVEN, b1), bOdd = b0.rearrange(ODD, b1);
        VectorMask<Float> topRight = tOdd.compare(VectorOperators.GT, tEven);
        VectorMask<Float> bottomRight = bOdd.compare(VectorOperators.GT, bEven);
        FloatVector topMax = tEven.blend(tOdd, topRight);
        FloatVector bottomMax = bEven.blend(bOdd, bottomRight);
        VectorMask<Float> lower = bottomMax.compare(VectorOperators.GT, topMax);
        topMax.blend(bottomMax, lower).intoArray(y, yAt, out);
        IntVector corner = TWO_IOTA.add(first);
        IntVector topAt = corner.add(1, topRight.cast(I));
        IntVector bottomAt = corner.add(w).add(1, bottomRight.cast(I));
        topAt.blend(bottomAt, lower.cast(I)).intoArray(argmax, argAt, out.cast(I));
    }

    /**
     * dx = 0, then dx[argmax[o]] += dy[o] for every output o (overlapping windows add up).
     * Writes dx[0 .. planes·h·w).
     */
    public static void backward(int planes, int h, int w, int k, int stride,
                                float[] dy, int dyOff, int[] argmax, int argOff, float[] dx, int dxOff) {
        Checks.nonNegative("planes", planes);
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
