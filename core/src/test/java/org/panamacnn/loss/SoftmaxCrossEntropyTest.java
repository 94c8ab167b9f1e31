package org.panamacnn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertMessageNames;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panamacnn.oracle.OracleActivations;
import org.panamacnn.oracle.OracleLoss;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

class SoftmaxCrossEntropyTest {
    static final double TOL = 1e-5;

    @ParameterizedTest(name = "logits [{0}, {1}] × {2}")
    @CsvSource({"1, 2, 1", "4, 3, 3", "7, 10, 5", "16, 10, 20", "3, 1000, 1"})
    void matchesOracle(int n, int k, float scale) {
        String what = "softmax cross-entropy on logits [" + n + ", " + k + "] × " + scale;
        Random rnd = new Random(31L * n + k);
        float[] z = uniform(rnd, n * k);
        for (int i = 0; i < z.length; i++) z[i] *= scale;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(k);
        double[] zd = toDouble(z);

        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();
        double loss = head.forward(tensor(Shape.of(k), n, z), labels);
        double expected = OracleLoss.softmaxCrossEntropy(zd, n, k, labels);
        assertEquals(expected, loss, TOL * Math.max(1, Math.abs(expected)), what + ": loss");
        assertEquals(Shape.of(n, k), head.gradient().shape(), what + ": gradient shape");
        assertClose(what + ": ∂L/∂logits", OracleLoss.softmaxCrossEntropyGrad(zd, n, k, labels), head.gradient(), TOL);
        double[] p = OracleActivations.softmax(zd, n, k);
        assertClose(what + ": probabilities", p, head.probabilities(), TOL);
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (p[r * k + j] > p[r * k + best]) best = j;
            assertEquals(best, head.predictedClass(r), what + ": predicted class of sample " + r);
        }
    }

    @Test
    void largeLogitsStayFinite() {
        // exp(1000) overflows float and double: only the max-subtracted forms survive.
        float[] z = {1000f, 0f, -1000f, -1000f, 999f, 1000f};
        int[] labels = {2, 0};
        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();
        double loss = head.forward(tensor(Shape.of(3), 2, z), labels);
        double expected = OracleLoss.softmaxCrossEntropy(toDouble(z), 2, 3, labels);
        assertTrue(Double.isFinite(loss), "loss on logits ±1000 [2, 3]: " + loss);
        assertEquals(expected, loss, 1e-3, "loss on logits ±1000 [2, 3]");
        assertClose("∂L/∂logits on logits ±1000 [2, 3]", OracleLoss.softmaxCrossEntropyGrad(toDouble(z), 2, 3, labels),
                head.gradient(), TOL);
        assertEquals(0, head.predictedClass(0));
        assertEquals(2, head.predictedClass(1));
    }

    @Test
    void predictedClassIsTheLargestLogit() {
        float[] z = {0.1f, 3f, -2f, 0.5f,
                     7f, 6.9f, 0f, 1f,
                     -1f, -2f, -3f, -0.5f};
        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();
        head.forward(tensor(Shape.of(4), 3, z), new int[] {0, 0, 0});
        assertEquals(1, head.predictedClass(0), "row 0 of [3, 4]");
        assertEquals(0, head.predictedClass(1), "row 1 of [3, 4]");
        assertEquals(3, head.predictedClass(2), "row 2 of [3, 4]");
    }

    @Test
    void batchAndClassCountMayChange() {
        Random rnd = new Random(3);
        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();
        int[][] shapes = {{8, 10}, {3, 10}, {8, 10}, {5, 4}};
        for (int[] s : shapes) {
            int n = s[0], k = s[1];
            float[] z = uniform(rnd, n * k);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(k);
            double loss = head.forward(tensor(Shape.of(k), n, z), labels);
            String what = "logits [" + n + ", " + k + "] after other batches";
            assertEquals(OracleLoss.softmaxCrossEntropy(toDouble(z), n, k, labels), loss, TOL, what);
            assertClose(what + ": ∂L/∂logits", OracleLoss.softmaxCrossEntropyGrad(toDouble(z), n, k, labels),
                    head.gradient(), TOL);
        }
    }

    @Test
    void rejectsBadInput() {
        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();
        Tensor logits = tensor(Shape.of(3), 2, new float[6]);
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> head.forward(logits, new int[] {0, 3})),
                "3");
        assertThrows(IllegalArgumentException.class, () -> head.forward(logits, new int[] {-1, 0}));
        assertThrows(IllegalArgumentException.class, () -> head.forward(logits, new int[] {0}));
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> head.forward(tensor(Shape.of(1, 3), 2, new float[6]), new int[] {0, 0})), "[2, 1, 3]");
    }
}
