package org.panamacnn.nn;

import org.panamacnn.simd.SmoothPointwise;

/**
 * Tanh and GELU ({@link SmoothPointwise}: exact, with erf, or tanh-approximate), as PyTorch's
 * nn.Tanh and nn.GELU(approximate='none' | 'tanh'); backward δz = δa·f'(z) from the input kept by
 * the training forward. All three map 0 to 0.
 */
public final class SmoothActivation extends ElementwiseLayer {
    private final SmoothPointwise.Kind kind;

    private SmoothActivation(SmoothPointwise.Kind kind) {
        this.kind = kind;
    }

    public static SmoothActivation tanh() {
        return new SmoothActivation(SmoothPointwise.Kind.TANH);
    }

    /** x·Φ(x) with the normal distribution's exact Φ (erf): PyTorch's nn.GELU(). */
    public static SmoothActivation gelu() {
        return new SmoothActivation(SmoothPointwise.Kind.GELU);
    }

    /** GELU with tanh in place of erf: PyTorch's nn.GELU(approximate='tanh'). */
    public static SmoothActivation geluTanh() {
        return new SmoothActivation(SmoothPointwise.Kind.GELU_TANH);
    }

    public SmoothPointwise.Kind kind() {
        return kind;
    }

    @Override
    void forward(float[] x, float[] y, int from, int n) {
        SmoothPointwise.forward(kind, n, x, from, y, from);
    }

    @Override
    void backward(float[] dy, float[] x, float[] dx, int from, int n) {
        SmoothPointwise.backward(kind, n, dy, from, x, from, dx, from);
    }

    @Override
    public SmoothActivation copy() {
        return new SmoothActivation(kind);
    }

    @Override
    public String spec() {
        return switch (kind) {
            case TANH -> "tanh";
            case GELU -> "gelu";
            case GELU_TANH -> "gelu approximate=tanh";
        };
    }

    @Override
    public String describe() {
        return switch (kind) {
            case TANH -> "Tanh";
            case GELU -> "GELU";
            case GELU_TANH -> "GELU(tanh)";
        };
    }
}
