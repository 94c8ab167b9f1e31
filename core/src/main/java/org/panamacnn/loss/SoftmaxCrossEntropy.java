package org.panamacnn.loss;

import org.panamacnn.simd.Losses;
import org.panamacnn.tensor.Tensor;

/** Softmax over the classes and cross-entropy with integer labels: L = mean −log p[label]; δZ = (p − y)/batch. */
public final class SoftmaxCrossEntropy extends BufferedLossHead {

    @Override
    public double forward(Tensor logits, int[] labels) {
        if (logits.shape().rank() != 2) {
            throw new IllegalArgumentException("softmax cross-entropy expects logits [batch, classes] but got " + logits.shape());
        }
        int n = logits.batch(), k = logits.shape().dim(1);
        if (labels.length < n) {
            throw new IllegalArgumentException("batch of " + n + " logits rows but only " + labels.length + " labels");
        }
        prepare(logits);
        return Losses.softmaxCrossEntropy(n, k, logits.data(), 0, labels, 0, lastProbs.data(), 0, lastGrad.data(), 0);
    }

    @Override
    public int predictedClass(int n) {
        float[] p = lastProbs.data();
        int classes = lastProbs.shape().dim(1);
        int best = 0;
        for (int j = 1; j < classes; j++) if (p[n * classes + j] > p[n * classes + best]) best = j;
        return best;
    }
}
