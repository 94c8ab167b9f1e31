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
 * y = a ⊙ b, element by element, where both inputs have one shape, or where one of them is a
 * [C, 1, 1] scale per channel of the other's [C, H, W] (broadcast over the plane, as PyTorch's
 * {@code scale * x} in a squeeze-and-excitation block; SiLU as a graph is {@code x ⊙ sigmoid(x)}).
 *
 * <p>Backward: δa = δy ⊙ b and δb = δy ⊙ a; for a per-channel scale s of x,
 * δs[n, c] = Σ_{i,j} δy[n, c, i, j]·x[n, c, i, j] and δx = δy·s[n, c].
 */
public final class Multiply implements Merge {
    private Shape shape, aShape, bShape;
    /** The input that is a per-channel scale (0 or 1), or −1 when both have the output's shape. */
    private int scaleInput = -1;
    private int channels, plane;
    private BatchBuffer output, gradA, gradB;
    private ParallelExecutor executor;
    private final IntConsumer forwardTask = c -> chunk(c, true), backwardTask = c -> chunk(c, false);
    /** The last forward's inputs (valid through the backward of the same step, as every layer's output is). */
    private Tensor savedA, savedB;
    private Tensor taskOut, taskGrad, taskGradA, taskGradB;
    private int taskCount;

    @Override
    public Shape build(List<Shape> inputs, ParallelExecutor executor) {
        if (inputs.size() != 2) throw new IllegalArgumentException("mul multiplies two inputs, got " + inputs.size());
        this.executor = executor;
        aShape = inputs.get(0);
        bShape = inputs.get(1);
        if (aShape.equals(bShape)) {
            scaleInput = -1;
            shape = aShape;
        } else if (isChannelScaleOf(bShape, aShape)) {
            scaleInput = 1;
            shape = aShape;
        } else if (isChannelScaleOf(aShape, bShape)) {
            scaleInput = 0;
            shape = bShape;
        } else {
            throw new IllegalArgumentException("mul needs inputs of one shape, or a [C, 1, 1] scale and a [C, H, W] image; got "
                    + aShape + " and " + bShape);
        }
        channels = shape.rank() == 3 ? shape.dim(0) : shape.size();
        plane = shape.size() / channels;
        output = new BatchBuffer(shape);
        gradA = new BatchBuffer(aShape);
        gradB = new BatchBuffer(bShape);
        return shape;
    }

    private static boolean isChannelScaleOf(Shape scale, Shape image) {
        return image.rank() == 3 && scale.rank() == 3 && scale.dim(0) == image.dim(0) && scale.dim(1) == 1 && scale.dim(2) == 1;
    }

    @Override
    public Tensor forward(Tensor[] inputs) {
        savedA = inputs[0];
        savedB = inputs[1];
        taskOut = output.get(inputs[0].batch());
        run(forwardTask, inputs[0].batch());
        return taskOut;
    }

    @Override
    public void backward(Tensor gradOut, Tensor[] gradIn) {
        if (savedA == null || gradOut.batch() != savedA.batch()) {
            throw new IllegalStateException(describe() + ": backward without a forward of batch " + gradOut.batch());
        }
        int batch = gradOut.batch();
        taskGrad = gradOut;
        taskGradA = gradA.get(batch);
        taskGradB = gradB.get(batch);
        run(backwardTask, batch);
        gradIn[0] = taskGradA;
        gradIn[1] = taskGradB;
        taskGrad = null;
    }

    private void run(IntConsumer task, int batch) {
        taskCount = BatchChunks.count(batch);
        executor.forEach(taskCount, task);
    }

    /** The images of chunk c: forward (out = a ⊙ b) or backward (both input gradients). */
    private void chunk(int c, boolean forward) {
        int batch = savedA.batch(), per = shape.size();
        int first = BatchChunks.start(c, taskCount, batch), end = BatchChunks.start(c + 1, taskCount, batch);
        float[] a = savedA.data(), b = savedB.data();
        if (scaleInput < 0) {
            int from = first * per, n = (end - first) * per;
            if (forward) {
                Blas1.multiply(n, a, from, b, from, taskOut.data(), from);
            } else {
                Blas1.multiply(n, taskGrad.data(), from, b, from, taskGradA.data(), from);
                Blas1.multiply(n, taskGrad.data(), from, a, from, taskGradB.data(), from);
            }
            return;
        }
        float[] x = scaleInput == 1 ? a : b, s = scaleInput == 1 ? b : a;
        float[] dx = forward ? null : (scaleInput == 1 ? taskGradA : taskGradB).data();
        float[] ds = forward ? null : (scaleInput == 1 ? taskGradB : taskGradA).data();
        for (int n = first; n < end; n++) {
            for (int ch = 0; ch < channels; ch++) {
                int at = (n * channels + ch) * plane, si = n * channels + ch;
                if (forward) {
                    Blas1.scaleInto(plane, s[si], x, at, taskOut.data(), at);
                } else {
                    ds[si] = Blas1.dot(plane, taskGrad.data(), at, x, at);
                    Blas1.scaleInto(plane, s[si], taskGrad.data(), at, dx, at);
                }
            }
        }
    }

    @Override
    public Multiply copy() {
        return new Multiply();
    }

    @Override
    public String spec() {
        return "mul";
    }

    @Override
    public String describe() {
        return scaleInput < 0 ? "Multiply" : "Multiply(per-channel scale)";
    }
}
