package org.panamacnn.nn;

import java.util.List;
import org.panamacnn.simd.Blas1;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * y = x₀ + x₁ + … + xₙ₋₁ (inputs of one shape, summed left to right so the result does not
 * depend on anything but the order of the node's inputs). Backward passes δy to every input:
 * ∂y/∂xᵢ = I.
 */
public final class Add implements Merge {
    private Shape shape;
    private BatchBuffer output;

    @Override
    public Shape build(List<Shape> inputs) {
        if (inputs.size() < 2) throw new IllegalArgumentException("add needs at least two inputs, got " + inputs.size());
        for (Shape s : inputs) {
            if (!s.equals(inputs.getFirst())) {
                throw new IllegalArgumentException("add needs inputs of one shape; got " + inputs.getFirst() + " and " + s);
            }
        }
        shape = inputs.getFirst();
        output = new BatchBuffer(shape);
        return shape;
    }

    @Override
    public Tensor forward(Tensor[] inputs) {
        Tensor y = output.get(inputs[0].batch());
        int n = y.size();
        System.arraycopy(inputs[0].data(), 0, y.data(), 0, n);
        for (int i = 1; i < inputs.length; i++) Blas1.add(n, inputs[i].data(), 0, y.data(), 0);
        return y;
    }

    @Override
    public void backward(Tensor gradOut, Tensor[] gradIn) {
        java.util.Arrays.fill(gradIn, gradOut);
    }

    @Override
    public String spec() {
        return "add";
    }

    @Override
    public String describe() {
        return "Add";
    }
}
