package org.panamacnn.infer;

/**
 * Finite input made the model's output NaN or infinite (values beyond float range inside a layer,
 * e.g. inputs of 1e38): an error naming the image and the first layer that produced non-finite
 * values, as divergence is in training — never NaN probabilities handed back as an answer.
 */
public final class NonFiniteOutputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NonFiniteOutputException(String message) {
        super(message);
    }
}
