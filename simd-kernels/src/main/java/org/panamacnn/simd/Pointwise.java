package org.panamacnn.simd;

/**
 * Element-wise activations beyond ReLU, forward and backward, as PyTorch computes them. Each kind
 * takes two constants a and b (their meaning per kind below; unused ones are ignored):
 * <pre>
 * CLIP         y = min(max(x, a), b)            dx = dy·1[a &lt; x &lt; b]          (ReLU6: a = 0, b = 6)
 * HARDSIGMOID  y = min(max(a·x + b, 0), 1)      dx = a·dy·1[0 &lt; a·x + b &lt; 1]   (PyTorch: a = 1/6, b = 1/2)
 * HARDSWISH    y = x·min(max(x + 3, 0), 6) / 6  dx = dy·(0 if x &lt; −3, x/3 + 1/2 if x ≤ 3, else 1)
 * SIGMOID      y = σ(x) = 1 / (1 + e^−x)        dx = dy·σ(x)·(1 − σ(x))
 * SILU         y = x·σ(x)                       dx = dy·σ(x)·(1 + x·(1 − σ(x)))
 * </pre>
 * Backward reads the forward's input x. The exponentials are scalar {@code Math.exp}, which gives
 * the same bits interpreted and compiled (the vector EXP does not; see package-info), so
 * results do not depend on JIT timing: every kind runs in plain Java ({@link ScalarPointwise})
 * but CLIP, which is vectorised ({@link VectorPointwise}) when the Vector API runs — the same bits.
 */
public final class Pointwise {
    /** The functions; see the class comment for a and b. */
    public enum Kind { CLIP, HARDSIGMOID, HARDSWISH, SIGMOID, SILU }

    private Pointwise() {}

    /** y[i] = f(x[i]) for i &lt; n. Writes y; y may be x. */
    public static void forward(Kind kind, float a, float b, int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        if (KernelProvider.VECTORIZED && kind == Kind.CLIP) VectorPointwise.clip(a, b, n, x, xOff, y, yOff);
        else ScalarPointwise.forward(kind, a, b, n, x, xOff, y, yOff);
    }

    /** dx[i] = dy[i]·f'(x[i]) for i &lt; n (x: the forward's input). Writes dx; dx may be dy. */
    public static void backward(Kind kind, float a, float b, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "x", x, xOff);
        Checks.range("dx", dx, dxOff, n);
        if (KernelProvider.VECTORIZED && kind == Kind.CLIP) VectorPointwise.clipBackward(a, b, n, dy, dyOff, x, xOff, dx, dxOff);
        else ScalarPointwise.backward(kind, a, b, n, dy, dyOff, x, xOff, dx, dxOff);
    }
}
