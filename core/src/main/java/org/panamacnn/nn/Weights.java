package org.panamacnn.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A model's tensors — trainable parameters and saved buffers such as batch norm's running
 * statistics — by their full names ("3.weight", "b1.main.0.running_mean"), held once.
 *
 * <p>A model is built over new weights: each layer creates its tensors here as it is built, up to
 * a limit on the total (a model read from an untrusted file may allocate no more than the file
 * holds). A training state is built over the same object {@link #shared() shared}: its layers
 * take the model's tensors by name instead of creating them, so they read and update the same
 * values while keeping their own gradients and scratch; a name or shape the model lacks is an error.
 */
public final class Weights {
    /** What a tensor past the limit is told: the values the file holds, unless another limit is named. */
    private static final String FILE_HOLDS = "needs more values than the file holds";

    private final Map<String, Tensor> tensors;
    private final boolean creating;
    private long remaining;
    private int taken;
    private final String limitReason;

    private Weights(Map<String, Tensor> tensors, boolean creating, long limit, String limitReason) {
        this.tensors = tensors;
        this.creating = creating;
        this.remaining = limit;
        this.limitReason = limitReason;
    }

    /** New, empty weights that layers fill as they are built. */
    public static Weights create() {
        return limitedTo(Long.MAX_VALUE);
    }

    /** New weights refusing any tensor that would take the total past {@code floats} values. */
    public static Weights limitedTo(long floats) {
        return new Weights(new LinkedHashMap<>(), true, floats, FILE_HOLDS);
    }

    /**
     * As {@link #limitedTo(long)}, for a limit other than the file's size: a tensor past it is
     * refused with "parameter 1.weight[88888, 144] " + reason, e.g. "would take the model past the
     * 262,144 parameters a model definition may have here".
     */
    public static Weights limitedTo(long floats, String reason) {
        return new Weights(new LinkedHashMap<>(), true, floats, reason);
    }

    /** These tensors for a second set of layers to take by name (no new tensor may be created). */
    public Weights shared() {
        return new Weights(tensors, false, 0, FILE_HOLDS);
    }

    /**
     * The tensor called name: created (filled with initial) when these weights are being created,
     * else the existing one, which must have that shape.
     */
    Tensor take(String name, Shape shape, float initial) {
        if (creating) {
            if (tensors.containsKey(name)) throw new IllegalStateException("two tensors of the model are both named " + name);
            if (shape.size() > remaining) throw new AllocationLimitException(name, shape, limitReason);
            remaining -= shape.size();
            Tensor t = new Tensor(shape);
            if (initial != 0f) java.util.Arrays.fill(t.data(), initial);
            tensors.put(name, t);
            return t;
        }
        Tensor t = tensors.get(name);
        if (t == null || !t.shape().equals(shape)) {
            throw new IllegalStateException("the layers do not match the model they share: they ask for " + name + shape
                    + " where the model has " + (t == null ? "no such tensor" : name + t.shape()));
        }
        taken++;
        return t;
    }

    /** Throws unless shared layers have taken every tensor (the same architecture built twice). */
    void requireAllTaken() {
        if (!creating && taken != tensors.size()) {
            throw new IllegalStateException("the layers took " + taken + " of the model's " + tensors.size() + " tensors");
        }
    }

    /** Every tensor by full name, in creation order (read-only). */
    public Map<String, Tensor> byName() {
        return Collections.unmodifiableMap(tensors);
    }

    /** A tensor that would pass the limit set by {@link #limitedTo}. */
    public static final class AllocationLimitException extends IllegalArgumentException {
        AllocationLimitException(String name, Shape shape, String reason) {
            super("parameter " + name + shape + " " + reason);
        }
    }
}
