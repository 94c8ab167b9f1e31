package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.WindowPool;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Max- or average-pooling with all of PyTorch's settings that {@link MaxPool2d} and
 * {@link AvgPool2d} lack: ceil mode (the last window may reach past the padding, and must start
 * inside the input or its left padding), padding on an average pool, and count_include_pad
 * ({@link WindowPool} for the windows, divisors and passes). The max records each window's
 * arg-max and backward sends the gradient there; the average spreads δy / divisor over the window's
 * input cells. Split over batch chunks.
 */
public final class WindowPool2d implements Layer {
    private final boolean average, ceil, countPad;
    private final int window, stride, padding;
    private Shape inShape, outShape;
    private int c, h, w, oh, ow;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private int[] argmax = new int[0];
    private int trainedBatch = -1;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut;
    private int taskBatch, taskCount;

    private WindowPool2d(boolean average, int window, int stride, int padding, boolean ceil, boolean countPad) {
        String name = average ? "AvgPool2d" : "MaxPool2d";
        if (window <= 0 || stride <= 0 || padding < 0) {
            throw LayerSettings.outOfRange(name, "window", window, 1, "stride", stride, 1, "padding", padding, 0);
        }
        if (2 * padding > window) throw new IllegalArgumentException(name + ": padding " + padding + " must be at most half the window " + window);
        this.average = average;
        this.window = window;
        this.stride = stride;
        this.padding = padding;
        this.ceil = ceil;
        this.countPad = countPad;
    }

    /** PyTorch's MaxPool2d(window, stride, padding, ceil_mode=ceil). */
    public static WindowPool2d max(int window, int stride, int padding, boolean ceil) {
        return new WindowPool2d(false, window, stride, padding, ceil, true);
    }

    /** PyTorch's AvgPool2d(window, stride, padding, ceil_mode=ceil, count_include_pad=countPad). */
    public static WindowPool2d average(int window, int stride, int padding, boolean ceil, boolean countPad) {
        return new WindowPool2d(true, window, stride, padding, ceil, countPad);
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        Shapes.requireImage(this, input);
        c = input.dim(0);
        h = input.dim(1);
        w = input.dim(2);
        if (window > h + 2 * padding || window > w + 2 * padding) {
            throw new IllegalArgumentException(describe() + ": window " + window + " is larger than input " + input
                    + (padding > 0 ? " padded by " + padding : ""));
        }
        oh = WindowPool.outSize(h, window, stride, padding, ceil);
        ow = WindowPool.outSize(w, window, stride, padding, ceil);
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
        Tensor y = output.get(batch);
        if (!average && argmax.length < y.size()) argmax = new int[y.size()];
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

    /** Chunk k of the forward; arg-maxes are relative to the chunk's first image (backward uses the same split). */
    private void forwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        int xAt = from * c * h * w, yAt = from * c * oh * ow;
        if (average) WindowPool.averageForward(planes, h, w, window, stride, padding, countPad, oh, ow, taskIn, xAt, taskOut, yAt);
        else WindowPool.maxForward(planes, h, w, window, stride, padding, oh, ow, taskIn, xAt, taskOut, yAt, argmax, yAt);
    }

    private void backwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        int xAt = from * c * h * w, yAt = from * c * oh * ow;
        if (average) WindowPool.averageBackward(planes, h, w, window, stride, padding, countPad, oh, ow, taskOut, yAt, taskIn, xAt);
        else WindowPool.maxBackward(planes, h, w, oh, ow, taskOut, yAt, argmax, yAt, taskIn, xAt);
    }

    public boolean isAverage() {
        return average;
    }

    public int window() {
        return window;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public boolean ceilMode() {
        return ceil;
    }

    /** Whether an average's divisor counts the padded cells (PyTorch's count_include_pad). */
    public boolean countsPadding() {
        return countPad;
    }

    @Override
    public WindowPool2d copy() {
        return new WindowPool2d(average, window, stride, padding, ceil, countPad);
    }

    @Override
    public String spec() {
        return (average ? "avgpool2d" : "maxpool2d") + " window=" + window + " stride=" + stride + (padding > 0 ? " pad=" + padding : "")
                + (ceil ? " ceil=true" : "") + (average && !countPad ? " count_include_pad=false" : "");
    }

    @Override
    public String describe() {
        return (average ? "AvgPool2d(" : "MaxPool2d(") + window + "×" + window + ", stride " + stride + (padding > 0 ? ", pad " + padding : "")
                + (ceil ? ", ceil" : "") + (average && !countPad ? ", padding not counted" : "") + ")";
    }
}
