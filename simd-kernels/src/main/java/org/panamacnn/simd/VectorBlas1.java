package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Level-1 BLAS on float[] with offsets: each method names what it reads and what it writes. */
final class VectorBlas1 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorBlas1() {}

    /** y[i] += alpha·x[i]. Writes y. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector vx = FloatVector.fromArray(F, x, xOff + i);
            FloatVector vy = FloatVector.fromArray(F, y, yOff + i);
            vx.fma(va, vy).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /** x[i] *= alpha. Writes x. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        Checks.nonNegative("n", n);
        Checks.range("x", x, xOff, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) x[xOff + i] *= alpha;
    }

    /** y[i] += x[i]. Writes y. */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        addUnchecked(n, x, xOff, y, yOff);
    }

    static void addUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).add(FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += x[xOff + i];
    }

    static void scaleInto(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = alpha * x[xOff + i];
    }

    static void addInto(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).add(FloatVector.fromArray(F, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
    }

    static void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(FloatVector.fromArray(F, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = x[xOff + i] * y[yOff + i];
    }

    /**
     * Σ x[i]: lane-wise partial sums in a fixed order, reduced once at the end, then the tail;
     * the result depends only on n, never on threads.
     */
    public static float sum(int n, float[] x, int xOff) {
        Checks.nonNegative("n", n);
        Checks.range("x", x, xOff, n);
        return sumUnchecked(n, x, xOff);
    }

    static float sumUnchecked(int n, float[] x, int xOff) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, x, xOff + i));
        }
        float s = acc.lane(0); // lanes left to right, in this method (see package-info)
        for (int l = 1; l < F.length(); l++) s += acc.lane(l);
        for (; i < n; i++) s += x[xOff + i];
        return s;
    }

    /** Σ x[i]·y[i]. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        return dotUnchecked(n, x, xOff, y, yOff);
    }

    /** Σ x[i]·y[i] with two accumulators (to hide FMA latency), combined lane by lane in a fixed order. */
    static float dotUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 2 * F.length(); i <= bound; i += 2 * F.length()) {
            acc = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), acc);
            acc2 = FloatVector.fromArray(F, x, xOff + i + F.length()).fma(FloatVector.fromArray(F, y, yOff + i + F.length()), acc2);
        }
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), acc);
        }
        acc = acc.add(acc2);
        float s = acc.lane(0); // lanes left to right, in this method (see package-info)
        for (int l = 1; l < F.length(); l++) s += acc.lane(l);
        for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    /**
     * One SGD step with momentum and L2 weight decay on a parameter array (PyTorch's convention):
     * g' = g + λ·w; v = μ·v + g'; w -= η·(nesterov ? g' + μ·v : v). With μ = 0, v is not touched
     * and may be null. Writes w and v.
     */
    public static void sgdUpdate(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                 float[] w, int wOff, float[] g, int gOff, float[] v, int vOff) {
        Checks.vectors(n, "w", w, wOff, "g", g, gOff);
        if (momentum != 0f) Checks.range("v", v, vOff, n);
        FloatVector vlr = FloatVector.broadcast(F, -lr);
        FloatVector vwd = FloatVector.broadcast(F, weightDecay);
        FloatVector vmu = FloatVector.broadcast(F, momentum);
        int i = 0;
        int bound = F.loopBound(n);
        if (momentum == 0f) {
            for (; i < bound; i += F.length()) {
                FloatVector vw = FloatVector.fromArray(F, w, wOff + i);
                FloatVector vg = vw.fma(vwd, FloatVector.fromArray(F, g, gOff + i));
                vg.fma(vlr, vw).intoArray(w, wOff + i);
            }
            for (; i < n; i++) {
                float gi = Math.fma(weightDecay, w[wOff + i], g[gOff + i]);
                w[wOff + i] = Math.fma(-lr, gi, w[wOff + i]);
            }
            return;
        }
        for (; i < bound; i += F.length()) {
            FloatVector vw = FloatVector.fromArray(F, w, wOff + i);
            FloatVector vg = vw.fma(vwd, FloatVector.fromArray(F, g, gOff + i));
            FloatVector vv = FloatVector.fromArray(F, v, vOff + i).fma(vmu, vg);
            vv.intoArray(v, vOff + i);
            FloatVector step = nesterov ? vv.fma(vmu, vg) : vv;
            step.fma(vlr, vw).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float gi = Math.fma(weightDecay, w[wOff + i], g[gOff + i]);
            float vi = Math.fma(momentum, v[vOff + i], gi);
            v[vOff + i] = vi;
            float step = nesterov ? Math.fma(momentum, vi, gi) : vi;
            w[wOff + i] = Math.fma(-lr, step, w[wOff + i]);
        }
    }

    /**
     * One Adam step (PyTorch's formulation, L2 weight decay added to the gradient):
     * g' = g + λw; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
     * w −= (η / (1−β1^t)) · m / (√v / √(1−β2^t) + ε), t the 1-based step number. Writes w, m and v.
     */
    public static void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay, long step,
                                  float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        Checks.vectors(n, "w", w, wOff, "g", g, gOff);
        Checks.range("m", m, mOff, n);
        Checks.range("v", v, vOff, n);
        if (step < 1) throw new IllegalArgumentException("Adam step numbers start at 1, got " + step);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
        float oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector vw = FloatVector.fromArray(F, w, wOff + i);
            FloatVector vg = vw.fma(FloatVector.broadcast(F, weightDecay), FloatVector.fromArray(F, g, gOff + i));
            FloatVector vm = FloatVector.fromArray(F, m, mOff + i).mul(beta1).add(vg.mul(oneMinusB1));
            FloatVector vv = FloatVector.fromArray(F, v, vOff + i).mul(beta2).add(vg.mul(vg).mul(oneMinusB2));
            vm.intoArray(m, mOff + i);
            vv.intoArray(v, vOff + i);
            FloatVector denom = vv.sqrt().mul(invSqrtCorrection2).add(eps);
            vw.sub(vm.div(denom).mul(stepSize)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float gi = Math.fma(weightDecay, w[wOff + i], g[gOff + i]);
            float mi = m[mOff + i] * beta1 + gi * oneMinusB1;
            float vi = v[vOff + i] * beta2 + gi * gi * oneMinusB2;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) * invSqrtCorrection2 + eps;
            w[wOff + i] = w[wOff + i] - mi / denom * stepSize;
        }
    }
}
