package org.panamacnn.nn;

import java.util.List;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Joins its inputs along the first per-sample dimension — channels for images [C, H, W],
 * features for [F] — as torch.cat(dim=1): image n's output is input 0's block of image n, then
 * input 1's, and so on. Backward hands each input its slice of δy.
 */
public final class Concat implements Merge {
    private int[] sizes; // per-sample floats of each input
    private int outSize;
    private BatchBuffer output;
    private BatchBuffer[] inputGrads;
    private ParallelExecutor executor;
    private final IntConsumer forwardTask = c -> copyChunk(c, true), backwardTask = c -> copyChunk(c, false);
    private Tensor[] taskParts;
    private Tensor taskWhole;
    private int taskCount;

    @Override
    public Shape build(List<Shape> inputs, ParallelExecutor executor) {
        this.executor = executor;
        Merge.requireTwoOrMore("concat", inputs);
        Shape first = inputs.getFirst();
        int joined = 0;
        sizes = new int[inputs.size()];
        inputGrads = new BatchBuffer[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            Shape s = inputs.get(i);
            boolean fits = s.rank() == first.rank();
            for (int d = 1; fits && d < s.rank(); d++) fits = s.dim(d) == first.dim(d);
            if (!fits) {
                throw new IllegalArgumentException("concat joins along the first dimension; the others must agree, got "
                        + first + " and " + s);
            }
            joined = Math.addExact(joined, s.dim(0));
            sizes[i] = s.size();
            inputGrads[i] = new BatchBuffer(s);
        }
        int[] dims = new int[first.rank()];
        dims[0] = joined;
        for (int d = 1; d < dims.length; d++) dims[d] = first.dim(d);
        Shape out = Shape.of(dims);
        outSize = out.size();
        output = new BatchBuffer(out);
        return out;
    }

    @Override
    public Tensor forward(Tensor[] inputs) {
        run(output.get(inputs[0].batch()), inputs, forwardTask);
        return taskWhole;
    }

    @Override
    public void backward(Tensor gradOut, Tensor[] gradIn) {
        for (int i = 0; i < gradIn.length; i++) gradIn[i] = inputGrads[i].get(gradOut.batch());
        run(gradOut, gradIn, backwardTask);
    }

    private void run(Tensor whole, Tensor[] parts, IntConsumer task) {
        taskWhole = whole;
        taskParts = parts;
        taskCount = BatchChunks.count(whole.batch());
        executor.forEach(taskCount, task);
        taskParts = null;
    }

    /** Images of chunk c: each part's block into the whole (forward) or out of it (backward). */
    private void copyChunk(int c, boolean join) {
        int batch = taskWhole.batch();
        float[] whole = taskWhole.data();
        for (int n = BatchChunks.start(c, taskCount, batch), end = BatchChunks.start(c + 1, taskCount, batch); n < end; n++) {
            int at = n * outSize;
            for (int i = 0; i < taskParts.length; i++) {
                float[] part = taskParts[i].data();
                if (join) System.arraycopy(part, n * sizes[i], whole, at, sizes[i]);
                else System.arraycopy(whole, at, part, n * sizes[i], sizes[i]);
                at += sizes[i];
            }
        }
    }

    @Override
    public Concat copy() {
        return new Concat();
    }

    @Override
    public String spec() {
        return "concat";
    }

    @Override
    public String describe() {
        return "Concat";
    }
}
