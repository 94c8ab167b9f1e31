package org.panamacnn.oracle;

/**
 * Loss heads, computed from the logits z:
 * <pre>
 * softmax cross-entropy:  L = (1/n) Σ_b −log softmax(z_b)[y_b],          δZ = (softmax(z) − onehot(y)) / n
 * sigmoid binary CE:      L = (1/N) Σ_i max(z,0) − z·y + log(1 + e^−|z|)  (= −[y·log σ(z) + (1−y)·log(1−σ(z))]),
 *                         δZ = (σ(z) − y) / N
 * </pre>
 */
public final class OracleLoss {

    private OracleLoss() {
    }

    /** mean over the batch of −log softmax(z)[label]; logits [n,k] */
    public static double softmaxCrossEntropy(double[] logits, int n, int k, int[] labels) {
        checkLabels(logits, n, k, labels);
        double[] logP = OracleActivations.logSoftmax(logits, n, k);
        double sum = 0.0;
        for (int b = 0; b < n; b++) {
            sum += -logP[b * k + labels[b]];
        }
        return sum / n;
    }

    /** δZ = (softmax(z) − onehot(label)) / n */
    public static double[] softmaxCrossEntropyGrad(double[] logits, int n, int k, int[] labels) {
        checkLabels(logits, n, k, labels);
        double[] grad = OracleActivations.softmax(logits, n, k);
        for (int b = 0; b < n; b++) {
            grad[b * k + labels[b]] -= 1.0;
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] /= n;
        }
        return grad;
    }

    /** mean over the elements of −[y·log σ(z) + (1−y)·log(1−σ(z))], computed stably from the logits z; targets in [0,1] */
    public static double sigmoidBinaryCrossEntropy(double[] logits, double[] targets) {
        checkTargets(logits, targets);
        double sum = 0.0;
        for (int i = 0; i < logits.length; i++) {
            double z = logits[i];
            // −y·log σ(z) − (1−y)·log(1−σ(z)) = max(z,0) − z·y + log(1 + e^−|z|)
            sum += Math.max(z, 0.0) - z * targets[i] + Math.log1p(Math.exp(-Math.abs(z)));
        }
        return sum / logits.length;
    }

    /** δZ = (σ(z) − y) / count */
    public static double[] sigmoidBinaryCrossEntropyGrad(double[] logits, double[] targets) {
        checkTargets(logits, targets);
        double[] sigma = OracleActivations.sigmoid(logits);
        double[] grad = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            grad[i] = (sigma[i] - targets[i]) / logits.length;
        }
        return grad;
    }

    private static void checkLabels(double[] logits, int n, int k, int[] labels) {
        Checks.positive("n", n);
        Checks.positive("k", k);
        Checks.length("logits", "[n,k]", logits, Checks.size(n, k));
        Checks.length("labels", "[n]", labels, n);
        for (int b = 0; b < n; b++) {
            if (labels[b] < 0 || labels[b] >= k) {
                throw new IllegalArgumentException("labels[" + b + "]: expected in [0," + k + "), actual " + labels[b]);
            }
        }
    }

    private static void checkTargets(double[] logits, double[] targets) {
        Checks.notNull("logits", logits);
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits: expected length >= 1, actual 0");
        }
        Checks.length("targets", "[like logits]", targets, logits.length);
        for (int i = 0; i < targets.length; i++) {
            if (!(targets[i] >= 0.0 && targets[i] <= 1.0)) {
                throw new IllegalArgumentException("targets[" + i + "]: expected in [0,1], actual " + targets[i]);
            }
        }
    }
}
