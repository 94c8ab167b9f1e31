package org.panamacnn.nn;

import org.panamacnn.simd.Pointwise;

/**
 * An element-wise activation a = f(z) other than ReLU ({@link Pointwise.Kind}: ReLU6 and clip,
 * hard sigmoid, hard swish, sigmoid, SiLU), as PyTorch's nn.ReLU6 / Hardtanh, Hardsigmoid,
 * Hardswish, Sigmoid and SiLU; backward δz = δa·f'(z) from the input kept by the training forward.
 * One memory-bound pass each way, split over batch chunks.
 */
public final class PointwiseActivation extends ElementwiseLayer {
    private final Pointwise.Kind kind;
    private final float a, b;

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
    void forward(float[] x, float[] y, int from, int n) {
        Pointwise.forward(kind, a, b, n, x, from, y, from);
    }

    @Override
    void backward(float[] dy, float[] x, float[] dx, int from, int n) {
        Pointwise.backward(kind, a, b, n, dy, from, x, from, dx, from);
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
