package org.panamacnn.oracle;

/**
 * An elementwise operation with a per-channel constant, NCHW (a scalar is one value for every
 * channel; inner = the elements of a channel in one sample, H·W for images, 1 for features):
 * <pre>
 * affine:  y[n,c,·] = a[c]·x[n,c,·] + b[c]     δx = a[c]·δy
 * divide:  y[n,c,·] = x[n,c,·] / d[c]          δx = δy / d[c]
 * </pre>
 */
public final class OracleChannelArithmetic {
    private OracleChannelArithmetic() {
    }

    private static double at(double[] v, int c) {
        return v.length == 1 ? v[0] : v[c];
    }

    public static double[] affine(double[] x, int c, int inner, double[] a, double[] b) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i / inner % c;
            y[i] = at(a, ch) * x[i] + at(b, ch);
        }
        return y;
    }

    public static double[] affineBackward(double[] gradOut, int c, int inner, double[] a) {
        double[] g = new double[gradOut.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = at(a, i / inner % c) * gradOut[i];
        }
        return g;
    }

    public static double[] divide(double[] x, int c, int inner, double[] d) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / at(d, i / inner % c);
        }
        return y;
    }

    public static double[] divideBackward(double[] gradOut, int c, int inner, double[] d) {
        return divide(gradOut, c, inner, d);
    }
}
