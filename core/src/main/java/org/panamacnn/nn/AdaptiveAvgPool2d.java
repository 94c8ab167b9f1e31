package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.AdaptivePool;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * PyTorch's AdaptiveAvgPool2d((outHeight, outWidth)): any h×w plane to a fixed size, output (i, j)
 * the mean of input rows ⌊i·h/oh⌋ .. ⌈(i+1)·h/oh⌉ and columns alike ({@link AdaptivePool}). VGG's
 * AdaptiveAvgPool2d((7, 7)) is the identity on 224×224 images (a 7×7 map), averages overlapping
 * windows on larger ones and repeats cells on smaller ones. Backward spreads δy / cell count over
 * each window. Split over batch chunks.
 */
public final class AdaptiveAvgPool2d implements Layer {
    /** Largest output extent accepted (a spec or file cannot ask for a huge buffer). */
    public static final int MAX_OUT = 4096;

    private final int outHeight, outWidth;
    private Shape inShape, outShape;
    private int c, h, w;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private int trainedBatch = -1;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut;
    private int taskBatch, taskCount;

    public AdaptiveAvgPool2d(int outHeight, int outWidth) {
        if (outHeight < 1 || outWidth < 1 || outHeight > MAX_OUT || outWidth > MAX_OUT) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size " + outHeight + "×" + outWidth + " must be in 1.." + MAX_OUT);
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        Shapes.requireImage(this, input);
        c = input.dim(0);
        h = input.dim(1);
        w = input.dim(2);
        inShape = input;
        executor = context.executor();
        outShape = Shape.of(c, outHeight, outWidth);
        output = new BatchBuffer(outShape);
        inputGrad = new BatchBuffer(input);
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        int batch = x.batch();
        Tensor y = output.get(batch);
        setTask(batch, x.data(), y.data());
        executor.forEach(taskCount, forwardTask);
        trainedBatch = training ? batch : -1;
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

    private void setTask(int batch, float[] in, float[] out) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskIn = in;
        taskOut = out;
    }

    private void forwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        AdaptivePool.averageForward(planes, h, w, outHeight, outWidth, taskIn, from * c * h * w, taskOut, from * c * outHeight * outWidth);
    }

    private void backwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        AdaptivePool.averageBackward(planes, h, w, outHeight, outWidth, taskOut, from * c * outHeight * outWidth, taskIn, from * c * h * w);
    }

    /** The input shape it was built for ([C, H, W]), or null before {@link #build}. */
    public Shape inputShape() {
        return inShape;
    }

    public int outHeight() {
        return outHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    @Override
    public AdaptiveAvgPool2d copy() {
        return new AdaptiveAvgPool2d(outHeight, outWidth);
    }

    @Override
    public String spec() {
        return "adaptiveavgpool2d out=" + outHeight + (outWidth != outHeight ? "," + outWidth : "");
    }

    @Override
    public String describe() {
        return "AdaptiveAvgPool2d(" + outHeight + "×" + outWidth + ")";
    }
}
