package org.panamacnn.oracle;

/**
 * Output activations, numerically stable:
 * <pre>
 * softmax:    p[r,j] = exp(z[r,j] − m_r) / Σ_l exp(z[r,l] − m_r),   m_r = max_l z[r,l]
 * logSoftmax: log p[r,j] = z[r,j] − m_r − log Σ_l exp(z[r,l] − m_r)
 * sigmoid:    σ(z) = 1 / (1 + e^−z) for z ≥ 0,  e^z / (1 + e^z) for z &lt; 0
 * </pre>
 */
public final class OracleActivations {

    private OracleActivations() {
    }

    /** row-wise, stable (subtract row max) */
    public static double[] softmax(double[] logits, int rows, int cols) {
        checkMatrix(logits, rows, cols);
        double[] p = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            double max = rowMax(logits, r, cols);
            double sum = 0.0;
            for (int j = 0; j < cols; j++) {
                p[r * cols + j] = Math.exp(logits[r * cols + j] - max);
                sum += p[r * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                p[r * cols + j] /= sum;
            }
        }
        return p;
    }

    /** row-wise, stable: z - max - log Σ exp(z - max) */
    public static double[] logSoftmax(double[] logits, int rows, int cols) {
        checkMatrix(logits, rows, cols);
        double[] out = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            double max = rowMax(logits, r, cols);
            double sum = 0.0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(logits[r * cols + j] - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] = logits[r * cols + j] - max - logSum;
            }
        }
        return out;
    }

    /** stable for large |z| */
    public static double[] sigmoid(double[] z) {
        Checks.notNull("z", z);
        double[] s = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            s[i] = sigmoid(z[i]);
        }
        return s;
    }

    /** σ(z) without overflow: exp is only taken of a non-positive number. */
    private static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    private static double rowMax(double[] a, int r, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, a[r * cols + j]);
        }
        return max;
    }

    private static void checkMatrix(double[] logits, int rows, int cols) {
        Checks.positive("rows", rows);
        Checks.positive("cols", cols);
        Checks.length("logits", "[rows,cols]", logits, Checks.size(rows, cols));
    }
}
