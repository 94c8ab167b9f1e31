package org.panamacnn.nn;

import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.MaxPool;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Max-pooling over k×k windows with a stride (no padding). Forward records each window's
 * arg-max; backward sends each output gradient to it ("unpooling"), adding where windows overlap.
 */
public final class MaxPool2d implements Layer {
    private final int window, stride;
    private Shape inShape;
    private int c, h, w, oh, ow;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private int[] argmax = new int[0];
    private int trainedBatch = -1;

    /** Non-overlapping k×k pooling (stride k). */
    public MaxPool2d(int window) {
        this(window, window);
    }

    public MaxPool2d(int window, int stride) {
        if (window <= 0 || stride <= 0) {
            throw new IllegalArgumentException("bad MaxPool2d(window " + window + ", stride " + stride + ")");
        }
        this.window = window;
        this.stride = stride;
    }

    @Override
    public Shape build(Shape input, ParallelExecutor executor) {
        Shapes.requireImage(describe(), input);
        c = input.dim(0);
        h = input.dim(1);
        w = input.dim(2);
        if (window > h || window > w) {
            throw new IllegalArgumentException(describe() + ": window " + window + " is larger than input " + input);
        }
        oh = MaxPool.outSize(h, window, stride);
        ow = MaxPool.outSize(w, window, stride);
        inShape = input;
        this.executor = executor;
        Shape out = Shape.of(c, oh, ow);
        output = new BatchBuffer(out);
        inputGrad = new BatchBuffer(input);
        return out;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(describe(), inShape);
        Shapes.requireBatchOf(describe(), inShape, x);
        int batch = x.batch();
        Tensor y = output.get(batch);
        if (argmax.length < y.size()) argmax = new int[y.size()];
        int count = BatchChunks.count(batch);
        int inPer = c * h * w, outPer = c * oh * ow;
        executor.forEach(count, k -> {
            int from = BatchChunks.start(k, count, batch), to = BatchChunks.start(k + 1, count, batch);
            // arg-max offsets are relative to the chunk's first image; backward uses the same split.
            MaxPool.forward((to - from) * c, h, w, window, stride, x.data(), from * inPer,
                    y.data(), from * outPer, argmax, from * outPer);
        });
        trainedBatch = training ? batch : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        if (trainedBatch < 0) throw new IllegalStateException(describe() + ": backward without a training forward");
        Shapes.requireBatchOf(describe(), Shape.of(c, oh, ow), gradOut);
        int batch = gradOut.batch();
        if (batch != trainedBatch) {
            throw new IllegalArgumentException(describe() + ": gradient batch " + batch
                    + " differs from forward batch " + trainedBatch);
        }
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(batch);
        int count = BatchChunks.count(batch);
        int inPer = c * h * w, outPer = c * oh * ow;
        executor.forEach(count, k -> {
            int from = BatchChunks.start(k, count, batch), to = BatchChunks.start(k + 1, count, batch);
            MaxPool.backward((to - from) * c, h, w, window, stride, gradOut.data(), from * outPer,
                    argmax, from * outPer, dx.data(), from * inPer);
        });
        return dx;
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + window + "×" + window + ", stride " + stride + ")";
    }
}
