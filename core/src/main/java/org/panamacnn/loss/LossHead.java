package org.panamacnn.loss;

import org.panamacnn.tensor.Tensor;

/** The output activation and loss together, so the gradient takes the simple form ŷ − y. */
public interface LossHead {
    /** Returns the mean loss over the batch and keeps the probabilities and ∂L/∂logits. */
    double forward(Tensor logits, int[] labels);

    /** ∂L/∂logits of the last forward (mean over the batch). */
    Tensor gradient();

    /** The output probabilities of the last forward. */
    Tensor probabilities();

    /** Predicted class of sample n of the last forward. */
    int predictedClass(int n);
}
