package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Shared helpers of the layer and loss tests: seeded random data, float↔double conversion,
 * tolerance asserts and finite differences. Public so that the loss tests can use it too.
 */
public final class TestSupport {
    private TestSupport() {}

    /** Uniform values in [-1, 1). */
    public static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2f - 1f;
        return a;
    }

    /**
     * n pairwise distinct values in random order, exactly representable in float and double:
     * (rank − n/2 + 1/2)/128, so no value is zero and no two are closer than 1/128 (no max-pool ties,
     * no ReLU kinks within a finite-difference step).
     */
    public static float[] distinct(Random rnd, int n) {
        List<Integer> ranks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ranks.add(i);
        Collections.shuffle(ranks, rnd);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (ranks.get(i) - n / 2 + 0.5f) / 128f;
        return a;
    }

    /** A [batch, sample...] tensor over data. */
    public static Tensor tensor(Shape sample, int batch, float[] data) {
        return new Tensor(sample.withBatch(batch), data);
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** The tensor's own elements (not the whole backing array) as doubles. */
    public static double[] toDouble(Tensor t) {
        return toDouble(t.toArray());
    }

    public static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** Copies values into the parameter (lengths must agree). */
    public static void set(Param p, float[] values) {
        assertEquals(p.size(), values.length, "values for parameter " + p);
        System.arraycopy(values, 0, p.value().data(), 0, values.length);
    }

    public static double dot(double[] a, double[] b) {
        assertEquals(a.length, b.length, "dot of different lengths");
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    public static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Normwise: max|actual − expected| ≤ tol · max|expected| (all zero expected means all zero actual). */
    public static void assertClose(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        double scale = Math.max(maxAbs(expected), 1e-30);
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / scale;
            if (!(err <= worstErr)) { // also takes a NaN
                worstErr = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worst = i;
            }
        }
        if (worst >= 0 && worstErr > tol) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
                    + " (error " + worstErr + " of max|expected| " + scale + ", tolerance " + tol + ")");
        }
    }

    public static void assertClose(String what, double[] expected, float[] actual, double tol) {
        assertClose(what, expected, toDouble(actual), tol);
    }

    /** Also requires the tensor to have exactly expected.length elements. */
    public static void assertClose(String what, double[] expected, Tensor actual, double tol) {
        assertEquals(expected.length, actual.size(), what + ": size of " + actual.shape());
        assertClose(what, expected, actual.toArray(), tol);
    }

    /** Σ r ⊙ output, accumulated in double: the scalar whose gradient with respect to output is r. */
    public static double weightedSum(double[] r, Tensor output) {
        return dot(r, toDouble(output));
    }

    /**
     * Asserts analytic ≈ central differences of f at x, with FiniteDifference's error measure
     * max|a − b| / max(1, |a|, |b|). x is restored.
     */
    public static void assertFiniteDifference(String what, double[] analytic, ToDoubleFunction<double[]> f,
                                              double[] x, double eps, double tol) {
        double[] numeric = FiniteDifference.gradient(f, x, eps);
        double err = FiniteDifference.maxRelativeError(analytic, numeric);
        assertTrue(err < tol, what + ": analytic vs finite-difference gradient, max relative error " + err
                + " (tolerance " + tol + ", eps " + eps + ")");
    }

    /**
     * Central differences in float: for each i, loss at values[i] ± eps divided by the step actually
     * taken (after rounding to float). values is restored.
     */
    public static double[] floatCentralDifference(float[] values, int n, float eps, DoubleSupplier loss) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            float saved = values[i];
            values[i] = saved + eps;
            float up = values[i];
            double plus = loss.getAsDouble();
            values[i] = saved - eps;
            float down = values[i];
            double minus = loss.getAsDouble();
            values[i] = saved;
            g[i] = (plus - minus) / ((double) up - down);
        }
        return g;
    }

    /** Asserts that the message names every one of the fragments. */
    public static void assertMessageNames(Throwable e, String... fragments) {
        String msg = String.valueOf(e.getMessage());
        for (String f : fragments) assertTrue(msg.contains(f), "message should name \"" + f + "\": " + msg);
    }
}
