package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Relu;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * a = max(z, 0); backward δz = δa ⊙ 1[z > 0], with the mask recorded by the forward pass.
 *
 * <p>When {@link Sequential} fuses it into the layer before (a {@link ReluFusable} that already
 * rectifies its output), forward passes its input through untouched and backward takes the
 * mask from that output, since a > 0 exactly where z > 0. When a max-pool follows as well, the
 * pool's backward applies the mask ({@code MaxPool.backwardThroughRelu}) and this one passes the
 * gradient through.
 */
public final class ReLU implements Layer {
    private boolean fused;
    /** The max-pool after it or the batch norm before it applies this ReLU's backward, so backward passes the gradient on. */
    private boolean backwardElsewhere;
    private Tensor rectified;
    private Shape shape;
    private BatchBuffer output, inputGrad;
    private boolean[] mask = new boolean[0];
    private int trainedBatch = -1;
    private ParallelExecutor executor;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    /** The chunk tasks' input and output: x and y in forward, δy and δx in backward. */
    private float[] taskDy, taskDx;
    private int taskBatch, taskCount;
    private boolean taskTraining;

    @Override
    public Shape build(Shape input, BuildContext context) {
        shape = input;
        this.executor = context.executor();
        output = new BatchBuffer(input);
        inputGrad = new BatchBuffer(input);
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        if (fused) {
            rectified = x;
            trainedBatch = training ? x.batch() : -1;
            return x;
        }
        Tensor y = output.get(x.batch());
        int n = x.size();
        if (training && mask.length < n) mask = new boolean[n];
        taskTraining = training;
        setTask(x.batch(), x.data(), y.data());
        executor.forEach(taskCount, forwardTask);
        trainedBatch = training ? x.batch() : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, trainedBatch, shape, gradOut);
        if (!inputGradient) return null;
        if (backwardElsewhere) return gradOut;
        Tensor dx = inputGrad.get(gradOut.batch());
        setTask(gradOut.batch(), gradOut.data(), dx.data());
        executor.forEach(taskCount, backwardTask);
        return dx;
    }

    /** What the chunk tasks read (in) and write (out): fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] in, float[] out) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskDy = in;
        taskDx = out;
    }

    /** y and (training) the mask for the images of chunk c: a memory-bound pass, split over the batch like backward. */
    private void forwardChunk(int c) {
        int per = shape.size();
        int from = BatchChunks.start(c, taskCount, taskBatch) * per, n = BatchChunks.start(c + 1, taskCount, taskBatch) * per - from;
        if (taskTraining) Relu.forward(n, taskDy, from, taskDx, from, mask, from);
        else Relu.forward(n, taskDy, from, taskDx, from);
    }

    /** δz for the images of chunk c (a memory-bound pass, so split over the batch like the layers around it). */
    private void backwardChunk(int c) {
        int per = shape.size();
        int from = BatchChunks.start(c, taskCount, taskBatch) * per, n = BatchChunks.start(c + 1, taskCount, taskBatch) * per - from;
        if (fused) Relu.backwardFromOutput(n, taskDy, from, rectified.data(), from, taskDx, from);
        else Relu.backward(n, taskDy, from, mask, from, taskDx, from);
    }

    /** Marks this ReLU as applied by the layer before it (see {@link ReluFusable}). */
    void fuseIntoPrevious() {
        fused = true;
    }

    /** Marks this (fused) ReLU's backward as done by the max-pool after it: backward returns its input. */
    void backwardDoneByNext() {
        backwardElsewhere = true;
    }

    /** Marks this (fused) ReLU's backward as done by the layer before it (a batch norm masks its own gradient): backward returns its input. */
    void backwardDoneElsewhere() {
        backwardElsewhere = true;
    }

    @Override
    public ReLU copy() {
        return new ReLU();
    }

    @Override
    public String spec() {
        return "relu";
    }

    @Override
    public String describe() {
        return fused ? "ReLU (fused)" : "ReLU";
    }
}
