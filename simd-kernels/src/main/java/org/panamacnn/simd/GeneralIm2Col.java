package org.panamacnn.simd;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im for one image [c, h, w] and any {@link ConvGeometry}: rectangular
 * kernels and strides, dilation, and a different padding on each side.
 *
 * <p>Column matrix layout, as {@link Im2Col}'s: rows (c, u, v) — channel-major, then kernel row,
 * then kernel column — and columns (i, j) over the output plane, so
 * cols[(c,u,v), (i,j)] = x[c, i·sh + u·dh − top, j·sw + v·dw − left] (zero outside the image).
 * Each row of the matrix is copied output row by output row: one bulk copy per row when the
 * column stride is 1, and zeros written only where the window leaves the image.
 */
public final class GeneralIm2Col {
    private GeneralIm2Col() {}

    /**
     * Writes the c·kh·kw rows of the column matrix, row r at cols[colsOff + r·ldCols ..] (oh·ow
     * values; ldCols ≥ oh·ow, so several images' columns can sit side by side), from image x[c, h, w].
     */
    public static void im2col(ConvGeometry g, float[] x, int xOff, int c, int h, int w, float[] cols, int colsOff, int ldCols) {
        int oh = g.outHeight(h), ow = g.outWidth(w);
        checkArrays(g, x, xOff, c, h, w, oh, ow, cols, colsOff, ldCols);
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            int xPlane = xOff + ci * h * w;
            for (int u = 0; u < g.kh(); u++) {
                int dy = u * g.dh() - g.top();
                for (int v = 0; v < g.kw(); v++, row++) {
                    int dx = v * g.dw() - g.left();
                    int jLo = firstInside(dx, g.sw()), jHi = Math.min(ow, lastInsideExclusive(dx, g.sw(), w));
                    int dst0 = colsOff + row * ldCols;
                    for (int i = 0; i < oh; i++) {
                        int dst = dst0 + i * ow, y = i * g.sh() + dy;
                        if (y < 0 || y >= h || jLo >= jHi) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        Arrays.fill(cols, dst, dst + jLo, 0f);
                        int src = xPlane + y * w + dx;
                        if (g.sw() == 1) {
                            System.arraycopy(x, src + jLo, cols, dst + jLo, jHi - jLo);
                        } else {
                            for (int j = jLo; j < jHi; j++) cols[dst + j] = x[src + j * g.sw()];
                        }
                        Arrays.fill(cols, dst + jHi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /**
     * Writes the image x[c, h, w] as the adjoint of {@link #im2col}: every column entry is added to
     * the pixel it was copied from (overlapping windows add up, in row order of the matrix);
     * pixels no window reads are zero.
     */
    public static void col2im(ConvGeometry g, float[] cols, int colsOff, int ldCols, int c, int h, int w, float[] x, int xOff) {
        int oh = g.outHeight(h), ow = g.outWidth(w);
        checkArrays(g, x, xOff, c, h, w, oh, ow, cols, colsOff, ldCols);
        Arrays.fill(x, xOff, xOff + c * h * w, 0f);
        int row = 0;
        for (int ci = 0; ci < c; ci++) {
            int xPlane = xOff + ci * h * w;
            for (int u = 0; u < g.kh(); u++) {
                int dy = u * g.dh() - g.top();
                for (int v = 0; v < g.kw(); v++, row++) {
                    int dx = v * g.dw() - g.left();
                    int jLo = firstInside(dx, g.sw()), jHi = Math.min(ow, lastInsideExclusive(dx, g.sw(), w));
                    if (jLo >= jHi) continue;
                    for (int i = 0; i < oh; i++) {
                        int y = i * g.sh() + dy;
                        if (y < 0 || y >= h) continue;
                        int src = colsOff + row * ldCols + i * ow, dst = xPlane + y * w + dx;
                        if (g.sw() == 1) {
                            Blas1.addUnchecked(jHi - jLo, cols, src + jLo, x, dst + jLo);
                        } else {
                            for (int j = jLo; j < jHi; j++) x[dst + j * g.sw()] += cols[src + j];
                        }
                    }
                }
            }
        }
    }

    /** The image x[c, h, w] and its column matrix (c·kh·kw rows of oh·ow, ldCols apart) must both fit their arrays. */
    private static void checkArrays(ConvGeometry g, float[] x, int xOff, int c, int h, int w, int oh, int ow,
                                    float[] cols, int colsOff, int ldCols) {
        Checks.nonNegative("c", c);
        long plane = (long) oh * ow;
        if (ldCols < plane) throw new IllegalArgumentException("ldCols " + ldCols + " is less than one image's columns (oh·ow = " + plane + ")");
        long rows = (long) c * g.kh() * g.kw();
        Checks.range("x", x, xOff, (long) c * h * w);
        Checks.range("cols", cols, colsOff, rows == 0 ? 0 : (rows - 1) * ldCols + plane);
    }

    /** Smallest j ≥ 0 with j·stride + shift ≥ 0. */
    private static int firstInside(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** Smallest j with j·stride + shift ≥ w (so [first, this) are the in-image output columns). */
    private static int lastInsideExclusive(int shift, int stride, int w) {
        int limit = w - shift;
        return limit <= 0 ? 0 : (limit + stride - 1) / stride;
    }
}
