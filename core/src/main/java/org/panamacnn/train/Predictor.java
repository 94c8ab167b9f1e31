package org.panamacnn.train;

import org.panamacnn.nn.Sequential;
import org.panamacnn.simd.Activations;
import org.panamacnn.tensor.Tensor;

/**
 * Class probabilities for one image at a time from a trained model: a batch-1 inference
 * forward and a softmax, into buffers allocated once. Not thread-safe: one per thread.
 */
public final class Predictor {
    private final Sequential model;
    private final Tensor input;
    private final float[] probabilities;

    public Predictor(Sequential model) {
        if (model.outputShape().rank() != 1) {
            throw new IllegalArgumentException("a classifier ends in [classes] logits, this model ends in " + model.outputShape());
        }
        this.model = model;
        this.input = new Tensor(model.inputShape().withBatch(1));
        this.probabilities = new float[model.outputShape().dim(0)];
    }

    /**
     * Softmax probabilities of the classes for a normalised image laid out as the model's input
     * shape. The returned array is reused by the next call.
     */
    public float[] probabilities(float[] image) {
        if (image.length != input.size()) {
            throw new IllegalArgumentException("image has " + image.length + " values but the model takes "
                    + model.inputShape() + " = " + input.size());
        }
        System.arraycopy(image, 0, input.data(), 0, image.length);
        Tensor logits = model.forward(input, false);
        Activations.softmaxRows(1, probabilities.length, logits.data(), 0, probabilities, 0);
        return probabilities;
    }

    public int classes() {
        return probabilities.length;
    }
}
