package org.panamacnn.tensor;

/**
 * A reusable [batch, sample...] buffer: the array grows to the largest batch seen and smaller
 * batches view a prefix of it, so steady-state training reallocates nothing.
 */
public final class BatchBuffer {
    private final Shape sample;
    private Tensor view;

    public BatchBuffer(Shape sample) {
        this.sample = sample;
    }

    /** The buffer as a tensor of shape [batch, sample...]; its contents are whatever was last written. */
    public Tensor get(int batch) {
        if (view != null && view.batch() == batch) return view;
        int needed = Math.multiplyExact(batch, sample.size());
        float[] data = view != null && view.data().length >= needed ? view.data() : new float[needed];
        view = new Tensor(sample.withBatch(batch), data);
        return view;
    }
}
