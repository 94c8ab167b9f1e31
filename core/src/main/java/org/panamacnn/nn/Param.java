package org.panamacnn.nn;

import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** A trainable tensor and the gradient the last backward pass wrote for it. */
public final class Param {
    /**
     * While bound, the number of floats parameters may still allocate: a model built from an
     * untrusted file gets the file's own tensor count, so a header that claims a 2^30-channel
     * layer is refused before its weights are allocated (see {@link #withAllocationLimit}).
     */
    private static final ScopedValue<long[]> REMAINING = ScopedValue.newInstance();

    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Param(String name, Shape shape) {
        if (REMAINING.isBound()) {
            long[] left = REMAINING.get();
            if (shape.size() > left[0]) throw new AllocationLimitException(name, shape);
            left[0] -= shape.size();
        }
        this.name = name;
        this.value = new Tensor(shape);
        this.grad = new Tensor(shape);
    }

    /**
     * Runs {@code build} (which creates parameters, e.g. a model from a file's architecture)
     * refusing any parameter that would take the parameters' total past {@code floats}.
     */
    public static <T> T withAllocationLimit(long floats, java.util.function.Supplier<T> build) {
        return ScopedValue.where(REMAINING, new long[] {floats}).call(build::get);
    }

    /** A parameter that would pass the limit set by {@link #withAllocationLimit}. */
    public static final class AllocationLimitException extends IllegalArgumentException {
        AllocationLimitException(String name, Shape shape) {
            super("parameter " + name + shape + " needs more values than the file holds");
        }
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
