package org.panamacnn.train;

import java.util.List;
import org.panamacnn.nn.Param;
import org.panamacnn.simd.Blas1;

/**
 * The global L2 norm of all gradients, ‖g‖ = sqrt(Σ_p Σ_i g_p,i²), and clipping to a maximum
 * norm as PyTorch's {@code clip_grad_norm_}: every gradient × min(1, max / (‖g‖ + 1e-6)).
 * The norm is NaN or infinite exactly when some gradient value is (an overflowing square is
 * recomputed in double), which is how divergence is detected each step.
 */
public final class GradientNorm {
    private GradientNorm() {}

    public static double of(List<Param> params) {
        double sum = 0;
        for (Param p : params) sum += squares(p.grad().data(), p.size());
        return Math.sqrt(sum);
    }

    private static double squares(float[] g, int n) {
        double s = Blas1.dot(n, g, 0, g, 0);
        if (Double.isFinite(s)) return s;
        double exact = 0;  // rare: tell a non-finite value from a float overflow of finite ones
        for (int i = 0; i < n; i++) exact += (double) g[i] * g[i];
        return exact;
    }

    /** Scales every gradient so that the global norm (given, as {@link #of} returned it) is at most max. */
    public static void clip(List<Param> params, double norm, double max) {
        double factor = max / (norm + 1e-6);
        if (factor >= 1) return;
        for (Param p : params) Blas1.scale(p.size(), (float) factor, p.grad().data(), 0);
    }

    /** The first parameter holding a non-finite gradient, or null. */
    static Param firstNonFiniteGradient(List<Param> params) {
        for (Param p : params) if (!Double.isFinite(squares(p.grad().data(), p.size()))) return p;
        return null;
    }
}
