package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.assertGradient;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OracleLossTest {

    @ParameterizedTest
    @CsvSource({"1, 2", "2, 10", "5, 3"})
    void softmaxCrossEntropyGradMatchesFiniteDifferences(int n, int k) {
        Random rnd = new Random(10L * n + k);
        double[] z = random(rnd, n * k);
        for (int i = 0; i < z.length; i++) {
            z[i] *= 3;
        }
        int[] labels = new int[n];
        for (int b = 0; b < n; b++) {
            labels[b] = rnd.nextInt(k);
        }
        assertGradient("softmax CE", OracleLoss.softmaxCrossEntropyGrad(z, n, k, labels),
                zv -> OracleLoss.softmaxCrossEntropy(zv, n, k, labels), z);
    }

    @ParameterizedTest
    @CsvSource({"1", "6", "17"})
    void sigmoidBinaryCrossEntropyGradMatchesFiniteDifferences(int count) {
        Random rnd = new Random(count);
        double[] z = random(rnd, count);
        double[] y = new double[count];
        for (int i = 0; i < count; i++) {
            z[i] *= 4;
            y[i] = i % 3 == 0 ? rnd.nextDouble() : (i % 3 == 1 ? 1 : 0); // soft and hard targets
        }
        assertGradient("sigmoid BCE", OracleLoss.sigmoidBinaryCrossEntropyGrad(z, y),
                zv -> OracleLoss.sigmoidBinaryCrossEntropy(zv, y), z);
    }

    @Test
    void softmaxCrossEntropyByHand() {
        // uniform logits over k classes: loss = log k, gradient (1/k − onehot) / n
        double[] z = new double[2 * 4];
        int[] labels = {1, 3};
        assertEquals(Math.log(4), OracleLoss.softmaxCrossEntropy(z, 2, 4, labels), 1e-15);
        assertArrayEquals(new double[] {0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375},
                OracleLoss.softmaxCrossEntropyGrad(z, 2, 4, labels), 1e-15);
        // huge logits stay finite: wrong class by 2000 costs 2000
        double[] big = {1000, -1000};
        assertEquals(2000, OracleLoss.softmaxCrossEntropy(big, 1, 2, new int[] {1}), 1e-9);
        assertEquals(0, OracleLoss.softmaxCrossEntropy(big, 1, 2, new int[] {0}), 1e-15);
    }

    /** (e) */
    @Test
    void sigmoidBinaryCrossEntropyByHandAndFiniteAtLargeLogits() {
        double z = 0.7, y = 0.3;
        double s = 1 / (1 + Math.exp(-z));
        double textbook = -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
        assertEquals(textbook, OracleLoss.sigmoidBinaryCrossEntropy(new double[] {z}, new double[] {y}), 1e-15);
        assertEquals(Math.log(2), OracleLoss.sigmoidBinaryCrossEntropy(new double[] {0, 0}, new double[] {1, 0}), 1e-15);

        double[] logits = {1000, -1000, 1000, -1000};
        double[] targets = {1, 0, 0, 1};
        double loss = OracleLoss.sigmoidBinaryCrossEntropy(logits, targets);
        assertEquals(500, loss, 1e-9); // two perfect (0) and two wrong by 1000 each: mean 2000 / 4
        double[] grad = OracleLoss.sigmoidBinaryCrossEntropyGrad(logits, targets);
        assertArrayEquals(new double[] {0, 0, 0.25, -0.25}, grad, 1e-15);
        for (double g : grad) {
            assertTrue(Double.isFinite(g));
        }
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        assertBadShape(() -> OracleLoss.softmaxCrossEntropy(new double[7], 2, 4, new int[2]), 8, 7);
        assertBadShape(() -> OracleLoss.softmaxCrossEntropyGrad(new double[8], 2, 4, new int[3]), 2, 3);
        assertBadShape(() -> OracleLoss.sigmoidBinaryCrossEntropy(new double[5], new double[4]), 5, 4);
        assertBadShape(() -> OracleLoss.sigmoidBinaryCrossEntropyGrad(new double[5], new double[6]), 5, 6);
        assertThrows(IllegalArgumentException.class,
                () -> OracleLoss.softmaxCrossEntropy(new double[8], 2, 4, new int[] {0, 4}));
        assertThrows(IllegalArgumentException.class,
                () -> OracleLoss.sigmoidBinaryCrossEntropy(new double[1], new double[] {1.5}));
    }
}
