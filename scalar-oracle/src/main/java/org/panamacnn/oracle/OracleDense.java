package org.panamacnn.oracle;

/**
 * Fully connected layer, x [n,in], W [out,in], b [out]:
 * <pre>
 * forward:    y[b,o]  = b[o] + Σ_i x[b,i]·W[o,i]        (y = x·Wᵀ + b)
 * gradWeight: δW[o,i] = Σ_b δY[b,o]·x[b,i]             (δW = δYᵀ·x)
 * gradBias:   δb[o]   = Σ_b δY[b,o]
 * gradInput:  δx[b,i] = Σ_o δY[b,o]·W[o,i]             (δx = δY·W)
 * </pre>
 */
public final class OracleDense {

    private OracleDense() {
    }

    /** x [n,in], weight [out,in], bias [out] or null -> y [n,out], y = x·Wᵀ + b */
    public static double[] forward(double[] x, int n, int in, double[] weight, int out, double[] bias) {
        checkDims(n, in, out);
        Checks.length("x", "[n,in]", x, Checks.size(n, in));
        Checks.length("weight", "[out,in]", weight, Checks.size(out, in));
        if (bias != null) {
            Checks.length("bias", "[out]", bias, out);
        }
        double[] y = new double[Checks.size(n, out)];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double sum = 0.0;
                for (int i = 0; i < in; i++) {
                    sum += x[b * in + i] * weight[o * in + i];
                }
                y[b * out + o] = (bias == null ? 0.0 : bias[o]) + sum;
            }
        }
        return y;
    }

    /** δW = δYᵀ·x -> [out,in] */
    public static double[] gradWeight(double[] gradOut, double[] x, int n, int in, int out) {
        checkDims(n, in, out);
        Checks.length("gradOut", "[n,out]", gradOut, Checks.size(n, out));
        Checks.length("x", "[n,in]", x, Checks.size(n, in));
        double[] gradW = new double[Checks.size(out, in)];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0.0;
                for (int b = 0; b < n; b++) {
                    sum += gradOut[b * out + o] * x[b * in + i];
                }
                gradW[o * in + i] = sum;
            }
        }
        return gradW;
    }

    /** Σ_batch δY -> [out] */
    public static double[] gradBias(double[] gradOut, int n, int out) {
        Checks.positive("n", n);
        Checks.positive("out", out);
        Checks.length("gradOut", "[n,out]", gradOut, Checks.size(n, out));
        double[] gradB = new double[out];
        for (int o = 0; o < out; o++) {
            double sum = 0.0;
            for (int b = 0; b < n; b++) {
                sum += gradOut[b * out + o];
            }
            gradB[o] = sum;
        }
        return gradB;
    }

    /** δx = δY·W -> [n,in] */
    public static double[] gradInput(double[] gradOut, double[] weight, int n, int in, int out) {
        checkDims(n, in, out);
        Checks.length("gradOut", "[n,out]", gradOut, Checks.size(n, out));
        Checks.length("weight", "[out,in]", weight, Checks.size(out, in));
        double[] gradX = new double[Checks.size(n, in)];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < in; i++) {
                double sum = 0.0;
                for (int o = 0; o < out; o++) {
                    sum += gradOut[b * out + o] * weight[o * in + i];
                }
                gradX[b * in + i] = sum;
            }
        }
        return gradX;
    }

    private static void checkDims(int n, int in, int out) {
        Checks.positive("n", n);
        Checks.positive("in", in);
        Checks.positive("out", out);
    }
}
