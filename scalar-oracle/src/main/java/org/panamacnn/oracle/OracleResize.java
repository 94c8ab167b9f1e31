package org.panamacnn.oracle;

/**
 * Upsampling of NCHW planes as PyTorch defines it (F.interpolate), from the coordinate formulas
 * in double:
 * <pre>
 * nearest:   y[i, j] = x[⌊i·h/oh⌋, ⌊j·w/ow⌋]
 * bilinear:  src(i) = max((i + ½)·h/oh − ½, 0)     (align_corners False: half-pixel centres)
 *            src(i) = i·(h − 1)/(oh − 1)           (align_corners True; 0 when oh = 1)
 *            i0 = ⌊src⌋, i1 = min(i0 + 1, h − 1), λ = src − i0
 *            y[i, j] = Σ over the rows {i0: 1 − λ, i1: λ} and the columns alike of weight·x[row, col]
 * </pre>
 * Backward is the adjoint: δx[row, col] += weight·δy[i, j] for each of the four (or one) sources.
 */
public final class OracleResize {
    private OracleResize() {
    }

    /** The source rows and weights of output i along an axis: {i0, i1} and {1 − λ, λ}. */
    static double[] taps(int i, int in, int out, boolean bilinear, boolean alignCorners) {
        if (!bilinear) return new double[] {Math.floor((double) i * in / out), 0, 1, 0};
        double src = alignCorners ? (out > 1 ? i * (double) (in - 1) / (out - 1) : 0) : Math.max((i + 0.5) * in / out - 0.5, 0);
        double i0 = Math.floor(src), lambda = src - i0;
        return new double[] {i0, Math.min(i0 + 1, in - 1), 1 - lambda, lambda};
    }

    /** x [planes, h, w] → y [planes, oh, ow]. */
    public static double[] forward(double[] x, int planes, int h, int w, int oh, int ow, boolean bilinear, boolean alignCorners) {
        Checks.length("x", "[planes,h,w]", x, Checks.size(planes, h, w));
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                double[] r = taps(i, h, oh, bilinear, alignCorners);
                for (int j = 0; j < ow; j++) {
                    double[] c = taps(j, w, ow, bilinear, alignCorners);
                    double sum = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            sum += r[2 + a] * c[2 + b] * x[(p * h + (int) r[a]) * w + (int) c[b]];
                        }
                    }
                    y[(p * oh + i) * ow + j] = sum;
                }
            }
        }
        return y;
    }

    /** δx [planes, h, w] from δy [planes, oh, ow]. */
    public static double[] backward(double[] dy, int planes, int h, int w, int oh, int ow, boolean bilinear, boolean alignCorners) {
        Checks.length("dy", "[planes,oh,ow]", dy, Checks.size(planes, oh, ow));
        double[] dx = new double[planes * h * w];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                double[] r = taps(i, h, oh, bilinear, alignCorners);
                for (int j = 0; j < ow; j++) {
                    double[] c = taps(j, w, ow, bilinear, alignCorners);
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            dx[(p * h + (int) r[a]) * w + (int) c[b]] += r[2 + a] * c[2 + b] * dy[(p * oh + i) * ow + j];
                        }
                    }
                }
            }
        }
        return dx;
    }
}
