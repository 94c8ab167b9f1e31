package org.panamacnn.tensor;

import java.util.Arrays;

/**
 * A shape over a float[] in row-major (NCHW) order. The array may be longer than the shape
 * needs — layers keep one buffer sized for their largest batch and view a prefix of it — so
 * code reads {@link #size()} elements from offset 0, never {@code data().length}.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    public Tensor(Shape shape) {
        this(shape, new float[shape.size()]);
    }

    public Tensor(Shape shape, float[] data) {
        if (data.length < shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size()
                    + " elements but the array has " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data);
    }

    public Shape shape() {
        return shape;
    }

    /** The backing array; only the first {@link #size()} elements belong to this tensor. */
    public float[] data() {
        return data;
    }

    public int size() {
        return shape.size();
    }

    /** The first dimension: the batch for layer inputs and outputs. */
    public int batch() {
        return shape.dim(0);
    }

    /** A view of the same elements under another shape of the same size. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + size() + " elements) to "
                    + newShape + " (" + newShape.size() + " elements)");
        }
        return new Tensor(newShape, data);
    }

    public float get(int index) {
        return data[index];
    }

    /** A copy of exactly the tensor's elements. */
    public float[] toArray() {
        return Arrays.copyOf(data, size());
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
