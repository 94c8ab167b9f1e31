package org.panamacnn.oracle;

/**
 * Average pooling over kh×kw windows with strides sh, sw (no padding), NCHW:
 * <pre>
 * forward:  y[n,c,i,j] = (1 / (kh·kw)) Σ_{u,v} x[n,c,i·sh+u, j·sw+v]
 * backward: δx[n,c,a,b] = Σ over windows (i,j) containing (a,b) of δy[n,c,i,j] / (kh·kw)
 * </pre>
 */
public final class OracleAvgPool {
    private OracleAvgPool() {
    }

    public static double[] forward(double[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw) {
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));
        int oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1;
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int u = 0; u < kh; u++) {
                        for (int v = 0; v < kw; v++) {
                            sum += x[(p * h + i * sh + u) * w + j * sw + v];
                        }
                    }
                    y[(p * oh + i) * ow + j] = sum / (kh * kw);
                }
            }
        }
        return y;
    }

    public static double[] backward(double[] gradOut, int n, int c, int h, int w, int kh, int kw, int sh, int sw) {
        int oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1;
        Checks.length("gradOut", "[n,c,oh,ow]", gradOut, Checks.size(n, c, oh, ow));
        double[] dx = new double[n * c * h * w];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double g = gradOut[(p * oh + i) * ow + j] / (kh * kw);
                    for (int u = 0; u < kh; u++) {
                        for (int v = 0; v < kw; v++) {
                            dx[(p * h + i * sh + u) * w + j * sw + v] += g;
                        }
                    }
                }
            }
        }
        return dx;
    }
}
