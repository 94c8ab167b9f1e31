package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.assertGradient;
import static org.panamacnn.oracle.TestSupport.dot;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OracleReluTest {

    @Test
    void byHand() {
        double[] z = {-2, -0.0, 0, 0.5, 3};
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 3}, OracleRelu.forward(z));
        assertArrayEquals(new boolean[] {false, false, false, true, true}, OracleRelu.mask(z));
        assertArrayEquals(new double[] {0, 0, 0, 4, 5}, OracleRelu.backward(new double[] {1, 2, 3, 4, 5}, z));
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random rnd = new Random(7);
        for (int length : new int[] {1, 7, 33}) {
            double[] z = random(rnd, length);
            for (int i = 0; i < length; i++) {
                z[i] += Math.copySign(0.01, z[i]); // keep every z away from the kink at 0
            }
            double[] r = random(rnd, length);
            assertGradient("relu " + length, OracleRelu.backward(r, z), zv -> dot(r, OracleRelu.forward(zv)), z);
        }
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        assertBadShape(() -> OracleRelu.backward(new double[3], new double[4]), 4, 3);
    }
}
