package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Pointwise;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * An element-wise activation a = f(z) other than ReLU ({@link Pointwise.Kind}: ReLU6 and clip,
 * hard sigmoid, hard swish, sigmoid, SiLU), as PyTorch's nn.ReLU6 / Hardtanh, Hardsigmoid,
 * Hardswish, Sigmoid and SiLU; backward δz = δa·f'(z) from the input kept by the training forward.
 * One memory-bound pass each way, split over batch chunks.
 */
public final class PointwiseActivation implements Layer {
    private final Pointwise.Kind kind;
    private final float a, b;
    private Shape shape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private Tensor input;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut, taskGrad;
    private int taskBatch, taskCount;

    private PointwiseActivation(Pointwise.Kind kind, float a, float b) {
        if (!Float.isFinite(a) || !Float.isFinite(b)) throw new IllegalArgumentException(kind + " constants must be finite, got " + a + ", " + b);
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    /** min(max(z, 0), 6): PyTorch's nn.ReLU6. */
    public static PointwiseActivation relu6() {
        return clip(0f, 6f);
    }

    /** min(max(z, min), max): PyTorch's nn.Hardtanh(min, max), ONNX's Clip. */
    public static PointwiseActivation clip(float min, float max) {
        if (!(min <= max)) throw new IllegalArgumentException("clip needs min <= max, got min " + min + ", max " + max);
        return new PointwiseActivation(Pointwise.Kind.CLIP, min, max);
    }

    /** min(max(alpha·z + beta, 0), 1): ONNX's HardSigmoid; PyTorch's nn.Hardsigmoid is alpha 1/6, beta 1/2. */
    public static PointwiseActivation hardSigmoid(float alpha, float beta) {
        return new PointwiseActivation(Pointwise.Kind.HARDSIGMOID, alpha, beta);
    }

    public static PointwiseActivation hardSigmoid() {
        return hardSigmoid(1f / 6f, 0.5f);
    }

    /** z·relu6(z + 3)/6: PyTorch's nn.Hardswish. */
    public static PointwiseActivation hardSwish() {
        return new PointwiseActivation(Pointwise.Kind.HARDSWISH, 0f, 0f);
    }

    public static PointwiseActivation sigmoid() {
        return new PointwiseActivation(Pointwise.Kind.SIGMOID, 0f, 0f);
    }

    /** z·σ(z): PyTorch's nn.SiLU (swish). */
    public static PointwiseActivation silu() {
        return new PointwiseActivation(Pointwise.Kind.SILU, 0f, 0f);
    }

    public Pointwise.Kind kind() {
        return kind;
    }

    /** The first constant of {@link #kind()} (clip's min, hard sigmoid's alpha). */
    public float a() {
        return a;
    }

    /** The second constant (clip's max, hard sigmoid's beta). */
    public float b() {
        return b;
    }

    /** True when f(0) = 0, so a zero border around an image stays zero under f. */
    public boolean keepsZero() {
        return switch (kind) {
            case CLIP -> a <= 0f && b >= 0f;
            case HARDSIGMOID -> b <= 0f;
            case HARDSWISH, SILU -> true;
            case SIGMOID -> false;
        };
    }

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
        Tensor y = output.get(x.batch());
        setTask(x.batch(), x.data(), y.data(), null);
        executor.forEach(taskCount, forwardTask);
        input = training ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), shape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(gradOut.batch());
        setTask(gradOut.batch(), input.data(), dx.data(), gradOut.data());
        executor.forEach(taskCount, backwardTask);
        return dx;
    }

    /** The arrays the chunk tasks work on: fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] in, float[] out, float[] grad) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskIn = in;
        taskOut = out;
        taskGrad = grad;
    }

    private void forwardChunk(int c) {
        int per = shape.size(), from = BatchChunks.start(c, taskCount, taskBatch) * per;
        int n = BatchChunks.start(c + 1, taskCount, taskBatch) * per - from;
        Pointwise.forward(kind, a, b, n, taskIn, from, taskOut, from);
    }

    private void backwardChunk(int c) {
        int per = shape.size(), from = BatchChunks.start(c, taskCount, taskBatch) * per;
        int n = BatchChunks.start(c + 1, taskCount, taskBatch) * per - from;
        Pointwise.backward(kind, a, b, n, taskGrad, from, taskIn, from, taskOut, from);
    }

    @Override
    public PointwiseActivation copy() {
        return new PointwiseActivation(kind, a, b);
    }

    @Override
    public String spec() {
        return switch (kind) {
            case CLIP -> a == 0f && b == 6f ? "relu6" : "clip min=" + a + " max=" + b;
            case HARDSIGMOID -> a == 1f / 6f && b == 0.5f ? "hardsigmoid" : "hardsigmoid alpha=" + a + " beta=" + b;
            case HARDSWISH -> "hardswish";
            case SIGMOID -> "sigmoid";
            case SILU -> "silu";
        };
    }

    @Override
    public String describe() {
        return switch (kind) {
            case CLIP -> a == 0f && b == 6f ? "ReLU6" : "Clip(" + a + ", " + b + ")";
            case HARDSIGMOID -> "HardSigmoid(" + a + ", " + b + ")";
            case HARDSWISH -> "HardSwish";
            case SIGMOID -> "Sigmoid";
            case SILU -> "SiLU";
        };
    }
}
