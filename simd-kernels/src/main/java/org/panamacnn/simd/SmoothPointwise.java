package org.panamacnn.simd;

/**
 * Tanh and GELU, forward and backward, as PyTorch defines them:
 * <pre>
 * TANH       y = tanh(x)                                  dx = dy·(1 − tanh²(x))
 * GELU       y = x·½·(1 + erf(x/√2))                      dx = dy·(Φ(x) + x·φ(x)),  Φ(x) = ½(1 + erf(x/√2)), φ(x) = e^(−x²/2)/√(2π)
 * GELU_TANH  y = ½x·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³)
 *            dx = dy·(½(1 + tanh(u)) + ½x·(1 − tanh²(u))·√(2/π)(1 + 3·0.044715x²))
 * </pre>
 * Beyond |x| = 0.55, tanh is (1 − e)/(1 + e) and 1 − tanh² is 4e/(1 + e)², e = e^(−2|x|), so both
 * keep their relative accuracy where tanh saturates (1 − t·t would cancel to a few bits).
 * erf, tanh and exp are float approximations built only from +, ×, fused multiply-add, ÷, min,
 * max and exponent bits (erf and tanh: Eigen's rational fits on [−4, 4] and [−7.9, 7.9], within
 * 4e-7 and 3e-7; exp: Cody–Waite reduction and Cephes' polynomial), so the plain-Java twin
 * ({@link ScalarSmoothPointwise}) and the Vector API twin ({@link VectorSmoothPointwise}) give the
 * same bits, interpreted or compiled (Math.tanh and the vector TANH / EXP operators would not; see
 * package-info).
 */
public final class SmoothPointwise {
    /** The functions; see the class comment. */
    public enum Kind { TANH, GELU, GELU_TANH }

    private SmoothPointwise() {}

    /** y[i] = f(x[i]) for i &lt; n. Writes y; y may be x. */
    public static void forward(Kind kind, int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        if (KernelProvider.VECTORIZED) VectorSmoothPointwise.forward(kind, n, x, xOff, y, yOff);
        else ScalarSmoothPointwise.forward(kind, 0, n, x, xOff, y, yOff);
    }

    /** dx[i] = dy[i]·f'(x[i]) for i &lt; n (x: the forward's input). Writes dx; dx may be dy. */
    public static void backward(Kind kind, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "x", x, xOff);
        Checks.range("dx", dx, dxOff, n);
        if (KernelProvider.VECTORIZED) VectorSmoothPointwise.backward(kind, n, dy, dyOff, x, xOff, dx, dxOff);
        else ScalarSmoothPointwise.backward(kind, 0, n, dy, dyOff, x, xOff, dx, dxOff);
    }
}
