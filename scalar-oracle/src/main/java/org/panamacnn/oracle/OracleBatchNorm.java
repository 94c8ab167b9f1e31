package org.panamacnn.oracle;

/**
 * Batch normalisation over NCHW, per channel c, with M = n·h·w values each (PyTorch's BatchNorm2d):
 * <pre>
 * training:  μ = (1/M) Σ x,  σ² = (1/M) Σ (x − μ)²,  x̂ = (x − μ) / √(σ² + ε),  y = γ·x̂ + β
 *            running_mean ← (1 − m)·running_mean + m·μ,  running_var ← (1 − m)·running_var + m·σ²·M/(M − 1)
 * evaluation: y = γ·(x − running_mean) / √(running_var + ε) + β
 * backward (training): δβ = Σ δy,  δγ = Σ δy·x̂,  δx = γ / √(σ² + ε) · (δy − δβ/M − x̂·δγ/M)
 * </pre>
 */
public final class OracleBatchNorm {
    private OracleBatchNorm() {
    }

    /** Per-channel batch mean and biased variance: {mean[c]..., var[c]...}. */
    public static double[][] stats(double[] x, int n, int c, int h, int w) {
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));
        double[] mean = new double[c], var = new double[c];
        int plane = h * w, m = n * plane;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) for (int p = 0; p < plane; p++) s += x[(i * c + ch) * plane + p];
            mean[ch] = s / m;
            double q = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    double d = x[(i * c + ch) * plane + p] - mean[ch];
                    q += d * d;
                }
            }
            var[ch] = q / m;
        }
        return new double[][] {mean, var};
    }

    /** y = γ·(x − mean)/√(var + ε) + β with the given per-channel mean and variance. */
    public static double[] normalize(double[] x, int n, int c, int h, int w, double[] mean, double[] var,
                                     double[] gamma, double[] beta, double eps) {
        double[] y = new double[x.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double inv = 1 / Math.sqrt(var[ch] + eps);
                for (int p = 0; p < plane; p++) {
                    int at = (i * c + ch) * plane + p;
                    y[at] = gamma[ch] * (x[at] - mean[ch]) * inv + beta[ch];
                }
            }
        }
        return y;
    }

    /** Training-mode backward: {δx, δγ, δβ}. */
    public static double[][] backward(double[] gradOut, double[] x, int n, int c, int h, int w, double[] gamma, double eps) {
        double[][] st = stats(x, n, c, h, w);
        int plane = h * w, m = n * plane;
        double[] dx = new double[x.length], dgamma = new double[c], dbeta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double inv = 1 / Math.sqrt(st[1][ch] + eps);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int at = (i * c + ch) * plane + p;
                    dbeta[ch] += gradOut[at];
                    dgamma[ch] += gradOut[at] * (x[at] - st[0][ch]) * inv;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int at = (i * c + ch) * plane + p;
                    double xhat = (x[at] - st[0][ch]) * inv;
                    dx[at] = gamma[ch] * inv * (gradOut[at] - dbeta[ch] / m - xhat * dgamma[ch] / m);
                }
            }
        }
        return new double[][] {dx, dgamma, dbeta};
    }
}
