package org.panamacnn.oracle;

/**
 * PyTorch's MaxPool2d / AvgPool2d with padding p on every side and ceil mode, NCHW, from the
 * definitions (the padded plane is read cell by cell; padding is −∞ for the max and 0 for the sum):
 * <pre>
 * out       = ⌊(in + 2p − k) / s⌋ + 1, or ⌈·⌉ + 1 in ceil mode, minus 1 if then (out − 1)·s ≥ in + p
 * window    (i, j): padded rows i·s .. i·s+k, columns j·s .. j·s+k (input row r = padded row − p)
 * max:      y = max over the window's input cells; δx[argmax] += δy (first maximum in row-major order)
 * average:  y = Σ window / D, D = the window's cells inside the padded plane (count_include_pad) or inside the input;
 *           δx[cell] += δy / D for every input cell of the window
 * </pre>
 */
public final class OracleWindowPool {
    private OracleWindowPool() {
    }

    public static int outSize(int in, int k, int stride, int pad, boolean ceil) {
        Checks.positive("in", in);
        Checks.positive("k", k);
        Checks.positive("stride", stride);
        double exact = (double) (in + 2 * pad - k) / stride;
        int out = (int) (ceil ? Math.ceil(exact) : Math.floor(exact)) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /** x [n,c,h,w] → y [n,c,oh,ow]; max (average false) or mean. */
    public static double[] forward(double[] x, int n, int c, int h, int w, int k, int stride, int pad, boolean ceil,
                                   boolean average, boolean countPad) {
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));
        int oh = outSize(h, k, stride, pad, ceil), ow = outSize(w, k, stride, pad, ceil);
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    int inside = 0, padded = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int r = i * stride + u - pad, q = j * stride + v - pad;
                            if (r < h + pad && q < w + pad) {
                                padded++; // inside the padded plane
                            }
                            if (r < 0 || r >= h || q < 0 || q >= w) {
                                continue;
                            }
                            inside++;
                            double val = x[(p * h + r) * w + q];
                            max = Math.max(max, val);
                            sum += val;
                        }
                    }
                    y[(p * oh + i) * ow + j] = average ? sum / (countPad ? padded : inside) : max;
                }
            }
        }
        return y;
    }

    /** δx [n,c,h,w] from δy [n,c,oh,ow] (the max's arg-max from x). */
    public static double[] backward(double[] gradOut, double[] x, int n, int c, int h, int w, int k, int stride, int pad,
                                    boolean ceil, boolean average, boolean countPad) {
        int oh = outSize(h, k, stride, pad, ceil), ow = outSize(w, k, stride, pad, ceil);
        Checks.length("gradOut", "[n,c,oh,ow]", gradOut, Checks.size(n, c, oh, ow));
        double[] dx = new double[x.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1, inside = 0, padded = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int r = i * stride + u - pad, q = j * stride + v - pad;
                            if (r < h + pad && q < w + pad) {
                                padded++;
                            }
                            if (r < 0 || r >= h || q < 0 || q >= w) {
                                continue;
                            }
                            inside++;
                            int idx = (p * h + r) * w + q;
                            if (best < 0 || x[idx] > x[best]) {
                                best = idx;
                            }
                        }
                    }
                    double g = gradOut[(p * oh + i) * ow + j];
                    if (!average) {
                        dx[best] += g;
                        continue;
                    }
                    double share = g / (countPad ? padded : inside);
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int r = i * stride + u - pad, q = j * stride + v - pad;
                            if (r >= 0 && r < h && q >= 0 && q < w) {
                                dx[(p * h + r) * w + q] += share;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
