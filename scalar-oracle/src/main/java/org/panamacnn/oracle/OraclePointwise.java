package org.panamacnn.oracle;

/**
 * Element-wise activations and their derivatives, from the formulas (PyTorch's definitions):
 * <pre>
 * clip(x; lo, hi)      = min(max(x, lo), hi)           ' = 1 for lo &lt; x &lt; hi, else 0   (ReLU6 = clip(x; 0, 6))
 * hardsigmoid(x; a, b) = min(max(a·x + b, 0), 1)       ' = a where 0 &lt; a·x + b &lt; 1, else 0
 * hardswish(x)         = x · relu6(x + 3) / 6           ' = 0 for x &lt; −3, 2x/6 + 3/6 for −3 ≤ x ≤ 3, 1 above
 * sigmoid(x)           = 1 / (1 + e^−x)                 ' = σ(x)(1 − σ(x))
 * silu(x)              = x · σ(x)                       ' = σ(x) + x·σ(x)(1 − σ(x))
 * tanh(x)                                              ' = 1 − tanh²(x)
 * gelu(x)              = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) ' = Φ(x) + x·e^(−x²/2)/√(2π)
 * geluTanh(x)          = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³)
 *                                                      ' = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²)
 * </pre>
 * backward(gradOut, x) = gradOut ⊙ f'(x).
 */
public final class OraclePointwise {

    private OraclePointwise() {
    }

    public static double clip(double x, double lo, double hi) {
        return x < lo ? lo : x > hi ? hi : x;
    }

    public static double clipDerivative(double x, double lo, double hi) {
        return x > lo && x < hi ? 1.0 : 0.0;
    }

    public static double hardSigmoid(double x, double a, double b) {
        return clip(a * x + b, 0.0, 1.0);
    }

    public static double hardSigmoidDerivative(double x, double a, double b) {
        double t = a * x + b;
        return t > 0.0 && t < 1.0 ? a : 0.0;
    }

    public static double hardSwish(double x) {
        return x * clip(x + 3.0, 0.0, 6.0) / 6.0;
    }

    public static double hardSwishDerivative(double x) {
        if (x < -3.0) {
            return 0.0;
        }
        if (x <= 3.0) {
            return (2.0 * x + 3.0) / 6.0; // d/dx x(x + 3)/6
        }
        return 1.0;
    }

    public static double sigmoid(double x) {
        return OracleActivations.sigmoid(new double[] {x})[0];
    }

    public static double sigmoidDerivative(double x) {
        double s = sigmoid(x);
        return s * (1.0 - s);
    }

    public static double silu(double x) {
        return x * sigmoid(x);
    }

    public static double siluDerivative(double x) {
        double s = sigmoid(x);
        return s + x * s * (1.0 - s);
    }

    public static double tanh(double x) {
        return Math.tanh(x);
    }

    public static double tanhDerivative(double x) {
        double t = Math.tanh(x);
        return 1.0 - t * t;
    }

    public static double gelu(double x) {
        return x * 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
    }

    public static double geluDerivative(double x) {
        return 0.5 * (1.0 + erf(x / Math.sqrt(2.0))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
    }

    private static final double BETA = Math.sqrt(2.0 / Math.PI), KAPPA = 0.044715;

    public static double geluTanh(double x) {
        return 0.5 * x * (1.0 + Math.tanh(BETA * (x + KAPPA * x * x * x)));
    }

    public static double geluTanhDerivative(double x) {
        double t = Math.tanh(BETA * (x + KAPPA * x * x * x));
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * BETA * (1.0 + 3.0 * KAPPA * x * x);
    }

    /**
     * erf(x) = (2/√π)·e^(−x²)·Σ_{n≥0} 2ⁿ x^(2n+1) / (1·3·5···(2n+1)): every term has x's sign, so
     * the sum does not cancel (to ~1e-16 for |x| ≤ 6; beyond, erf is ±1 in double).
     */
    public static double erf(double x) {
        if (Math.abs(x) > 6.0) {
            return Math.signum(x);
        }
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 500 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
        }
        return 2.0 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
    }

    /** f applied to every element. */
    public static double[] forward(java.util.function.DoubleUnaryOperator f, double[] x) {
        Checks.notNull("x", x);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    /** gradOut ⊙ f'(x). */
    public static double[] backward(java.util.function.DoubleUnaryOperator derivative, double[] gradOut, double[] x) {
        Checks.notNull("x", x);
        Checks.length("gradOut", "[like x]", gradOut, x.length);
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = gradOut[i] * derivative.applyAsDouble(x[i]);
        }
        return g;
    }
}
