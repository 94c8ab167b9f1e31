package org.panamacnn.oracle;

/**
 * im2col and its adjoint col2im for one image [c,h,w], kernel kh×kw, stride s, zero padding p.
 * cols has shape [c·kh·kw, oh·ow]: row r = (c'·kh + u)·kw + v, column q = i·ow + j, and
 * <pre>
 * cols[(c',u,v), (i,j)] = x[c', i·s+u−p, j·s+v−p]   (0 outside the image)
 * </pre>
 * col2im adds every entry back to the pixel it came from, so ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩.
 */
public final class OracleIm2Col {

    private OracleIm2Col() {
    }

    /** one image x [c,h,w] -> cols [c*kh*kw, oh*ow], row (c',u,v) col (i,j) = x[c', i·s+u−p, j·s+v−p] or 0 outside */
    public static double[] im2col(double[] x, int c, int h, int w, int kh, int kw, int stride, int pad) {
        Checks.positive("c", c);
        int oh = OracleConv2d.outSize(h, kh, stride, pad);
        int ow = OracleConv2d.outSize(w, kw, stride, pad);
        Checks.length("x", "[c,h,w]", x, Checks.size(c, h, w));

        double[] cols = new double[Checks.size(c, kh, kw, oh, ow)];
        for (int c2 = 0; c2 < c; c2++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int r = (c2 * kh + u) * kw + v;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int row = i * stride + u - pad;
                            int col = j * stride + v - pad;
                            boolean inside = row >= 0 && row < h && col >= 0 && col < w;
                            cols[r * (oh * ow) + i * ow + j] = inside ? x[(c2 * h + row) * w + col] : 0.0;
                        }
                    }
                }
            }
        }
        return cols;
    }

    /** adjoint of im2col: cols [c*kh*kw, oh*ow] -> x [c,h,w], each column entry added back to its source pixel */
    public static double[] col2im(double[] cols, int c, int h, int w, int kh, int kw, int stride, int pad) {
        Checks.positive("c", c);
        int oh = OracleConv2d.outSize(h, kh, stride, pad);
        int ow = OracleConv2d.outSize(w, kw, stride, pad);
        Checks.length("cols", "[c*kh*kw,oh*ow]", cols, Checks.size(c, kh, kw, oh, ow));

        double[] x = new double[Checks.size(c, h, w)];
        for (int c2 = 0; c2 < c; c2++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int r = (c2 * kh + u) * kw + v;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int row = i * stride + u - pad;
                            int col = j * stride + v - pad;
                            if (row < 0 || row >= h || col < 0 || col >= w) {
                                continue; // a padding entry has no source pixel
                            }
                            x[(c2 * h + row) * w + col] += cols[r * (oh * ow) + i * ow + j];
                        }
                    }
                }
            }
        }
        return x;
    }
}
