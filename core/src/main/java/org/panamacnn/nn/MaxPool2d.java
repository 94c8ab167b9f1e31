package org.panamacnn.nn;

import org.panamacnn.simd.MaxPool;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Max-pooling over k×k windows with a stride and a padding that counts as −∞ (PyTorch's
 * MaxPool2d(k, s, padding=p), p ≤ k/2: the window's max over its cells inside the plane). Forward records each window's
 * arg-max; backward sends each output gradient to it ("unpooling"), adding where windows overlap.
 * After a ReLU in a {@link Sequential}, backward also applies that ReLU's mask (one pass instead of two).
 */
public final class MaxPool2d extends PlanePooling {
    private final int window, stride, padding;
    private int[] argmax = new int[0];
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
    void chooseOutput(Shape input) {
        requireWindowFits(input, window, padding);
        oh = MaxPool.outSize(h, window, stride, padding);
        ow = MaxPool.outSize(w, window, stride, padding);
    }

    @Override
    void forwarded(Tensor y, boolean training) {
        pooled = training ? y : null;
    }

    /**
     * Records y, which a convolution pooled into this layer's output plane by plane
     * ({@link Conv2d#forwardPooled}), as this layer's forward output: {@link #unpoolPlane} masks with it.
     */
    void pooledByConvolution(Tensor y, boolean training) {
        trainedOn(y.batch(), training);
        pooled = training ? y : null;
    }

    /** The output of a batch, with room for its arg-maxes: also what {@link #poolPlane} writes into. */
    @Override
    Tensor outputFor(int batch) {
        Tensor y = super.outputFor(batch);
        if (argmax.length < y.size()) argmax = new int[y.size()];
        return y;
    }

    /**
     * Pools one h×w plane, channel ch of image n, found at z[zOff..] (the convolution's group
     * output), into y = {@link #outputFor}; its arg-maxes are recorded relative to image first,
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

    /** Arg-max offsets are relative to the chunk's first image (backward uses the same split). */
    @Override
    void poolPlanes(int planes, float[] x, int xAt, float[] y, int yAt) {
        MaxPool.forward(planes, h, w, window, stride, padding, x, xAt, y, yAt, argmax, yAt, 0);
    }

    @Override
    void unpoolPlanes(int planes, float[] dy, int yAt, float[] dx, int xAt) {
        if (reluBefore) {
            MaxPool.backwardThroughRelu(planes, h, w, window, stride, padding, dy, yAt, pooled.data(), yAt, argmax, yAt, dx, xAt, 0);
        } else {
            MaxPool.backward(planes, h, w, window, stride, padding, dy, yAt, argmax, yAt, dx, xAt);
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
