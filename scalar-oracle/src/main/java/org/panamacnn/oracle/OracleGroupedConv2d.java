package org.panamacnn.oracle;

/**
 * Grouped 2-D convolution, PyTorch's Conv2d(cin, cout, k, stride s, padding p, groups G), NCHW,
 * zero padding. With cinG = cin/G, coutG = cout/G and g(co) = co / coutG:
 * <pre>
 * forward:    z[n,co,i,j]   = b[co] + Σ_{c &lt; cinG, u, v} W[co,c,u,v] · x[n, g(co)·cinG + c, i·s+u−p, j·s+v−p]
 * gradWeight: δW[co,c,u,v]  = Σ_{n,i,j} δz[n,co,i,j] · x[n, g(co)·cinG + c, i·s+u−p, j·s+v−p]
 * gradBias:   δb[co]        = Σ_{n,i,j} δz[n,co,i,j]
 * gradInput:  δx[n,ci,r,q]  = Σ_{co in group ci/cinG, u, v, i·s+u−p = r, j·s+v−p = q} W[co, ci mod cinG, u, v] · δz[n,co,i,j]
 * </pre>
 * G = 1 is the ordinary convolution, G = cin the depthwise one. b may be null (no bias).
 */
public final class OracleGroupedConv2d {

    private OracleGroupedConv2d() {
    }

    public static int outSize(int in, int k, int stride, int pad) {
        return OracleConv2d.outSize(in, k, stride, pad);
    }

    /** x[n,ci,r,q], or 0 in the padding. */
    private static double at(double[] x, int cin, int h, int w, int n, int ci, int r, int q) {
        if (r < 0 || r >= h || q < 0 || q >= w) {
            return 0.0;
        }
        return x[((n * cin + ci) * h + r) * w + q];
    }

    private static void checkGroups(int cin, int cout, int groups) {
        Checks.positive("groups", groups);
        if (cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide cin " + cin + " and cout " + cout);
        }
    }

    public static double[] forward(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int k, double[] b,
                                   int stride, int pad, int groups) {
        checkGroups(cin, cout, groups);
        int cinG = cin / groups, coutG = cout / groups;
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        Checks.length("x", "[n,cin,h,w]", x, Checks.size(n, cin, h, w));
        Checks.length("W", "[cout,cin/G,k,k]", wt, Checks.size(cout, cinG, k, k));
        double[] z = new double[Checks.size(n, cout, oh, ow)];
        for (int b0 = 0; b0 < n; b0++) {
            for (int co = 0; co < cout; co++) {
                int g = co / coutG;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0.0 : b[co];
                        for (int c = 0; c < cinG; c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    sum += wt[((co * cinG + c) * k + u) * k + v]
                                            * at(x, cin, h, w, b0, g * cinG + c, i * stride + u - pad, j * stride + v - pad);
                                }
                            }
                        }
                        z[((b0 * cout + co) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return z;
    }

    public static double[] gradWeight(double[] x, int n, int cin, int h, int w, double[] dz, int cout, int k,
                                      int stride, int pad, int groups) {
        checkGroups(cin, cout, groups);
        int cinG = cin / groups, coutG = cout / groups;
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        Checks.length("gradOut", "[n,cout,oh,ow]", dz, Checks.size(n, cout, oh, ow));
        double[] dw = new double[Checks.size(cout, cinG, k, k)];
        for (int co = 0; co < cout; co++) {
            int g = co / coutG;
            for (int c = 0; c < cinG; c++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        double sum = 0.0;
                        for (int b0 = 0; b0 < n; b0++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    sum += dz[((b0 * cout + co) * oh + i) * ow + j]
                                            * at(x, cin, h, w, b0, g * cinG + c, i * stride + u - pad, j * stride + v - pad);
                                }
                            }
                        }
                        dw[((co * cinG + c) * k + u) * k + v] = sum;
                    }
                }
            }
        }
        return dw;
    }

    public static double[] gradBias(double[] dz, int n, int cout, int oh, int ow) {
        return OracleConv2d.gradBias(dz, n, cout, oh, ow);
    }

    public static double[] gradInput(double[] dz, int n, int cout, int oh, int ow, double[] wt, int cin, int h, int w, int k,
                                     int stride, int pad, int groups) {
        checkGroups(cin, cout, groups);
        int cinG = cin / groups, coutG = cout / groups;
        Checks.length("gradOut", "[n,cout,oh,ow]", dz, Checks.size(n, cout, oh, ow));
        double[] dx = new double[Checks.size(n, cin, h, w)];
        for (int b0 = 0; b0 < n; b0++) {
            for (int co = 0; co < cout; co++) {
                int g = co / coutG;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double d = dz[((b0 * cout + co) * oh + i) * ow + j];
                        for (int c = 0; c < cinG; c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int r = i * stride + u - pad, q = j * stride + v - pad;
                                    if (r < 0 || r >= h || q < 0 || q >= w) {
                                        continue;
                                    }
                                    dx[((b0 * cin + g * cinG + c) * h + r) * w + q] += wt[((co * cinG + c) * k + u) * k + v] * d;
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
