package org.panamacnn.simd;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im for one image, any kernel size, stride and padding.
 *
 * <p>Column matrix layout: rows (c, u, v) — channel-major, then kernel row, then kernel column —
 * and columns (i, j) over the output plane, so cols[(c,u,v), (i,j)] = x[c, i·s+u−p, j·s+v−p]
 * (zero outside the image). Convolution is then W[cout, cin·kh·kw] · cols.
 */
public final class Im2Col {
    private Im2Col() {}

    /** Output extent along one axis: (in + 2·pad − k) / stride + 1; throws when the window does not fit. */
    public static int outSize(int in, int k, int stride, int pad) {
        Checks.positive("input size", in);
        Checks.positive("kernel size", k);
        Checks.positive("stride", stride);
        Checks.nonNegative("padding", pad);
        int span = in + 2 * pad - k;
        if (span < 0) {
            throw new IllegalArgumentException("kernel " + k + " does not fit input " + in + " with padding " + pad);
        }
        return span / stride + 1;
    }

    /** Writes cols[0 .. c·kh·kw × oh·ow) from the image x[c, h, w]. */
    public static void im2col(float[] x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                              float[] cols, int colsOff) {
        checkArrays(x, xOff, c, h, w, kh, kw, stride, pad, cols, colsOff);
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        int plane = oh * ow;
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            int xPlane = xOff + ci * h * w;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, row++) {
                    int jLo = firstInside(v - pad, stride);
                    int jHi = Math.min(ow, lastInsideExclusive(v - pad, stride, w));
                    for (int i = 0; i < oh; i++) {
                        int dst = colsOff + row * plane + i * ow;
                        int y = i * stride + u - pad;
                        if (y < 0 || y >= h || jLo >= jHi) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        Arrays.fill(cols, dst, dst + jLo, 0f);
                        int src = xPlane + y * w + v - pad;
                        if (stride == 1) {
                            System.arraycopy(x, src + jLo, cols, dst + jLo, jHi - jLo);
                        } else {
                            for (int j = jLo; j < jHi; j++) cols[dst + j] = x[src + j * stride];
                        }
                        Arrays.fill(cols, dst + jHi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /**
     * Writes the image x[c, h, w] as the adjoint of im2col: every column entry is added to the
     * pixel it was copied from (overlapping windows add up); pixels no window reads are zero.
     */
    public static void col2im(float[] cols, int colsOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                              float[] x, int xOff) {
        checkArrays(x, xOff, c, h, w, kh, kw, stride, pad, cols, colsOff);
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        Arrays.fill(x, xOff, xOff + c * h * w, 0f);
        int plane = oh * ow;
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            int xPlane = xOff + ci * h * w;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, row++) {
                    int jLo = firstInside(v - pad, stride);
                    int jHi = Math.min(ow, lastInsideExclusive(v - pad, stride, w));
                    if (jLo >= jHi) continue;
                    for (int i = 0; i < oh; i++) {
                        int y = i * stride + u - pad;
                        if (y < 0 || y >= h) continue;
                        int src = colsOff + row * plane + i * ow;
                        int dst = xPlane + y * w + v - pad;
                        if (stride == 1) {
                            Blas1.addUnchecked(jHi - jLo, cols, src + jLo, x, dst + jLo);
                        } else {
                            for (int j = jLo; j < jHi; j++) x[dst + j * stride] += cols[src + j];
                        }
                    }
                }
            }
        }
    }

    /** The image x[c, h, w] and its column matrix [c·kh·kw, oh·ow] must both fit their arrays. */
    private static void checkArrays(float[] x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                                    float[] cols, int colsOff) {
        Checks.nonNegative("c", c);
        long plane = (long) outSize(h, kh, stride, pad) * outSize(w, kw, stride, pad);
        Checks.range("x", x, xOff, (long) c * h * w);
        Checks.range("cols", cols, colsOff, (long) c * kh * kw * plane);
    }

    /** Smallest j ≥ 0 with j·stride + shift ≥ 0. */
    private static int firstInside(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** Smallest j with j·stride + shift ≥ w (so [first, this) are the in-image output columns). */
    private static int lastInsideExclusive(int shift, int stride, int w) {
        int limit = w - shift; // need j·stride < limit
        return limit <= 0 ? 0 : (limit + stride - 1) / stride;
    }
}
