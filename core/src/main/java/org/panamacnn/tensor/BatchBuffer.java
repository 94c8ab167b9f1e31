package org.panamacnn.tensor;

/**
 * A reusable [batch, sample...] buffer: the array grows to the largest batch seen and smaller
 * batches view a prefix of it, so steady-state training reallocates nothing. Its array is its own,
 * or borrowed from a {@link BufferArena} on each {@link #get} and held until given back.
 */
public final class BatchBuffer {
    private final Shape sample;
    private final BufferArena arena;
    private Tensor view;

    public BatchBuffer(Shape sample) {
        this(sample, null);
    }

    /** A buffer whose array is lent by arena (null: its own). */
    public BatchBuffer(Shape sample, BufferArena arena) {
        this.sample = sample;
        this.arena = arena;
    }

    /**
     * The buffer as a tensor of shape [batch, sample...]; its contents are whatever was last
     * written there (with an arena: by anyone, once given back).
     */
    public Tensor get(int batch) {
        if (arena != null) {
            float[] data = arena.lend(this, view == null ? null : view.data(), Math.multiplyExact(batch, sample.size()));
            if (view == null || view.data() != data || view.batch() != batch) view = new Tensor(sample.withBatch(batch), data);
            return view;
        }
        if (view != null && view.batch() == batch) return view;
        int needed = Math.multiplyExact(batch, sample.size());
        float[] data = view != null && view.data().length >= needed ? view.data() : new float[needed];
        view = new Tensor(sample.withBatch(batch), data);
        return view;
    }
}
