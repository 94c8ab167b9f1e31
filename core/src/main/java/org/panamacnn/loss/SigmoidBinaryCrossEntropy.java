package org.panamacnn.loss;

import org.panamacnn.simd.Losses;
import org.panamacnn.tensor.Tensor;

/**
 * Sigmoid on each logit and binary cross-entropy against targets in [0, 1]:
 * L = mean −[y log σ(z) + (1−y) log(1−σ(z))]; δZ = (σ(z) − y)/count.
 */
public final class SigmoidBinaryCrossEntropy extends BufferedLossHead {
    private float[] targets = new float[0];

    /** Targets as floats, one per logit. */
    public double forward(Tensor logits, float[] targets) {
        int n = logits.size();
        if (targets.length < n) {
            throw new IllegalArgumentException(logits.size() + " logits but only " + targets.length + " targets");
        }
        prepare(logits);
        return Losses.sigmoidBinaryCrossEntropy(n, logits.data(), 0, targets, 0, lastProbs.data(), 0, lastGrad.data(), 0);
    }

    /** One 0/1 label per sample for a single-output model. */
    @Override
    public double forward(Tensor logits, int[] labels) {
        int n = logits.batch();
        if (logits.size() != n) {
            throw new IllegalArgumentException("integer labels need one logit per sample, but logits are " + logits.shape());
        }
        if (targets.length < n) targets = new float[n];
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("binary label at " + i + " is " + labels[i] + ", not 0 or 1");
            }
            targets[i] = labels[i];
        }
        return forward(logits, targets);
    }

    @Override
    public int predictedClass(int n) {
        return lastProbs.data()[n] >= 0.5f ? 1 : 0;
    }
}
