package org.panamacnn.loss;

import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** The probability and gradient buffers of a loss head, shaped like the logits and reused batch after batch. */
abstract class BufferedLossHead implements LossHead {
    private BatchBuffer probs, grad;
    private Shape sample;
    Tensor lastProbs, lastGrad;

    /** Points lastProbs and lastGrad at buffers shaped like logits (new ones only when the per-sample shape changes). */
    final void prepare(Tensor logits) {
        if (sample == null || !logits.shape().isBatchOf(sample)) {
            sample = logits.shape().dropFirst();
            probs = new BatchBuffer(sample);
            grad = new BatchBuffer(sample);
        }
        lastProbs = probs.get(logits.batch());
        lastGrad = grad.get(logits.batch());
    }

    @Override
    public Tensor gradient() {
        return lastGrad;
    }

    @Override
    public Tensor probabilities() {
        return lastProbs;
    }
}
