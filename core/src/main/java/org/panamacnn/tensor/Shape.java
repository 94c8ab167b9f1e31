package org.panamacnn.tensor;

import java.util.Arrays;

/** An immutable list of dimensions, outermost first (NCHW for images). */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d <= 0) throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of the dimensions (1 for rank 0). */
    public int size() {
        long n = 1;
        for (int d : dims) n *= d;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + this + " has more than 2^31 elements");
        return (int) n;
    }

    /** [batch, this...]. */
    public Shape withBatch(int batch) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** This shape without its first dimension. */
    public Shape dropFirst() {
        if (dims.length == 0) throw new IllegalStateException("rank-0 shape has no first dimension");
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** True when this shape is [batch, sample...] for some batch (compared in place, nothing allocated). */
    public boolean isBatchOf(Shape sample) {
        if (dims.length != sample.dims.length + 1) return false;
        for (int i = 0; i < sample.dims.length; i++) if (dims[i + 1] != sample.dims[i]) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
