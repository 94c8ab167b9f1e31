package org.panamacnn.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct stride-1 convolution forward of one image, for layers with few input channels (an
 * image's 1 or 3 channels); its weight gradient is {@link VectorConvWeightGradient}. There im2col + GEMM is memory-bound: the GEMM's K is cin·k·k = 9 or 27, so every
 * C tile costs a load and a store for 9 FMAs, after a lowering pass and a packing pass that copy
 * the image nine times over. Here each output vector (L pixels of a row) is accumulated in a
 * register from cin·k·k shifted input vectors, for {@link #BLOCK} output channels at once, so
 * the shifted vectors are loaded once for all of them.
 *
 * <p>The input is first copied into a zero-bordered work plane per channel, {@code pad} zeros on
 * every side and L floats of slack on the right, so the inner loops need no bounds tests and a
 * row's last vector may overrun it. Output rows narrower than L are computed one pixel at a time.
 * Summation order is fixed (bias, then channel, kernel row, kernel column), so results do not
 * depend on threads.
 */
final class VectorDirectConv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Output channels per pass: 4 accumulators plus the shifted input vector and a broadcast weight. */
    static final int BLOCK = 4;

    private VectorDirectConv() {}

    /** Floats of work plane {@link #forward} needs for c channels of h×w. */
    public static int workLength(int c, int h, int w, int pad) {
        return c * (h + 2 * pad) * paddedWidth(w, pad);
    }

    private static int paddedWidth(int w, int pad) {
        return w + 2 * pad + L;
    }

    /**
     * y[co] = bias[co] + Σ_{ci,u,v} weight[co, ci, u, v] · x[ci, i+u−pad, j+v−pad] for the k×k,
     * stride-1 convolution of one image x[cin, h, w]; bias may be null (none); with relu, y =
     * max(y, 0). weight is [cout, cin, k, k]. Writes y[cout, oh, ow] and the work plane.
     */
    public static void forward(float[] x, int xOff, int cin, int h, int w, int k, int pad,
                               float[] weight, int wOff, int cout, float[] bias, int biasOff, boolean relu,
                               float[] y, int yOff, float[] work) {
        int oh = Im2Col.outSize(h, k, 1, pad), ow = Im2Col.outSize(w, k, 1, pad);
        checkArrays(x, xOff, cin, h, w, k, pad, work);
        Checks.range("weight", weight, wOff, (long) cout * cin * k * k);
        if (bias != null) Checks.range("bias", bias, biasOff, cout);
        Checks.range("y", y, yOff, (long) cout * oh * ow);
        padInto(x, xOff, cin, h, w, pad, work);
        int ph = h + 2 * pad, pw = paddedWidth(w, pad), taps = cin * k * k;
        int co = 0;
        if (ow >= L) {
            for (; co + BLOCK <= cout; co += BLOCK) {
                forwardBlock(work, cin, ph, pw, k, weight, wOff + co * taps, taps, bias, biasOff + co, bias != null,
                        relu, y, yOff + co * oh * ow, oh, ow);
            }
            for (; co < cout; co++) {
                forwardOne(work, cin, ph, pw, k, weight, wOff + co * taps, bias == null ? 0f : bias[biasOff + co],
                        relu, y, yOff + co * oh * ow, oh, ow);
            }
        } else {
            for (; co < cout; co++) {
                forwardScalar(work, cin, ph, pw, k, weight, wOff + co * taps, bias == null ? 0f : bias[biasOff + co],
                        relu, y, yOff + co * oh * ow, oh, ow);
            }
        }
    }

    /** BLOCK output channels; a row's last vector starts at ow − L, overlapping the one before (same values). */
    private static void forwardBlock(float[] work, int cin, int ph, int pw, int k, float[] weight, int w0, int taps,
                                     float[] bias, int b0, boolean hasBias, boolean relu,
                                     float[] y, int y0, int oh, int ow) {
        int plane = oh * ow;
        float bias0 = hasBias ? bias[b0] : 0f, bias1 = hasBias ? bias[b0 + 1] : 0f;
        float bias2 = hasBias ? bias[b0 + 2] : 0f, bias3 = hasBias ? bias[b0 + 3] : 0f;
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j += L) {
                int x0 = Math.min(j, ow - L);
                FloatVector a0 = FloatVector.broadcast(F, bias0), a1 = FloatVector.broadcast(F, bias1);
                FloatVector a2 = FloatVector.broadcast(F, bias2), a3 = FloatVector.broadcast(F, bias3);
                int t = w0;
                for (int ci = 0; ci < cin; ci++) {
                    for (int u = 0; u < k; u++) {
                        int row = (ci * ph + i + u) * pw + x0;
                        for (int v = 0; v < k; v++, t++) {
                            FloatVector in = FloatVector.fromArray(F, work, row + v);
                            a0 = in.fma(FloatVector.broadcast(F, weight[t]), a0);
                            a1 = in.fma(FloatVector.broadcast(F, weight[t + taps]), a1);
                            a2 = in.fma(FloatVector.broadcast(F, weight[t + 2 * taps]), a2);
                            a3 = in.fma(FloatVector.broadcast(F, weight[t + 3 * taps]), a3);
                        }
                    }
                }
                int at = y0 + i * ow + x0;
                (relu ? a0.max(0f) : a0).intoArray(y, at);
                (relu ? a1.max(0f) : a1).intoArray(y, at + plane);
                (relu ? a2.max(0f) : a2).intoArray(y, at + 2 * plane);
                (relu ? a3.max(0f) : a3).intoArray(y, at + 3 * plane);
            }
        }
    }

    private static void forwardOne(float[] work, int cin, int ph, int pw, int k, float[] weight, int w0, float bias,
                                   boolean relu, float[] y, int y0, int oh, int ow) {
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j += L) {
                int x0 = Math.min(j, ow - L);
                FloatVector a = FloatVector.broadcast(F, bias);
                int t = w0;
                for (int ci = 0; ci < cin; ci++) {
                    for (int u = 0; u < k; u++) {
                        int row = (ci * ph + i + u) * pw + x0;
                        for (int v = 0; v < k; v++, t++) {
                            a = FloatVector.fromArray(F, work, row + v).fma(FloatVector.broadcast(F, weight[t]), a);
                        }
                    }
                }
                (relu ? a.max(0f) : a).intoArray(y, y0 + i * ow + x0); // no helper: a vector argument may box (package-info)
            }
        }
    }

    private static void forwardScalar(float[] work, int cin, int ph, int pw, int k, float[] weight, int w0, float bias,
                                      boolean relu, float[] y, int y0, int oh, int ow) {
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                float a = bias;
                int t = w0;
                for (int ci = 0; ci < cin; ci++) {
                    for (int u = 0; u < k; u++) {
                        int row = (ci * ph + i + u) * pw + j;
                        for (int v = 0; v < k; v++, t++) a = Math.fma(work[row + v], weight[t], a);
                    }
                }
                y[y0 + i * ow + j] = relu ? Math.max(a, 0f) : a;
            }
        }
    }

    /** Copies x[c, h, w] into the work plane with pad zeros around every channel and zero slack on the right. */
    private static void padInto(float[] x, int xOff, int c, int h, int w, int pad, float[] work) {
        int ph = h + 2 * pad, pw = paddedWidth(w, pad);
        Arrays.fill(work, 0, c * ph * pw, 0f);
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, xOff + (ci * h + i) * w, work, (ci * ph + i + pad) * pw + pad, w);
            }
        }
    }

    private static void checkArrays(float[] x, int xOff, int cin, int h, int w, int k, int pad, float[] work) {
        Checks.positive("cin", cin);
        Checks.range("x", x, xOff, (long) cin * h * w);
        Checks.range("work", work, 0, workLength(cin, h, w, pad));
    }
}
