package org.panamacnn.nn;

import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** A trainable tensor and the gradient the last backward pass wrote for it. */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Param(String name, Shape shape) {
        this.name = name;
        this.value = new Tensor(shape);
        this.grad = new Tensor(shape);
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
