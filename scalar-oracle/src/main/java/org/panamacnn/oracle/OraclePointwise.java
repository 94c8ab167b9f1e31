package org.panamacnn.oracle;

/**
 * Element-wise activations and their derivatives, from the formulas (PyTorch's definitions):
 * <pre>
 * clip(x; lo, hi)      = min(max(x, lo), hi)           ' = 1 for lo &lt; x &lt; hi, else 0   (ReLU6 = clip(x; 0, 6))
 * hardsigmoid(x; a, b) = min(max(a·x + b, 0), 1)       ' = a where 0 &lt; a·x + b &lt; 1, else 0
 * hardswish(x)         = x · relu6(x + 3) / 6           ' = 0 for x &lt; −3, 2x/6 + 3/6 for −3 ≤ x ≤ 3, 1 above
 * sigmoid(x)           = 1 / (1 + e^−x)                 ' = σ(x)(1 − σ(x))
 * silu(x)              = x · σ(x)                       ' = σ(x) + x·σ(x)(1 − σ(x))
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
