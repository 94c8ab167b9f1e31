package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * What the layers that map each element on its own share (activations, per-channel constants):
 * output shape = input shape, an output and an input-gradient buffer, and one memory-bound pass
 * each way split over batch chunks (whole samples, so a chunk knows each element's channel).
 * Backward reads the input the training forward kept. A chunk's tasks are fields, not captures,
 * so a call allocates nothing.
 */
abstract class ElementwiseLayer implements Layer {
    Shape shape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    /** The input of the last training forward (null after an evaluation forward). */
    private Tensor input;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut, taskGrad;
    private int taskBatch, taskCount;

    /** y = f(x) on the elements [from, from + n) (whole samples). */
    abstract void forward(float[] x, float[] y, int from, int n);

    /** dx = δy·f'(x) on the elements [from, from + n) (whole samples). */
    abstract void backward(float[] dy, float[] x, float[] dx, int from, int n);

    /** Checks a layer's own requirements on its input shape (called by {@link #build}). */
    void checkInput(Shape input) {}

    @Override
    public Shape build(Shape input, BuildContext context) {
        checkInput(input);
        shape = input;
        executor = context.executor();
        output = new BatchBuffer(input);
        inputGrad = context.gradientBuffer(input);
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        Tensor y = output.get(x.batch());
        runForward(x.batch(), x.data(), y.data());
        input = training ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), shape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(gradOut.batch());
        runBackward(gradOut.batch(), input.data(), dx.data(), gradOut.data());
        return dx;
    }

    /** This layer's output buffer for a batch. */
    Tensor output(int batch) {
        return output.get(batch);
    }

    /** This layer's input-gradient buffer for a batch. */
    Tensor inputGradient(int batch) {
        return inputGrad.get(batch);
    }

    /** {@link #forward(float[], float[], int, int)} over the batch's chunks. */
    void runForward(int batch, float[] x, float[] y) {
        runChunks(forwardTask, batch, x, y, null);
    }

    /** {@link #backward(float[], float[], float[], int, int)} over the batch's chunks. */
    void runBackward(int batch, float[] x, float[] dx, float[] dy) {
        runChunks(backwardTask, batch, x, dx, dy);
    }

    private void runChunks(IntConsumer task, int batch, float[] in, float[] out, float[] grad) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskIn = in;
        taskOut = out;
        taskGrad = grad;
        executor.forEach(taskCount, task);
    }

    /** Chunk c of the batch as elements: {from, count}. */
    private int from(int c) {
        return BatchChunks.start(c, taskCount, taskBatch) * shape.size();
    }

    private int count(int c) {
        return BatchChunks.start(c + 1, taskCount, taskBatch) * shape.size() - from(c);
    }

    private void forwardChunk(int c) {
        forward(taskIn, taskOut, from(c), count(c));
    }

    private void backwardChunk(int c) {
        backward(taskGrad, taskIn, taskOut, from(c), count(c));
    }
}
