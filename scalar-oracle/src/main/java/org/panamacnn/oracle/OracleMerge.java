package org.panamacnn.oracle;

/**
 * The merges of a graph, per sample along the first dimension after the batch:
 * <pre>
 * add:    y[n, f] = Σ_i x_i[n, f]                            δx_i = δy
 * concat: y[n, o_i + f] = x_i[n, f],  o_i = Σ_{j=0}^{i-1} F_j      δx_i[n, f] = δy[n, o_i + f]
 * mul:    y[n, c, p] = x[n, c, p]·s[n, c, p or 0]          δx = δy·s,  δs[n, c, p] = δy·x (or Σ_p δy·x when s is one value per channel)
 * </pre>
 * where F_i is input i's per-sample size (for images [C_i, H, W] concatenated on channels, the
 * channel blocks of one image are contiguous, so this is torch.cat(dim=1)).
 */
public final class OracleMerge {
    private OracleMerge() {
    }

    public static double[] add(double[][] x, int n, int f) {
        double[] y = new double[n * f];
        for (double[] xi : x) {
            Checks.length("x_i", "[n, f]", xi, Checks.size(n, f));
            for (int k = 0; k < y.length; k++) y[k] += xi[k];
        }
        return y;
    }

    public static double[] concat(double[][] x, int n, int[] sizes) {
        int total = 0;
        for (int i = 0; i < x.length; i++) {
            Checks.length("x_" + i, "[n, F_i]", x[i], Checks.size(n, sizes[i]));
            total += sizes[i];
        }
        double[] y = new double[n * total];
        for (int s = 0; s < n; s++) {
            int o = 0;
            for (int i = 0; i < x.length; i++) {
                for (int f = 0; f < sizes[i]; f++) y[s * total + o + f] = x[i][s * sizes[i] + f];
                o += sizes[i];
            }
        }
        return y;
    }

    /** δx_i of concat. */
    public static double[][] concatBackward(double[] gradOut, int n, int[] sizes) {
        int total = 0;
        for (int size : sizes) total += size;
        Checks.length("gradOut", "[n, ΣF_i]", gradOut, Checks.size(n, total));
        double[][] dx = new double[sizes.length][];
        int o = 0;
        for (int i = 0; i < sizes.length; i++) {
            dx[i] = new double[n * sizes[i]];
            for (int s = 0; s < n; s++) {
                for (int f = 0; f < sizes[i]; f++) dx[i][s * sizes[i] + f] = gradOut[s * total + o + f];
            }
            o += sizes[i];
        }
        return dx;
    }

    /**
     * mul of x [n, c, p] and s, which is either [n, c, p] too (perChannel false) or one value per
     * channel [n, c] broadcast over the p positions (perChannel true).
     */
    public static double[] multiply(double[] x, double[] s, int n, int c, int p, boolean perChannel) {
        Checks.length("x", "[n, c, p]", x, Checks.size(n, c, p));
        Checks.length("s", perChannel ? "[n, c]" : "[n, c, p]", s, perChannel ? Checks.size(n, c) : Checks.size(n, c, p));
        double[] y = new double[x.length];
        for (int k = 0; k < y.length; k++) y[k] = x[k] * s[perChannel ? k / p : k];
        return y;
    }

    /** {δx, δs} of {@link #multiply}. */
    public static double[][] multiplyBackward(double[] gradOut, double[] x, double[] s, int n, int c, int p, boolean perChannel) {
        Checks.length("gradOut", "[n, c, p]", gradOut, Checks.size(n, c, p));
        double[] dx = new double[x.length], ds = new double[s.length];
        for (int k = 0; k < x.length; k++) {
            int j = perChannel ? k / p : k;
            dx[k] = gradOut[k] * s[j];
            ds[j] += gradOut[k] * x[k];
        }
        return new double[][] {dx, ds};
    }
}
