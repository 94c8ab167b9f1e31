package org.panamacnn.simd;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im for one image, any kernel size, stride and padding.
 *
 * <p>Column matrix layout: rows (c, u, v) — channel-major, then kernel row, then kernel column —
 * and columns (i, j) over the output plane, so cols[(c,u,v), (i,j)] = x[c, i·s+u−p, j·s+v−p]
 * (zero outside the image). Convolution is then W[cout, cin·kh·kw] · cols. col2im adds a
 * same-padded stride-1 plane with vectors ({@link VectorIm2Col}) when {@link KernelProvider} chose
 * them, else row by row, in the same order.
 */
public final class Im2Col {
    private static final int L = KernelProvider.LANES;

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
        im2col(x, xOff, c, h, w, kh, kw, stride, pad, cols, colsOff, planeOf(h, w, kh, kw, stride, pad));
    }

    /**
     * As above with row r of the column matrix starting at colsOff + r·ldCols (ldCols ≥ oh·ow), so
     * the columns of several images can sit side by side in one [c·kh·kw, images·oh·ow] matrix.
     * Writes only the c·kh·kw row segments of length oh·ow.
     */
    public static void im2col(float[] x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                              float[] cols, int colsOff, int ldCols) {
        checkArrays(x, xOff, c, h, w, kh, kw, stride, pad, cols, colsOff, ldCols);
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            int xPlane = xOff + ci * h * w;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, row++) {
                    int dst = colsOff + row * ldCols;
                    if (stride == 1 && ow == w) {
                        shiftedPlane(x, xPlane, h, w, oh, u - pad, v - pad, cols, dst);
                    } else {
                        strided(x, xPlane, h, w, oh, ow, stride, u - pad, v - pad, cols, dst);
                    }
                }
            }
        }
    }

    /**
     * One row of the column matrix for stride 1 and an output as wide as the input ("same"
     * padding): it is the plane shifted by dy·w + dx, so one bulk copy moves every pixel, and
     * only the |dx| wrapped columns per row and the |dy| rows off the image are zeroed after.
     * (Copying row by row would cost one call per 14-pixel row on a 14×14 plane.)
     */
    private static void shiftedPlane(float[] x, int xPlane, int h, int w, int oh, int dy, int dx,
                                     float[] cols, int dst) {
        int plane = oh * w;
        int iLo = Math.max(0, -dy), iHi = Math.min(oh, h - dy);
        int jLo = Math.max(0, -dx), jHi = Math.min(w, w - dx);
        if (iLo >= iHi || jLo >= jHi) {
            Arrays.fill(cols, dst, dst + plane, 0f);
            return;
        }
        // First and last in-image entries: the copy never reads outside this channel's plane.
        int from = iLo * w + jLo, to = (iHi - 1) * w + jHi;
        System.arraycopy(x, xPlane + from + dy * w + dx, cols, dst + from, to - from);
        Arrays.fill(cols, dst, dst + iLo * w, 0f);
        for (int i = iLo; i < iHi; i++) {
            int r = dst + i * w;
            for (int j = 0; j < jLo; j++) cols[r + j] = 0f;
            for (int j = jHi; j < w; j++) cols[r + j] = 0f;
        }
        Arrays.fill(cols, dst + iHi * w, dst + plane, 0f);
    }

    /** One row of the column matrix, output row by output row: any stride, any padding. */
    private static void strided(float[] x, int xPlane, int h, int w, int oh, int ow, int stride, int dy, int dx,
                                float[] cols, int dst0) {
        int jLo = firstInside(dx, stride);
        int jHi = Math.min(ow, lastInsideExclusive(dx, stride, w));
        for (int i = 0; i < oh; i++) {
            int dst = dst0 + i * ow;
            int y = i * stride + dy;
            if (y < 0 || y >= h || jLo >= jHi) {
                Arrays.fill(cols, dst, dst + ow, 0f);
                continue;
            }
            Arrays.fill(cols, dst, dst + jLo, 0f);
            int src = xPlane + y * w + dx;
            if (stride == 1) {
                System.arraycopy(x, src + jLo, cols, dst + jLo, jHi - jLo);
            } else {
                for (int j = jLo; j < jHi; j++) cols[dst + j] = x[src + j * stride];
            }
            Arrays.fill(cols, dst + jHi, dst + ow, 0f);
        }
    }

    /**
     * Writes the image x[c, h, w] as the adjoint of im2col: every column entry is added to the
     * pixel it was copied from (overlapping windows add up); pixels no window reads are zero.
     */
    public static void col2im(float[] cols, int colsOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                              float[] x, int xOff) {
        col2im(cols, colsOff, planeOf(h, w, kh, kw, stride, pad), c, h, w, kh, kw, stride, pad, x, xOff);
    }

    /** As above, reading row r of the column matrix from colsOff + r·ldCols (ldCols ≥ oh·ow). */
    public static void col2im(float[] cols, int colsOff, int ldCols, int c, int h, int w, int kh, int kw,
                              int stride, int pad, float[] x, int xOff) {
        checkArrays(x, xOff, c, h, w, kh, kw, stride, pad, cols, colsOff, ldCols);
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        Arrays.fill(x, xOff, xOff + c * h * w, 0f);
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            int xPlane = xOff + ci * h * w;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, row++) {
                    if (KernelProvider.VECTORIZED && stride == 1 && ow == w && 2 * w >= L) {
                        VectorIm2Col.addShiftedPlane(cols, colsOff + row * ldCols, oh, h, w, u - pad, v - pad, x, xPlane);
                        continue;
                    }
                    int jLo = firstInside(v - pad, stride);
                    int jHi = Math.min(ow, lastInsideExclusive(v - pad, stride, w));
                    if (jLo >= jHi) continue;
                    for (int i = 0; i < oh; i++) {
                        int y = i * stride + u - pad;
                        if (y < 0 || y >= h) continue;
                        int src = colsOff + row * ldCols + i * ow;
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

    /** oh·ow, the columns of one image's column matrix. */
    private static int planeOf(int h, int w, int kh, int kw, int stride, int pad) {
        return outSize(h, kh, stride, pad) * outSize(w, kw, stride, pad);
    }

    /** The image x[c, h, w] and its column matrix (c·kh·kw rows of oh·ow, ldCols apart) must both fit their arrays. */
    private static void checkArrays(float[] x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
                                    float[] cols, int colsOff, int ldCols) {
        Checks.nonNegative("c", c);
        long plane = planeOf(h, w, kh, kw, stride, pad);
        if (ldCols < plane) {
            throw new IllegalArgumentException("ldCols " + ldCols + " is less than one image's columns (oh·ow = " + plane + ")");
        }
        long rows = (long) c * kh * kw;
        Checks.range("x", x, xOff, (long) c * h * w);
        Checks.range("cols", cols, colsOff, rows == 0 ? 0 : (rows - 1) * ldCols + plane);
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
