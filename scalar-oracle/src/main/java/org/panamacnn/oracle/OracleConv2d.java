package org.panamacnn.oracle;

/**
 * 2-D convolution (cross-correlation, as in every CNN library), NCHW, computed directly from the
 * formulas — no im2col. Stride s and zero padding p are the same on both axes.
 *
 * <pre>
 * forward:     z[n,c,i,j]     = b[c] + Σ_{c',u,v} W[c,c',u,v]·x[n,c',i·s+u−p, j·s+v−p]
 * gradWeight:  δW[c,c',u,v]   = Σ_{n,i,j} δZ[n,c,i,j]·x[n,c',i·s+u−p, j·s+v−p]
 * gradBias:    δb[c]          = Σ_{n,i,j} δZ[n,c,i,j]
 * gradInput:   δx[n,c',x,y]   = Σ_{c,u,v} W[c,c',u,v]·δZ[n,c,(x−u+p)/s,(y−v+p)/s]
 *                               (only terms where both divisions are exact and in range)
 * </pre>
 * x outside the image is zero.
 */
public final class OracleConv2d {

    private OracleConv2d() {
    }

    /** Output size along one axis: (in + 2*pad - k) / stride + 1 (floor). Throws if it is below 1. */
    public static int outSize(int in, int k, int stride, int pad) {
        Checks.positive("in", in);
        Checks.positive("k", k);
        Checks.positive("stride", stride);
        Checks.nonNegative("pad", pad);
        long out = Math.floorDiv((long) in + 2L * pad - k, stride) + 1;
        if (out < 1) {
            throw new IllegalArgumentException("output size must be >= 1, got " + out
                    + " (in=" + in + ", k=" + k + ", stride=" + stride + ", pad=" + pad + ")");
        }
        return (int) out;
    }

    /** x [n,cin,h,w], weight [cout,cin,kh,kw], bias [cout] or null -> z [n,cout,oh,ow];
        z[n,c,i,j] = b[c] + Σ_{c',u,v} W[c,c',u,v]·x[n,c',i·s+u−p, j·s+v−p] (zero outside the image) */
    public static double[] forward(double[] x, int n, int cin, int h, int w,
                                   double[] weight, int cout, int kh, int kw, double[] bias, int stride, int pad) {
        Checks.positive("n", n);
        Checks.positive("cin", cin);
        Checks.positive("cout", cout);
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        Checks.length("x", "[n,cin,h,w]", x, Checks.size(n, cin, h, w));
        Checks.length("weight", "[cout,cin,kh,kw]", weight, Checks.size(cout, cin, kh, kw));
        if (bias != null) {
            Checks.length("bias", "[cout]", bias, cout);
        }

        double[] z = new double[Checks.size(n, cout, oh, ow)];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < cout; c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = 0.0;
                        for (int c2 = 0; c2 < cin; c2++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int row = i * stride + u - pad;
                                    int col = j * stride + v - pad;
                                    if (row < 0 || row >= h || col < 0 || col >= w) {
                                        continue; // zero padding
                                    }
                                    sum += weight[at(c, c2, u, v, cin, kh, kw)] * x[at(b, c2, row, col, cin, h, w)];
                                }
                            }
                        }
                        z[at(b, c, i, j, cout, oh, ow)] = (bias == null ? 0.0 : bias[c]) + sum;
                    }
                }
            }
        }
        return z;
    }

    /** δW[c,c',u,v] = Σ_{n,i,j} δZ[n,c,i,j]·x[n,c',i·s+u−p, j·s+v−p]  -> [cout,cin,kh,kw] */
    public static double[] gradWeight(double[] x, int n, int cin, int h, int w,
                                      double[] gradOut, int cout, int kh, int kw, int stride, int pad) {
        Checks.positive("n", n);
        Checks.positive("cin", cin);
        Checks.positive("cout", cout);
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        Checks.length("x", "[n,cin,h,w]", x, Checks.size(n, cin, h, w));
        Checks.length("gradOut", "[n,cout,oh,ow]", gradOut, Checks.size(n, cout, oh, ow));

        double[] gradW = new double[Checks.size(cout, cin, kh, kw)];
        for (int c = 0; c < cout; c++) {
            for (int c2 = 0; c2 < cin; c2++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        double sum = 0.0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    int row = i * stride + u - pad;
                                    int col = j * stride + v - pad;
                                    if (row < 0 || row >= h || col < 0 || col >= w) {
                                        continue; // padded x is zero
                                    }
                                    sum += gradOut[at(b, c, i, j, cout, oh, ow)] * x[at(b, c2, row, col, cin, h, w)];
                                }
                            }
                        }
                        gradW[at(c, c2, u, v, cin, kh, kw)] = sum;
                    }
                }
            }
        }
        return gradW;
    }

    /** δb[c] = Σ_{n,i,j} δZ[n,c,i,j] -> [cout] */
    public static double[] gradBias(double[] gradOut, int n, int cout, int oh, int ow) {
        Checks.positive("n", n);
        Checks.positive("cout", cout);
        Checks.positive("oh", oh);
        Checks.positive("ow", ow);
        Checks.length("gradOut", "[n,cout,oh,ow]", gradOut, Checks.size(n, cout, oh, ow));

        double[] gradB = new double[cout];
        for (int c = 0; c < cout; c++) {
            double sum = 0.0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        sum += gradOut[at(b, c, i, j, cout, oh, ow)];
                    }
                }
            }
            gradB[c] = sum;
        }
        return gradB;
    }

    /** δx[n,c',x,y] = Σ_{c,u,v} W[c,c',u,v]·δZ[n,c,(x−u+p)/s,(y−v+p)/s] over terms where the division is exact and in range -> [n,cin,h,w].
        A gather (full convolution with the flipped kernel), not a scatter of forward. oh, ow must be
        outSize(h, kh, stride, pad) and outSize(w, kw, stride, pad). */
    public static double[] gradInput(double[] gradOut, int n, int cout, int oh, int ow,
                                     double[] weight, int cin, int h, int w, int kh, int kw, int stride, int pad) {
        Checks.positive("n", n);
        Checks.positive("cin", cin);
        Checks.positive("cout", cout);
        int expectedOh = outSize(h, kh, stride, pad);
        int expectedOw = outSize(w, kw, stride, pad);
        if (oh != expectedOh || ow != expectedOw) {
            throw new IllegalArgumentException("output size: expected " + expectedOh + "x" + expectedOw
                    + " for h=" + h + ", w=" + w + ", kh=" + kh + ", kw=" + kw + ", stride=" + stride
                    + ", pad=" + pad + ", actual " + oh + "x" + ow);
        }
        Checks.length("gradOut", "[n,cout,oh,ow]", gradOut, Checks.size(n, cout, oh, ow));
        Checks.length("weight", "[cout,cin,kh,kw]", weight, Checks.size(cout, cin, kh, kw));

        double[] gradX = new double[Checks.size(n, cin, h, w)];
        for (int b = 0; b < n; b++) {
            for (int c2 = 0; c2 < cin; c2++) {
                for (int xr = 0; xr < h; xr++) {
                    for (int yc = 0; yc < w; yc++) {
                        double sum = 0.0;
                        for (int c = 0; c < cout; c++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int ti = xr - u + pad; // = i·s for the output row i that read x[xr] through tap u
                                    int tj = yc - v + pad;
                                    if (ti < 0 || tj < 0 || ti % stride != 0 || tj % stride != 0) {
                                        continue;
                                    }
                                    int i = ti / stride;
                                    int j = tj / stride;
                                    if (i >= oh || j >= ow) {
                                        continue;
                                    }
                                    sum += weight[at(c, c2, u, v, cin, kh, kw)] * gradOut[at(b, c, i, j, cout, oh, ow)];
                                }
                            }
                        }
                        gradX[at(b, c2, xr, yc, cin, h, w)] = sum;
                    }
                }
            }
        }
        return gradX;
    }

    /** Flat index of [i0,i1,i2,i3] in a row-major tensor of shape [*,d1,d2,d3]. */
    private static int at(int i0, int i1, int i2, int i3, int d1, int d2, int d3) {
        return ((i0 * d1 + i1) * d2 + i2) * d3 + i3;
    }
}
