package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OracleActivationsTest {

    /** (e) */
    @Test
    void softmaxRowsSumToOneAndStayFiniteForHugeLogits() {
        double[] logits = {1000, -1000, 0, 999, -1000, -1000, -1000, -1000, 1000, 1000, 1000, 1000};
        double[] p = OracleActivations.softmax(logits, 3, 4);
        double[] logP = OracleActivations.logSoftmax(logits, 3, 4);
        for (int r = 0; r < 3; r++) {
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                assertTrue(Double.isFinite(p[r * 4 + j]) && p[r * 4 + j] >= 0);
                assertTrue(Double.isFinite(logP[r * 4 + j]));
                sum += p[r * 4 + j];
            }
            assertEquals(1.0, sum, 1e-15);
        }
        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
        assertEquals(-Math.log1p(Math.exp(-1)), logP[0], 1e-15);
        assertEquals(-2000 - Math.log1p(Math.exp(-1)), logP[1], 1e-12);
        assertEquals(0.25, p[4], 1e-15);
        assertEquals(Math.log(0.25), logP[11], 1e-15);
    }

    @Test
    void logSoftmaxIsLogOfSoftmaxAtModerateLogits() {
        Random rnd = new Random(5);
        double[] z = random(rnd, 4 * 7);
        for (int i = 0; i < z.length; i++) {
            z[i] *= 5;
        }
        double[] p = OracleActivations.softmax(z, 4, 7);
        double[] logP = OracleActivations.logSoftmax(z, 4, 7);
        for (int i = 0; i < z.length; i++) {
            assertEquals(Math.log(p[i]), logP[i], 1e-13);
        }
        // and softmax is the textbook exp(z) / Σ exp(z)
        double sum = 0;
        for (int j = 0; j < 7; j++) {
            sum += Math.exp(z[j]);
        }
        assertEquals(Math.exp(z[2]) / sum, p[2], 1e-15);
    }

    /** (e) */
    @Test
    void sigmoidIsStable() {
        double[] s = OracleActivations.sigmoid(new double[] {1000, -1000, 0, 2, -2, 40, -40});
        assertEquals(1.0, s[0]);
        assertEquals(0.0, s[1]);
        assertEquals(0.5, s[2]);
        assertEquals(1 / (1 + Math.exp(-2)), s[3], 1e-16);
        assertEquals(1 / (1 + Math.exp(2)), s[4], 1e-16);
        assertEquals(1 - s[5], s[6], 1e-16);
        assertTrue(s[6] > 0); // e^-40, not flushed to 0
        for (double v : s) {
            assertTrue(Double.isFinite(v));
        }
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        assertBadShape(() -> OracleActivations.softmax(new double[11], 3, 4), 12, 11);
        assertBadShape(() -> OracleActivations.logSoftmax(new double[13], 3, 4), 12, 13);
    }
}
