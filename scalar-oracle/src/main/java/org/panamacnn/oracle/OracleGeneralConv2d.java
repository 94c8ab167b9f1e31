package org.panamacnn.oracle;

/**
 * The general 2-D convolution, NCHW, straight from the formulas (no im2col): kernel kh×kw, stride
 * sh×sw, dilation dh×dw, zero padding top, left, bottom, right. A window is the ten ints
 * {kh, kw, sh, sw, dh, dw, top, left, bottom, right}.
 *
 * <pre>
 * row(i, u) = i·sh + u·dh − top,   col(j, v) = j·sw + v·dw − left
 * forward:     z[n,c,i,j]     = b[c] + Σ_{c',u,v} W[c,c',u,v]·x[n,c',row(i,u),col(j,v)]
 * gradWeight:  δW[c,c',u,v]   = Σ_{n,i,j} δZ[n,c,i,j]·x[n,c',row(i,u),col(j,v)]
 * gradBias:    δb[c]          = Σ_{n,i,j} δZ[n,c,i,j]
 * gradInput:   δx[n,c',y,x]   = Σ_{c,u,v,i,j: row(i,u)=y, col(j,v)=x} W[c,c',u,v]·δZ[n,c,i,j]
 * im2col:      cols[(c',u,v),(i,j)] = x[c',row(i,u),col(j,v)]
 * </pre>
 * x outside the image is zero; oh = (h + top + bottom − (kh − 1)·dh − 1) / sh + 1, likewise ow.
 */
public final class OracleGeneralConv2d {
    private OracleGeneralConv2d() {
    }

    /** Output rows of an input of h rows under window g. */
    public static int outHeight(int h, int[] g) {
        return out(h, g[0], g[2], g[4], g[6], g[8]);
    }

    /** Output columns of an input of w columns under window g. */
    public static int outWidth(int w, int[] g) {
        return out(w, g[1], g[3], g[5], g[7], g[9]);
    }

    private static int out(int in, int k, int s, int d, int before, int after) {
        Checks.positive("in", in);
        Checks.positive("k", k);
        Checks.positive("stride", s);
        Checks.positive("dilation", d);
        Checks.nonNegative("pad", before);
        Checks.nonNegative("pad", after);
        long o = Math.floorDiv((long) in + before + after - (long) (k - 1) * d - 1, s) + 1;
        if (o < 1) throw new IllegalArgumentException("output size must be >= 1, got " + o);
        return (int) o;
    }

    /** x [n,cin,h,w], weight [cout,cin,kh,kw], bias [cout] or null → z [n,cout,oh,ow]. */
    public static double[] forward(double[] x, int n, int cin, int h, int w, double[] weight, int cout, double[] bias, int[] g) {
        int oh = outHeight(h, g), ow = outWidth(w, g), kh = g[0], kw = g[1];
        Checks.length("x", "[n,cin,h,w]", x, Checks.size(n, cin, h, w));
        Checks.length("weight", "[cout,cin,kh,kw]", weight, Checks.size(cout, cin, kh, kw));
        double[] z = new double[Checks.size(n, cout, oh, ow)];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < cout; c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias == null ? 0.0 : bias[c];
                        for (int c2 = 0; c2 < cin; c2++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int y = i * g[2] + u * g[4] - g[6], xx = j * g[3] + v * g[5] - g[7];
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue; // zero padding
                                    sum += weight[((c * cin + c2) * kh + u) * kw + v] * x[((b * cin + c2) * h + y) * w + xx];
                                }
                            }
                        }
                        z[((b * cout + c) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return z;
    }

    /** δW [cout,cin,kh,kw] from x [n,cin,h,w] and δZ [n,cout,oh,ow]. */
    public static double[] gradWeight(double[] x, int n, int cin, int h, int w, double[] gradOut, int cout, int[] g) {
        int oh = outHeight(h, g), ow = outWidth(w, g), kh = g[0], kw = g[1];
        Checks.length("gradOut", "[n,cout,oh,ow]", gradOut, Checks.size(n, cout, oh, ow));
        double[] dw = new double[Checks.size(cout, cin, kh, kw)];
        for (int c = 0; c < cout; c++) {
            for (int c2 = 0; c2 < cin; c2++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        double sum = 0.0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    int y = i * g[2] + u * g[4] - g[6], xx = j * g[3] + v * g[5] - g[7];
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                    sum += gradOut[((b * cout + c) * oh + i) * ow + j] * x[((b * cin + c2) * h + y) * w + xx];
                                }
                            }
                        }
                        dw[((c * cin + c2) * kh + u) * kw + v] = sum;
                    }
                }
            }
        }
        return dw;
    }

    /** δb [cout] = Σ over batch and plane of δZ [n,cout,oh,ow]. */
    public static double[] gradBias(double[] gradOut, int n, int cout, int plane) {
        Checks.length("gradOut", "[n,cout,oh,ow]", gradOut, Checks.size(n, cout, plane));
        double[] db = new double[cout];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < cout; c++) {
                for (int q = 0; q < plane; q++) db[c] += gradOut[(b * cout + c) * plane + q];
            }
        }
        return db;
    }

    /** δx [n,cin,h,w]: each δZ term scattered through the weight back to the pixels its window read. */
    public static double[] gradInput(double[] gradOut, int n, int cin, int h, int w, double[] weight, int cout, int[] g) {
        int oh = outHeight(h, g), ow = outWidth(w, g), kh = g[0], kw = g[1];
        Checks.length("gradOut", "[n,cout,oh,ow]", gradOut, Checks.size(n, cout, oh, ow));
        double[] dx = new double[Checks.size(n, cin, h, w)];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < cout; c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double d = gradOut[((b * cout + c) * oh + i) * ow + j];
                        for (int c2 = 0; c2 < cin; c2++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int y = i * g[2] + u * g[4] - g[6], xx = j * g[3] + v * g[5] - g[7];
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue; // a padding entry has no source pixel
                                    dx[((b * cin + c2) * h + y) * w + xx] += weight[((c * cin + c2) * kh + u) * kw + v] * d;
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** One image x [c,h,w] → cols [c·kh·kw, oh·ow]. */
    public static double[] im2col(double[] x, int c, int h, int w, int[] g) {
        int oh = outHeight(h, g), ow = outWidth(w, g), kh = g[0], kw = g[1];
        Checks.length("x", "[c,h,w]", x, Checks.size(c, h, w));
        double[] cols = new double[Checks.size(c, kh, kw, oh, ow)];
        for (int c2 = 0; c2 < c; c2++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int r = (c2 * kh + u) * kw + v;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int y = i * g[2] + u * g[4] - g[6], xx = j * g[3] + v * g[5] - g[7];
                            boolean inside = y >= 0 && y < h && xx >= 0 && xx < w;
                            cols[r * oh * ow + i * ow + j] = inside ? x[(c2 * h + y) * w + xx] : 0.0;
                        }
                    }
                }
            }
        }
        return cols;
    }

    /** The adjoint of {@link #im2col}: cols [c·kh·kw, oh·ow] → x [c,h,w]. */
    public static double[] col2im(double[] cols, int c, int h, int w, int[] g) {
        int oh = outHeight(h, g), ow = outWidth(w, g), kh = g[0], kw = g[1];
        Checks.length("cols", "[c*kh*kw,oh*ow]", cols, Checks.size(c, kh, kw, oh, ow));
        double[] x = new double[Checks.size(c, h, w)];
        for (int c2 = 0; c2 < c; c2++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int r = (c2 * kh + u) * kw + v;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int y = i * g[2] + u * g[4] - g[6], xx = j * g[3] + v * g[5] - g[7];
                            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                            x[(c2 * h + y) * w + xx] += cols[r * oh * ow + i * ow + j];
                        }
                    }
                }
            }
        }
        return x;
    }
}
