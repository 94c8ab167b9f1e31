package org.panamacnn.oracle;

/**
 * Normalisation with per-sample statistics over NCHW tensors, the three forms PyTorch's CNNs use:
 * <ul>
 *   <li>group norm (nn.GroupNorm(G, C)): each sample's channels cut into G groups of C/G, the
 *       statistics over a group's C/G·H·W values, affine weight and bias per channel;</li>
 *   <li>layer norm over a whole sample (nn.LayerNorm([C, H, W])): one set of C·H·W values,
 *       affine weight and bias per element [C, H, W];</li>
 *   <li>layer norm over the channels of each pixel (torchvision's ConvNeXt LayerNorm2d): a set of
 *       C values per (sample, pixel), affine weight and bias per channel.</li>
 * </ul>
 * For every set S of M values:
 * <pre>
 * μ = (1/M) Σ x,  σ² = (1/M) Σ (x − μ)²,  x̂ = (x − μ) / √(σ² + ε),  y = γ·x̂ + β
 * backward: g = γ·δy,  δx = (1/√(σ² + ε))·(g − mean_S(g) − x̂·mean_S(g·x̂)),
 *           δγ = Σ δy·x̂,  δβ = Σ δy   (summed over everything sharing the weight)
 * </pre>
 * Straight from the formula in double, one index set at a time.
 */
public final class OracleSampleNorm {
    private OracleSampleNorm() {
    }

    /** Group norm forward. */
    public static double[] groupNormForward(double[] x, int n, int c, int h, int w, int groups, double[] gamma, double[] beta, double eps) {
        return run(x, null, n, c, h, w, Form.GROUP, groups, gamma, beta, eps)[0];
    }

    /** Group norm backward: {δx, δγ, δβ}. */
    public static double[][] groupNormBackward(double[] dy, double[] x, int n, int c, int h, int w, int groups, double[] gamma, double eps) {
        return run(x, dy, n, c, h, w, Form.GROUP, groups, gamma, new double[c], eps);
    }

    /** Layer norm over [C, H, W] forward (gamma and beta of C·H·W values). */
    public static double[] layerNormForward(double[] x, int n, int c, int h, int w, double[] gamma, double[] beta, double eps) {
        return run(x, null, n, c, h, w, Form.SAMPLE, 1, gamma, beta, eps)[0];
    }

    /** Layer norm over [C, H, W] backward: {δx, δγ, δβ}. */
    public static double[][] layerNormBackward(double[] dy, double[] x, int n, int c, int h, int w, double[] gamma, double eps) {
        return run(x, dy, n, c, h, w, Form.SAMPLE, 1, gamma, new double[c * h * w], eps);
    }

    /** Layer norm over each pixel's channels forward. */
    public static double[] layerNorm2dForward(double[] x, int n, int c, int h, int w, double[] gamma, double[] beta, double eps) {
        return run(x, null, n, c, h, w, Form.PIXEL, 1, gamma, beta, eps)[0];
    }

    /** Layer norm over each pixel's channels backward: {δx, δγ, δβ}. */
    public static double[][] layerNorm2dBackward(double[] dy, double[] x, int n, int c, int h, int w, double[] gamma, double eps) {
        return run(x, dy, n, c, h, w, Form.PIXEL, 1, gamma, new double[c], eps);
    }

    private enum Form { GROUP, SAMPLE, PIXEL }

    /** The index sets of the form, and for each index the weight it takes. Forward when dy is null. */
    private static double[][] run(double[] x, double[] dy, int n, int c, int h, int w, Form form, int groups,
                                  double[] gamma, double[] beta, double eps) {
        Checks.positive("groups", groups);
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));
        if (c % groups != 0) throw new IllegalArgumentException("groups " + groups + " do not divide " + c + " channels");
        int plane = h * w, affine = form == Form.SAMPLE ? c * plane : c;
        Checks.length("gamma", "[affine]", gamma, affine);
        Checks.length("beta", "[affine]", beta, affine);
        double[] y = new double[x.length], dx = new double[x.length], dgamma = new double[affine], dbeta = new double[affine];
        int sets = form == Form.PIXEL ? n * plane : n * groups, size = form == Form.PIXEL ? c : c / groups * plane;
        int[] idx = new int[size];
        for (int s = 0; s < sets; s++) {
            for (int k = 0; k < size; k++) {
                if (form == Form.PIXEL) idx[k] = (s / plane * c + k) * plane + s % plane; // sample s/plane, channel k, pixel s%plane
                else idx[k] = s * size + k; // a group's values are contiguous in NCHW
            }
            double mean = 0, var = 0;
            for (int i : idx) mean += x[i];
            mean /= size;
            for (int i : idx) var += (x[i] - mean) * (x[i] - mean);
            var /= size;
            double inv = 1 / Math.sqrt(var + eps);
            double meanG = 0, meanGx = 0;
            for (int i : idx) {
                double xhat = (x[i] - mean) * inv;
                int a = weightOf(i, form, c, plane);
                y[i] = gamma[a] * xhat + beta[a];
                if (dy != null) {
                    meanG += gamma[a] * dy[i] / size;
                    meanGx += gamma[a] * dy[i] * xhat / size;
                    dgamma[a] += dy[i] * xhat;
                    dbeta[a] += dy[i];
                }
            }
            if (dy == null) continue;
            for (int i : idx) {
                double xhat = (x[i] - mean) * inv;
                dx[i] = inv * (gamma[weightOf(i, form, c, plane)] * dy[i] - meanG - xhat * meanGx);
            }
        }
        return dy == null ? new double[][] {y} : new double[][] {dx, dgamma, dbeta};
    }

    /** The affine weight index of NCHW element i: its channel, or (SAMPLE) its place within the sample. */
    private static int weightOf(int i, Form form, int c, int plane) {
        return form == Form.SAMPLE ? i % (c * plane) : i / plane % c;
    }
}
