package org.panamacnn.oracle;

/**
 * PyTorch's ConvTranspose2d(cin, cout, k, stride s, padding p, output_padding op), NCHW, from its
 * definition: every input pixel scatters its kernel-weighted copy into the output,
 * <pre>
 * oh = (h − 1)·s − 2p + k + op
 * y[n, co, i·s − p + u, j·s − p + v] += x[n, ci, i, j]·W[ci, co, u, v]   (where inside the output), then + b[co]
 * δx[n, ci, i, j] = Σ_{co, u, v} δy[n, co, i·s − p + u, j·s − p + v]·W[ci, co, u, v]
 * δW[ci, co, u, v] = Σ_{n, i, j} x[n, ci, i, j]·δy[n, co, i·s − p + u, j·s − p + v];   δb[co] = Σ δy[n, co, ·, ·]
 * </pre>
 * Weight [cin, cout, k, k] (PyTorch's layout). Double accumulators, direct loops.
 */
public final class OracleConvTranspose2d {
    private OracleConvTranspose2d() {
    }

    public static int outSize(int in, int k, int stride, int pad, int outputPad) {
        return (in - 1) * stride - 2 * pad + k + outputPad;
    }

    /** y [n, cout, oh, ow]. */
    public static double[] forward(double[] x, int n, int cin, int h, int w, double[] wt, double[] b, int cout, int k,
                                   int s, int p, int op) {
        Checks.length("x", "[n,cin,h,w]", x, Checks.size(n, cin, h, w));
        Checks.length("W", "[cin,cout,k,k]", wt, Checks.size(cin, cout, k, k));
        int oh = outSize(h, k, s, p, op), ow = outSize(w, k, s, p, op);
        Checks.positive("output height", oh);
        Checks.positive("output width", ow);
        double[] y = new double[n * cout * oh * ow];
        for (int b0 = 0; b0 < n; b0++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double xv = x[((b0 * cin + ci) * h + i) * w + j];
                        for (int co = 0; co < cout; co++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int y0 = i * s - p + u, x0 = j * s - p + v;
                                    if (y0 < 0 || y0 >= oh || x0 < 0 || x0 >= ow) continue;
                                    y[((b0 * cout + co) * oh + y0) * ow + x0] += xv * wt[((ci * cout + co) * k + u) * k + v];
                                }
                            }
                        }
                    }
                }
            }
            for (int co = 0; co < cout; co++) {
                for (int q = 0; q < oh * ow; q++) y[(b0 * cout + co) * oh * ow + q] += b == null ? 0 : b[co];
            }
        }
        return y;
    }

    /** The gradients: {δx [n, cin, h, w], δW [cin, cout, k, k], δb [cout]}. */
    public static double[][] backward(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int k, int s, int p, int op,
                                      double[] dy) {
        int oh = outSize(h, k, s, p, op), ow = outSize(w, k, s, p, op);
        Checks.length("dy", "[n,cout,oh,ow]", dy, Checks.size(n, cout, oh, ow));
        double[] dx = new double[x.length], dw = new double[wt.length], db = new double[cout];
        for (int b0 = 0; b0 < n; b0++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int xi = ((b0 * cin + ci) * h + i) * w + j;
                        for (int co = 0; co < cout; co++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int y0 = i * s - p + u, x0 = j * s - p + v;
                                    if (y0 < 0 || y0 >= oh || x0 < 0 || x0 >= ow) continue;
                                    double g = dy[((b0 * cout + co) * oh + y0) * ow + x0];
                                    int wi = ((ci * cout + co) * k + u) * k + v;
                                    dx[xi] += g * wt[wi];
                                    dw[wi] += g * x[xi];
                                }
                            }
                        }
                    }
                }
            }
            for (int co = 0; co < cout; co++) {
                for (int q = 0; q < oh * ow; q++) db[co] += dy[(b0 * cout + co) * oh * ow + q];
            }
        }
        return new double[][] {dx, dw, db};
    }
}
