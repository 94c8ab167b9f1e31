package org.panamacnn.oracle;

/**
 * Max pooling over k×k windows with stride s and no padding, NCHW:
 * <pre>
 * forward:  y[n,c,i,j] = max_{u,v &lt; k} x[n,c, i·s+u, j·s+v]
 * argmax:   the flat index into x of that maximum; on ties the first in row-major (u, v) order
 * backward: δx[a] = Σ_{outputs o with argmax(o) = a} δy[o]   (zero where no window picked a)
 * </pre>
 */
public final class OracleMaxPool {

    private OracleMaxPool() {
    }

    /** Output size: (in - k) / stride + 1 (floor, no padding). Throws if in &lt; k (no whole window). */
    public static int outSize(int in, int k, int stride) {
        Checks.positive("in", in);
        Checks.positive("k", k);
        Checks.positive("stride", stride);
        if (in < k) {
            throw new IllegalArgumentException("window k=" + k + " larger than input " + in
                    + ": output size would be < 1");
        }
        return (in - k) / stride + 1;
    }

    /** x [n,c,h,w] -> [n,c,oh,ow], max over each k×k window at (i·s, j·s) */
    public static double[] forward(double[] x, int n, int c, int h, int w, int k, int stride) {
        int[] arg = argmax(x, n, c, h, w, k, stride);
        double[] y = new double[arg.length];
        for (int o = 0; o < arg.length; o++) {
            y[o] = x[arg[o]];
        }
        return y;
    }

    /** For each output element, the flat index into x of its window's max; ties go to the FIRST in row-major window order (strictly greater replaces). */
    public static int[] argmax(double[] x, int n, int c, int h, int w, int k, int stride) {
        Checks.positive("n", n);
        Checks.positive("c", c);
        int oh = outSize(h, k, stride);
        int ow = outSize(w, k, stride);
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));

        int[] arg = new int[Checks.size(n, c, oh, ow)];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = (b * c + ch) * h * w; // start of x[b,ch]
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int best = plane + (i * stride) * w + (j * stride); // window's first element
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int idx = plane + (i * stride + u) * w + (j * stride + v);
                                if (x[idx] > x[best]) {
                                    best = idx;
                                }
                            }
                        }
                        arg[((b * c + ch) * oh + i) * ow + j] = best;
                    }
                }
            }
        }
        return arg;
    }

    /** δx: each output's gradient added at its argmax (overlapping windows add up), zero elsewhere -> [n,c,h,w] */
    public static double[] backward(double[] gradOut, double[] x, int n, int c, int h, int w, int k, int stride) {
        int[] arg = argmax(x, n, c, h, w, k, stride);
        Checks.length("gradOut", "[n,c,oh,ow]", gradOut, arg.length);
        double[] gradX = new double[x.length];
        for (int o = 0; o < arg.length; o++) {
            gradX[arg[o]] += gradOut[o];
        }
        return gradX;
    }

    // ---- padded: PyTorch's MaxPool2d(k, stride, padding=p), padding counts as −∞ ----
    //   y[n,c,i,j] = max over u,v < k with 0 ≤ i·s+u−p < h, 0 ≤ j·s+v−p < w of x[n,c, i·s+u−p, j·s+v−p]

    /** Output size with padding: (in + 2p − k) / stride + 1; p ≤ k/2 so every window holds an input cell. */
    public static int outSize(int in, int k, int stride, int pad) {
        Checks.positive("in", in);
        Checks.positive("k", k);
        Checks.positive("stride", stride);
        if (pad < 0 || 2 * pad > k) {
            throw new IllegalArgumentException("padding " + pad + ": expected 0.." + k / 2);
        }
        if (in + 2 * pad < k) {
            throw new IllegalArgumentException("window k=" + k + " larger than padded input " + (in + 2 * pad));
        }
        return (in + 2 * pad - k) / stride + 1;
    }

    /** Arg-max of each padded window (a flat index into x); ties to the first in row-major window order. */
    public static int[] argmax(double[] x, int n, int c, int h, int w, int k, int stride, int pad) {
        Checks.positive("n", n);
        Checks.positive("c", c);
        int oh = outSize(h, k, stride, pad);
        int ow = outSize(w, k, stride, pad);
        Checks.length("x", "[n,c,h,w]", x, Checks.size(n, c, h, w));
        int[] arg = new int[Checks.size(n, c, oh, ow)];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = (b * c + ch) * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int best = -1;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int r = i * stride + u - pad, q = j * stride + v - pad;
                                if (r < 0 || r >= h || q < 0 || q >= w) {
                                    continue; // padding: −∞, never the max
                                }
                                int idx = plane + r * w + q;
                                if (best < 0 || x[idx] > max) {
                                    best = idx;
                                    max = x[idx];
                                }
                            }
                        }
                        arg[((b * c + ch) * oh + i) * ow + j] = best;
                    }
                }
            }
        }
        return arg;
    }

    /** Padded forward: x [n,c,h,w] -> [n,c,oh,ow]. */
    public static double[] forward(double[] x, int n, int c, int h, int w, int k, int stride, int pad) {
        int[] arg = argmax(x, n, c, h, w, k, stride, pad);
        double[] y = new double[arg.length];
        for (int o = 0; o < arg.length; o++) {
            y[o] = x[arg[o]];
        }
        return y;
    }

    /** Padded backward: each output's gradient added at its arg-max -> [n,c,h,w]. */
    public static double[] backward(double[] gradOut, double[] x, int n, int c, int h, int w, int k, int stride, int pad) {
        int[] arg = argmax(x, n, c, h, w, k, stride, pad);
        Checks.length("gradOut", "[n,c,oh,ow]", gradOut, arg.length);
        double[] gradX = new double[x.length];
        for (int o = 0; o < arg.length; o++) {
            gradX[arg[o]] += gradOut[o];
        }
        return gradX;
    }
}
