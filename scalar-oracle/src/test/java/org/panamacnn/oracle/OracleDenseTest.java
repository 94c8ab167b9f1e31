package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.assertGradient;
import static org.panamacnn.oracle.TestSupport.dot;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OracleDenseTest {

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "1, 5, 3", "2, 7, 4", "3, 13, 10"})
    void gradientsMatchFiniteDifferences(int n, int in, int out) {
        Random rnd = new Random(100L * n + 10L * in + out);
        double[] x = random(rnd, n * in);
        double[] weight = random(rnd, out * in);
        double[] bias = random(rnd, out);
        double[] r = random(rnd, n * out);
        assertGradient("dense gradWeight", OracleDense.gradWeight(r, x, n, in, out),
                wv -> dot(r, OracleDense.forward(x, n, in, wv, out, bias)), weight);
        assertGradient("dense gradBias", OracleDense.gradBias(r, n, out),
                bv -> dot(r, OracleDense.forward(x, n, in, weight, out, bv)), bias);
        assertGradient("dense gradInput", OracleDense.gradInput(r, weight, n, in, out),
                xv -> dot(r, OracleDense.forward(xv, n, in, weight, out, bias)), x);
    }

    @Test
    void byHand() {
        // x = [[1, 2]], W = [[1, 0], [3, -1], [0.5, 0.5]], b = [10, 20, 30]
        double[] x = {1, 2};
        double[] w = {1, 0, 3, -1, 0.5, 0.5};
        assertArrayEquals(new double[] {11, 21, 31.5}, OracleDense.forward(x, 1, 2, w, 3, new double[] {10, 20, 30}));
        assertArrayEquals(new double[] {1, 1, 1.5}, OracleDense.forward(x, 1, 2, w, 3, null));
        double[] g = {1, 2, 4};
        assertArrayEquals(new double[] {1, 2, 2, 4, 4, 8}, OracleDense.gradWeight(g, x, 1, 2, 3));
        assertArrayEquals(new double[] {1, 2, 4}, OracleDense.gradBias(g, 1, 3));
        assertArrayEquals(new double[] {9, 0}, OracleDense.gradInput(g, w, 1, 2, 3));
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        assertBadShape(() -> OracleDense.forward(new double[5], 2, 3, new double[12], 4, null), 6, 5);
        assertBadShape(() -> OracleDense.forward(new double[6], 2, 3, new double[11], 4, null), 12, 11);
        assertBadShape(() -> OracleDense.forward(new double[6], 2, 3, new double[12], 4, new double[3]), 4, 3);
        assertBadShape(() -> OracleDense.gradWeight(new double[9], new double[6], 2, 3, 4), 8, 9);
        assertBadShape(() -> OracleDense.gradBias(new double[7], 2, 4), 8, 7);
        assertBadShape(() -> OracleDense.gradInput(new double[8], new double[13], 2, 3, 4), 12, 13);
    }
}
