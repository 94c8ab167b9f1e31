package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.MaxPool;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Max-pooling over k×k windows with a stride and a padding that counts as −∞ (PyTorch's
 * MaxPool2d(k, s, padding=p), p ≤ k/2: the window's max over its cells inside the plane). Forward records each window's
 * arg-max; backward sends each output gradient to it ("unpooling"), adding where windows overlap.
 * After a ReLU in a {@link Sequential}, backward also applies that ReLU's mask (one pass instead of two).
 */
public final class MaxPool2d implements Layer {
    private final int window, stride, padding;
    private Shape inShape, outShape;
    private int c, h, w, oh, ow;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private int[] argmax = new int[0];
    private int trainedBatch = -1;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut; // forward: x → y; backward: δx ← δy
    private int taskBatch, taskCount;
    /** Set by {@link Sequential} when a ReLU comes right before: backward applies that ReLU's backward too. */
    private boolean reluBefore;
    /** The output of the last training forward (this layer's, or the one a convolution pooled into it). */
    private Tensor pooled;

    /** Non-overlapping k×k pooling (stride k). */
    public MaxPool2d(int window) {
        this(window, window);
    }

    public MaxPool2d(int window, int stride) {
        this(window, stride, 0);
    }

    /** Padding counts as −∞ and may be at most window / 2 (as in PyTorch). */
    public MaxPool2d(int window, int stride, int padding) {
        if (window <= 0 || stride <= 0 || padding < 0) {
            throw LayerSettings.outOfRange("MaxPool2d", "window", window, 1, "stride", stride, 1, "padding", padding, 0);
        }
        if (2 * padding > window) {
            throw new IllegalArgumentException("MaxPool2d: padding " + padding + " must be at most half the window " + window);
        }
        this.window = window;
        this.stride = stride;
        this.padding = padding;
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
        oh = MaxPool.outSize(h, window, stride, padding);
        ow = MaxPool.outSize(w, window, stride, padding);
        inShape = input;
        this.executor = context.executor();
        Shape out = Shape.of(c, oh, ow);
        outShape = out;
        output = new BatchBuffer(out);
        inputGrad = context.gradientBuffer(input);
        return out;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        int batch = x.batch();
        Tensor y = outputWithArgmaxes(batch);
        setTask(batch, x.data(), y.data());
        executor.forEach(taskCount, forwardTask);
        trainedBatch = training ? batch : -1;
        pooled = training ? y : null;
        return y;
    }

    /**
     * Records y, which a convolution pooled into this layer's output plane by plane
     * ({@link Conv2d#forwardPooled}), as this layer's forward output: {@link #unpoolPlane} masks with it.
     */
    void pooledByConvolution(Tensor y, boolean training) {
        trainedBatch = training ? y.batch() : -1;
        pooled = training ? y : null;
    }

    /** The output of a batch, with room for its arg-maxes: what {@link #poolPlane} writes into. */
    Tensor outputWithArgmaxes(int batch) {
        Tensor y = output.get(batch);
        if (argmax.length < y.size()) argmax = new int[y.size()];
        return y;
    }

    /**
     * Pools one h×w plane, channel ch of image n, found at z[zOff..] (the convolution's group
     * output), into y = {@link #outputWithArgmaxes}; its arg-maxes are recorded relative to image first,
     * the first of n's batch chunk, as {@link #forward} records them.
     */
    void poolPlane(float[] z, int zOff, float[] y, int n, int ch, int first) {
        int outAt = outputAt(n, ch);
        MaxPool.forward(1, h, w, window, stride, padding, z, zOff, y, outAt, argmax, outAt, inputInChunk(n, ch, first));
    }

    /** Where plane (n, ch) of the output (and of the arg-maxes) starts. */
    private int outputAt(int n, int ch) {
        return (n * c + ch) * oh * ow;
    }

    /** Where plane (n, ch) of the input starts within its batch chunk (from image first): what arg-maxes count from. */
    private int inputInChunk(int n, int ch, int first) {
        return ((n - first) * c + ch) * h * w;
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

    /** The arrays the chunk tasks work on: fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] in, float[] out) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskIn = in;
        taskOut = out;
    }

    /** Chunk k of the forward; arg-max offsets are relative to the chunk's first image (backward uses the same split). */
    private void forwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), to = BatchChunks.start(k + 1, taskCount, taskBatch);
        int inPer = c * h * w, outPer = c * oh * ow;
        MaxPool.forward((to - from) * c, h, w, window, stride, padding, taskIn, from * inPer, taskOut, from * outPer, argmax, from * outPer, 0);
    }

    private void backwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), to = BatchChunks.start(k + 1, taskCount, taskBatch);
        int inPer = c * h * w, outPer = c * oh * ow;
        if (reluBefore) {
            MaxPool.backwardThroughRelu((to - from) * c, h, w, window, stride, padding, taskOut, from * outPer,
                    pooled.data(), from * outPer, argmax, from * outPer, taskIn, from * inPer, 0);
        } else {
            MaxPool.backward((to - from) * c, h, w, window, stride, padding, taskOut, from * outPer, argmax, from * outPer, taskIn, from * inPer);
        }
    }

    /**
     * The backward of this pool and the ReLU before it for one plane, channel ch of image n (first
     * is the first image of n's batch chunk): δz of the plane into dz[dzOff..] (the convolution's
     * group matrix), from dy, the gradient of this layer's output.
     */
    void unpoolPlane(float[] dy, float[] dz, int dzOff, int n, int ch, int first) {
        int outAt = outputAt(n, ch);
        MaxPool.backwardThroughRelu(1, h, w, window, stride, padding, dy, outAt, pooled.data(), outAt, argmax, outAt,
                dz, dzOff, inputInChunk(n, ch, first));
    }

    /** The shape of this layer's output (per sample). */
    Shape outputShape() {
        return outShape;
    }

    /** Makes backward also do the backward of the ReLU before this pool (see {@link MaxPool#backwardThroughRelu}). */
    void takeOverReluBackward() {
        reluBefore = true;
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

    @Override
    public MaxPool2d copy() {
        return new MaxPool2d(window, stride, padding);
    }

    @Override
    public String spec() {
        return "maxpool2d window=" + window + " stride=" + stride + (padding > 0 ? " pad=" + padding : "");
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + window + "×" + window + ", stride " + stride + (padding > 0 ? ", pad " + padding : "") + ")";
    }
}
