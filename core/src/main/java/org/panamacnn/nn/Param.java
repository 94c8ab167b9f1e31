package org.panamacnn.nn;

import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A trainable tensor (or a saved buffer such as batch norm's running mean) and the gradient the
 * last backward pass wrote for it.
 *
 * <p>The value is the model's, held in its {@link Weights}: several parameter objects may share
 * it, one per set of layers built over the same weights (a model and each of its training
 * states); each has its own gradient, created when first asked for, so a model that is only
 * evaluated holds no gradients.
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private volatile Tensor grad;

    /** A parameter with a new, zero value of its own (outside any model's weights). */
    public Param(String name, Shape shape) {
        this(name, new Tensor(shape));
    }

    /** A parameter over value, which it shares with whoever else holds it. */
    Param(String name, Tensor value) {
        this.name = name;
        this.value = value;
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
