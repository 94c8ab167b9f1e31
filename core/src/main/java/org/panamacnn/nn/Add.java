package org.panamacnn.nn;

import java.util.List;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
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
    private ParallelExecutor executor;
    private final IntConsumer forwardTask = this::forwardChunk;
    private Tensor[] taskIn;
    private Tensor taskOut;
    private int taskCount;

    @Override
    public Shape build(List<Shape> inputs, ParallelExecutor executor) {
        this.executor = executor;
        Merge.requireTwoOrMore("add", inputs);
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
        taskOut = output.get(inputs[0].batch());
        taskIn = inputs;
        taskCount = BatchChunks.count(inputs[0].batch());
        executor.forEach(taskCount, forwardTask);
        taskIn = null;
        return taskOut;
    }

    /** The images of chunk c (a memory-bound pass, split over the batch like the layers around it). */
    private void forwardChunk(int c) {
        int per = shape.size(), batch = taskOut.batch();
        int from = BatchChunks.start(c, taskCount, batch) * per, n = BatchChunks.start(c + 1, taskCount, batch) * per - from;
        float[] out = taskOut.data();
        if (taskIn.length == 1) System.arraycopy(taskIn[0].data(), from, out, from, n);
        else Blas1.addInto(n, taskIn[0].data(), from, taskIn[1].data(), from, out, from); // one pass, not a copy then an add
        for (int i = 2; i < taskIn.length; i++) Blas1.add(n, taskIn[i].data(), from, out, from);
    }

    @Override
    public void backward(Tensor gradOut, Tensor[] gradIn) {
        java.util.Arrays.fill(gradIn, gradOut);
    }

    @Override
    public Add copy() {
        return new Add();
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
