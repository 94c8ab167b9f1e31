package org.panamacnn.nn;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A trainable tensor (or a saved buffer such as batch norm's running mean) and the gradient the
 * last backward pass wrote for it.
 *
 * <p>The value is the model's: it may be shared by several parameter objects, one per layer tree
 * built over the same weights (see {@link Sequential#sharingWeights}); each of them has its own
 * gradient, created when first asked for, so a model that is only evaluated holds no gradients.
 */
public final class Param {
    /**
     * While bound, the number of floats parameters may still allocate: a model built from an
     * untrusted file gets the file's own tensor count, so a header that claims a 2^30-channel
     * layer is refused before its weights are allocated (see {@link #withAllocationLimit}).
     */
    private static final ScopedValue<long[]> REMAINING = ScopedValue.newInstance();
    /** While bound, the values new parameters take instead of allocating, in creation order (see {@link #sharingValues}). */
    private static final ScopedValue<ArrayDeque<Param>> SHARED = ScopedValue.newInstance();
    /** Creation order: a layer tree built twice from the same specs creates its parameters in the same order. */
    private static final AtomicLong CREATED = new AtomicLong();

    private final String name;
    private final Tensor value;
    private final long serial = CREATED.getAndIncrement();
    private volatile Tensor grad;

    public Param(String name, Shape shape) {
        this(name, shape, 0f);
    }

    /** A parameter whose new value is filled with initial (its value is not touched when shared). */
    public Param(String name, Shape shape, float initial) {
        this.name = name;
        if (SHARED.isBound()) {
            this.value = takeShared(SHARED.get(), name, shape);
            return;
        }
        if (REMAINING.isBound()) {
            long[] left = REMAINING.get();
            if (shape.size() > left[0]) throw new AllocationLimitException(name, shape);
            left[0] -= shape.size();
        }
        this.value = new Tensor(shape);
        if (initial != 0f) Arrays.fill(value.data(), initial);
    }

    private Param(String name, Tensor value) {
        this.name = name;
        this.value = value;
    }

    /**
     * A constant-zero stand-in that is not one of the model's parameters (a bias-free layer's bias,
     * which its kernels still read): always its own new tensor, never taken from or counted as a
     * shared value, never saved or trained.
     */
    static Param zeros(String name, Shape shape) {
        return new Param(name, new Tensor(shape));
    }

    private static Tensor takeShared(ArrayDeque<Param> queue, String name, Shape shape) {
        Param source = queue.poll();
        if (source == null || !source.name.equals(name) || !source.value.shape().equals(shape)) {
            throw new IllegalStateException("the layers do not create the parameters of the model they share: "
                    + name + shape + " where the model has " + (source == null ? "none left" : source.toString()));
        }
        return source.value;
    }

    /**
     * Runs {@code build} (which creates parameters, e.g. a model from a file's architecture)
     * refusing any parameter that would take the parameters' total past {@code floats}.
     */
    public static <T> T withAllocationLimit(long floats, Supplier<T> build) {
        return ScopedValue.where(REMAINING, new long[] {floats}).call(build::get);
    }

    /**
     * Runs {@code build}, which must create parameters of the same names and shapes, in the same
     * order, as {@code source} (the parameters and buffers of a model built from the same
     * specs), giving each new parameter the value tensor of its counterpart instead of a new one.
     */
    static <T> T sharingValues(List<Param> source, Supplier<T> build) {
        ArrayDeque<Param> queue = new ArrayDeque<>(source.stream().sorted(Comparator.comparingLong(p -> p.serial)).toList());
        T built = ScopedValue.where(SHARED, queue).call(build::get);
        if (!queue.isEmpty()) {
            throw new IllegalStateException("the layers left " + queue.size() + " of the model's parameters unshared, first " + queue.peek());
        }
        return built;
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

    /** The gradient, created zeroed on first use. */
    public Tensor grad() {
        Tensor g = grad;
        if (g == null) {
            synchronized (this) {
                g = grad;
                if (g == null) grad = g = new Tensor(value.shape());
            }
        }
        return g;
    }

    /** Whether a gradient has been created (by a backward pass or {@link #grad()}). */
    public boolean hasGradient() {
        return grad != null;
    }

    /** Whether this parameter and p are views of the same value tensor. */
    public boolean sharesValueWith(Param p) {
        return value == p.value;
    }

    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
