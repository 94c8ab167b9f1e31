package org.panamacnn.oracle;

import java.util.function.ToDoubleFunction;

/**
 * Numerical gradients and the error measure used to compare gradients:
 * <pre>
 * g[i] = (f(x + ε·e_i) − f(x − ε·e_i)) / (2ε)                  (central differences, error O(ε²))
 * err  = max_i |a[i] − b[i]| / max(1, |a[i]|, |b[i]|)
 * </pre>
 */
public final class FiniteDifference {

    private FiniteDifference() {
    }

    /** Central differences: g[i] = (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps). x is restored afterwards. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double eps) {
        Checks.notNull("f", f);
        Checks.notNull("x", x);
        if (!(eps > 0.0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps: expected finite and > 0, actual " + eps);
        }
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            try {
                x[i] = saved + eps;
                double plus = f.applyAsDouble(x);
                x[i] = saved - eps;
                double minus = f.applyAsDouble(x);
                g[i] = (plus - minus) / (2.0 * eps);
            } finally {
                x[i] = saved; // exactly the original value
            }
        }
        return g;
    }

    /** max_i |a[i] − b[i]| / max(1, |a[i]|, |b[i]|) — a relative error that is absolute near zero; throws if lengths differ.
        A NaN in either array makes the result NaN. */
    public static double maxRelativeError(double[] a, double[] b) {
        Checks.notNull("a", a);
        Checks.length("b", "[like a]", b, a.length);
        double max = 0.0;
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1.0, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            max = Math.max(max, Math.abs(a[i] - b[i]) / scale);
        }
        return max;
    }
}
