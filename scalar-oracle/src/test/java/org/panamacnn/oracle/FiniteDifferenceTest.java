package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.oracle.TestSupport.assertBadShape;

import org.junit.jupiter.api.Test;

class FiniteDifferenceTest {

    @Test
    void gradientOfACubicAndXIsRestored() {
        double[] x = {0.3, -1.7, 2.0};
        double[] copy = x.clone();
        // f(x) = Σ x³ + x0·x1  ->  ∇f = 3x² + (x1, x0, 0)
        double[] g = FiniteDifference.gradient(v -> v[0] * v[0] * v[0] + v[1] * v[1] * v[1] + v[2] * v[2] * v[2]
                + v[0] * v[1], x, 1e-5);
        assertArrayEquals(new double[] {3 * 0.09 - 1.7, 3 * 2.89 + 0.3, 12}, g, 1e-8);
        assertArrayEquals(copy, x);
    }

    @Test
    void maxRelativeError() {
        assertEquals(0, FiniteDifference.maxRelativeError(new double[0], new double[0]));
        // near zero it is absolute: |0.001 − 0.002| / 1
        assertEquals(0.001, FiniteDifference.maxRelativeError(new double[] {0.001}, new double[] {0.002}), 1e-18);
        // large values: relative to the larger magnitude
        assertEquals(0.01, FiniteDifference.maxRelativeError(new double[] {100, 1}, new double[] {99, 1}), 1e-15);
        assertEquals(0.5, FiniteDifference.maxRelativeError(new double[] {1, -2}, new double[] {1, -1}), 1e-15);
        assertTrue(Double.isNaN(FiniteDifference.maxRelativeError(new double[] {Double.NaN}, new double[] {0})));
        assertBadShape(() -> FiniteDifference.maxRelativeError(new double[3], new double[2]), 3, 2);
    }
}
