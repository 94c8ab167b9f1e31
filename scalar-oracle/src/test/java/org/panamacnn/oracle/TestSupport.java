package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.function.Executable;

/** Random data and the finite-difference check L = Σ r ⊙ output. */
final class TestSupport {

    static final double EPS = 1e-6;
    static final double TOL = 1e-6;

    private TestSupport() {
    }

    static double[] random(Random rnd, int length) {
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = rnd.nextDouble() * 2 - 1;
        }
        return a;
    }

    /** Distinct values, pairwise at least 0.01 apart, in random order (no ties for max-pool). */
    static double[] distinct(Random rnd, int length) {
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            ranks.add(i);
        }
        Collections.shuffle(ranks, rnd);
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = (ranks.get(i) - length / 2.0) * 0.01;
        }
        return a;
    }

    static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Asserts that analytic ≈ the central-difference gradient of f at x (x is restored). */
    static void assertGradient(String what, double[] analytic, ToDoubleFunction<double[]> f, double[] x) {
        double[] before = x.clone();
        double[] numeric = FiniteDifference.gradient(f, x, EPS);
        assertTrue(java.util.Arrays.equals(before, x), "x restored");
        double err = FiniteDifference.maxRelativeError(analytic, numeric);
        assertTrue(err < TOL, what + ": max relative error " + err);
    }

    /** Asserts an IllegalArgumentException whose message names the expected and the actual value. */
    static void assertBadShape(Executable call, int expected, int actual) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = e.getMessage();
        assertTrue(msg.contains("expected") && msg.contains(String.valueOf(expected))
                && msg.contains("actual") && msg.contains(String.valueOf(actual)), msg);
    }
}
