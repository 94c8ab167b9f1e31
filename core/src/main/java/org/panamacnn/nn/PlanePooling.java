package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * What every pooling layer shares: [C, H, W] → [C, OH, OW], each plane pooled on its own, forward
 * and backward split over batch chunks ({@link BatchChunks}, the same split both ways, so a max's
 * arg-maxes may count from the chunk's first image). A subclass says how big the output is and
 * how a run of planes is pooled and unpooled.
 */
abstract class PlanePooling implements Layer {
    int c, h, w, oh, ow;
    private Shape inShape, outShape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private int trainedBatch = -1;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut; // forward: x → y; backward: δx ← δy
    private int taskBatch, taskCount;

    /** Sets oh and ow for the input c×h×w (already set), refusing a window that does not fit. */
    abstract void chooseOutput(Shape input);

    /** Pools `planes` planes of x from xAt into y from yAt (yAt also indexes a max's arg-maxes; x offsets count from xAt). */
    abstract void poolPlanes(int planes, float[] x, int xAt, float[] y, int yAt);

    /** δx of `planes` planes from xAt, from δy from yAt (the planes {@link #poolPlanes} pooled). */
    abstract void unpoolPlanes(int planes, float[] dy, int yAt, float[] dx, int xAt);

    @Override
    public Shape build(Shape input, BuildContext context) {
        Shapes.requireImage(this, input);
        c = input.dim(0);
        h = input.dim(1);
        w = input.dim(2);
        chooseOutput(input);
        inShape = input;
        executor = context.executor();
        outShape = Shape.of(c, oh, ow);
        output = new BatchBuffer(outShape);
        inputGrad = context.gradientBuffer(input);
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        int batch = x.batch();
        Tensor y = outputFor(batch);
        setTask(batch, x.data(), y.data());
        executor.forEach(taskCount, forwardTask);
        trainedBatch = training ? batch : -1;
        forwarded(y, training);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, trainedBatch, outShape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(batch);
        setTask(batch, dx.data(), gradOut.data());
        executor.forEach(taskCount, backwardTask);
        return dx;
    }

    /** The output tensor of a batch (a max-pool also makes room for its arg-maxes). */
    Tensor outputFor(int batch) {
        return output.get(batch);
    }

    /** Called after each forward with its output. */
    void forwarded(Tensor y, boolean training) {
    }

    /** Makes the next backward accept a gradient for a batch whose output was written elsewhere (a fused forward). */
    final void trainedOn(int batch, boolean training) {
        trainedBatch = training ? batch : -1;
    }

    /** Refuses a square window that is larger than the input with its padding on both sides. */
    final void requireWindowFits(Shape input, int window, int padding) {
        if (window > h + 2 * padding || window > w + 2 * padding) {
            throw new IllegalArgumentException(describe() + ": window " + window + " is larger than input " + input
                    + (padding > 0 ? " padded by " + padding : ""));
        }
    }

    /** The arrays the chunk tasks work on: fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] in, float[] out) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskIn = in;
        taskOut = out;
    }

    private void forwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        poolPlanes(planes, taskIn, from * c * h * w, taskOut, from * c * oh * ow);
    }

    private void backwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        unpoolPlanes(planes, taskOut, from * c * oh * ow, taskIn, from * c * h * w);
    }

    /** The input shape it was built for ([C, H, W]), or null before {@link #build}. */
    public Shape inputShape() {
        return inShape;
    }

    /** The shape of its output (per sample), or null before {@link #build}. */
    Shape outputShape() {
        return outShape;
    }
}
