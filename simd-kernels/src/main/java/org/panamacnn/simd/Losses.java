package org.panamacnn.simd;

/** Loss values and their gradients with respect to the logits, averaged over the batch. */
public final class Losses {
    private Losses() {}

    /**
     * Softmax + cross-entropy over logits [rows, cols] and integer labels: returns
     * mean_r −log p[r, label_r]; writes probs = softmax(logits) and grad = (probs − onehot) / rows.
     * The loss uses log-sum-exp, so it stays finite when a probability underflows.
     */
    public static double softmaxCrossEntropy(int rows, int cols, float[] logits, int lOff, int[] labels, int labelOff,
                                             float[] probs, int pOff, float[] grad, int gOff) {
        Checks.positive("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.range("logits", logits, lOff, (long) rows * cols);
        Checks.range("labels", labels, labelOff, rows);
        Checks.range("probs", probs, pOff, (long) rows * cols);
        Checks.range("grad", grad, gOff, (long) rows * cols);
        for (int r = 0; r < rows; r++) { // all labels are checked before anything is written
            int label = labels[labelOff + r];
            if (label < 0 || label >= cols) {
                throw new IllegalArgumentException("label " + label + " at row " + r + " is outside [0, " + cols + ")");
            }
        }
        Activations.softmaxRows(rows, cols, logits, lOff, probs, pOff);
        double loss = 0;
        float invRows = 1f / rows;
        for (int r = 0; r < rows; r++) {
            int label = labels[labelOff + r];
            int row = lOff + r * cols;
            float max = Activations.max(cols, logits, row);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(logits[row + j] - max);
            loss += Math.log(sum) + max - logits[row + label];
            for (int j = 0; j < cols; j++) {
                float y = j == label ? 1f : 0f;
                grad[gOff + r * cols + j] = (probs[pOff + r * cols + j] - y) * invRows;
            }
        }
        return loss / rows;
    }

    /**
     * Sigmoid + binary cross-entropy over n logits and targets in [0, 1]: returns the mean of
     * max(z, 0) − z·y + log(1 + e^−|z|) (the stable form of −[y log σ + (1−y) log(1−σ)]);
     * writes probs = σ(z) and grad = (σ(z) − y) / n.
     */
    public static double sigmoidBinaryCrossEntropy(int n, float[] logits, int lOff, float[] targets, int tOff,
                                                   float[] probs, int pOff, float[] grad, int gOff) {
        Checks.positive("n", n);
        Checks.range("logits", logits, lOff, n);
        Checks.range("targets", targets, tOff, n);
        Checks.range("probs", probs, pOff, n);
        Checks.range("grad", grad, gOff, n);
        Activations.sigmoid(n, logits, lOff, probs, pOff);
        double loss = 0;
        float invN = 1f / n;
        for (int i = 0; i < n; i++) {
            float z = logits[lOff + i];
            float y = targets[tOff + i];
            if (!(y >= 0f && y <= 1f)) {
                throw new IllegalArgumentException("target " + y + " at " + i + " is outside [0, 1]");
            }
            loss += Math.max(z, 0f) - (double) z * y + Math.log1p(Math.exp(-Math.abs(z)));
            grad[gOff + i] = (probs[pOff + i] - y) * invN;
        }
        return loss / n;
    }
}
