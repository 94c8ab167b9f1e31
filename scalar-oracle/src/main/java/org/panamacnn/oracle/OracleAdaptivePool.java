package org.panamacnn.oracle;

/**
 * PyTorch's AdaptiveAvgPool2d((oh, ow)), NCHW, from its definition:
 * <pre>
 * window (i, j): input rows ⌊i·h/oh⌋ .. ⌈(i+1)·h/oh⌉ − 1, columns ⌊j·w/ow⌋ .. ⌈(j+1)·w/ow⌉ − 1
 * y = Σ window / (its cell count);   δx[cell] += δy / (cell count) for every cell of the window
 * </pre>
 * The bounds are computed in double from the real quotients (floor and ceil), not with integer tricks.
 */
public final class OracleAdaptivePool {
    private OracleAdaptivePool() {
    }

    static int first(int i, int in, int out) {
        return (int) Math.floor((double) i * in / out);
    }

    static int last(int i, int in, int out) {
        return (int) Math.ceil((double) (i + 1) * in / out) - 1;
    }

    /** x [n,c,h,w] → y [n,c,oh,ow]. */
    public static double[] forward(double[] x, int n, int c, int h, int w, int oh, int ow) {
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));
        Checks.positive("oh", oh);
        Checks.positive("ow", ow);
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    int cells = 0;
                    for (int r = first(i, h, oh); r <= last(i, h, oh); r++) {
                        for (int q = first(j, w, ow); q <= last(j, w, ow); q++) {
                            sum += x[(p * h + r) * w + q];
                            cells++;
                        }
                    }
                    y[(p * oh + i) * ow + j] = sum / cells;
                }
            }
        }
        return y;
    }

    /** δx [n,c,h,w] from δy [n,c,oh,ow]. */
    public static double[] backward(double[] gradOut, int n, int c, int h, int w, int oh, int ow) {
        Checks.length("gradOut", "[n,c,oh,ow]", gradOut, Checks.size(n, c, oh, ow));
        double[] dx = new double[n * c * h * w];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int rows = last(i, h, oh) - first(i, h, oh) + 1, cols = last(j, w, ow) - first(j, w, ow) + 1;
                    double share = gradOut[(p * oh + i) * ow + j] / (rows * cols);
                    for (int r = first(i, h, oh); r <= last(i, h, oh); r++) {
                        for (int q = first(j, w, ow); q <= last(j, w, ow); q++) {
                            dx[(p * h + r) * w + q] += share;
                        }
                    }
                }
            }
        }
        return dx;
    }
}
