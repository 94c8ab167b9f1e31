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

class SigmoidBinaryCrossEntropyTest {
    static final double TOL = 1e-5;

    /** Soft targets in [0, 1], several outputs per sample. */
    @ParameterizedTest(name = "logits [{0}, {1}] × {2}")
    @CsvSource({"1, 1, 1", "5, 1, 4", "4, 3, 2", "9, 7, 30"})
    void softTargetsMatchOracle(int n, int k, float scale) {
        String what = "sigmoid BCE on logits [" + n + ", " + k + "] × " + scale;
        Random rnd = new Random(17L * n + k);
        float[] z = uniform(rnd, n * k);
        for (int i = 0; i < z.length; i++) z[i] *= scale;
        float[] y = new float[n * k];
        for (int i = 0; i < y.length; i++) y[i] = i % 3 == 0 ? 1f : i % 3 == 1 ? 0f : rnd.nextFloat();
        double[] zd = toDouble(z), yd = toDouble(y);

        SigmoidBinaryCrossEntropy head = new SigmoidBinaryCrossEntropy();
        double loss = head.forward(tensor(Shape.of(k), n, z), y);
        double expected = OracleLoss.sigmoidBinaryCrossEntropy(zd, yd);
        assertEquals(expected, loss, TOL * Math.max(1, expected), what + ": loss");
        assertEquals(Shape.of(n, k), head.gradient().shape(), what + ": gradient shape");
        assertClose(what + ": ∂L/∂logits", OracleLoss.sigmoidBinaryCrossEntropyGrad(zd, yd), head.gradient(), TOL);
        assertClose(what + ": probabilities", OracleActivations.sigmoid(zd), head.probabilities(), TOL);
    }

    /** One 0/1 label per sample: the int[] form equals the float-target form and the oracle. */
    @Test
    void integerLabelsMatchOracle() {
        Random rnd = new Random(23);
        int n = 11;
        float[] z = uniform(rnd, n);
        for (int i = 0; i < n; i++) z[i] *= 6f;
        int[] labels = new int[n];
        double[] yd = new double[n];
        for (int i = 0; i < n; i++) yd[i] = labels[i] = rnd.nextInt(2);
        SigmoidBinaryCrossEntropy head = new SigmoidBinaryCrossEntropy();
        double loss = head.forward(tensor(Shape.of(1), n, z), labels);
        assertEquals(OracleLoss.sigmoidBinaryCrossEntropy(toDouble(z), yd), loss, TOL, "loss on logits [11, 1]");
        assertClose("∂L/∂logits on logits [11, 1]", OracleLoss.sigmoidBinaryCrossEntropyGrad(toDouble(z), yd),
                head.gradient(), TOL);
        for (int i = 0; i < n; i++) {
            assertEquals(z[i] >= 0 ? 1 : 0, head.predictedClass(i), "predicted class of logit " + z[i]);
        }
    }

    @Test
    void predictedClassThresholdsAtOneHalf() {
        SigmoidBinaryCrossEntropy head = new SigmoidBinaryCrossEntropy();
        head.forward(tensor(Shape.of(1), 5, new float[] {-3f, -0.01f, 0f, 0.01f, 40f}), new int[] {0, 0, 0, 1, 1});
        int[] expected = {0, 0, 1, 1, 1}; // σ(0) = 0.5 counts as class 1
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], head.predictedClass(i), "sample " + i);
    }

    @Test
    void largeLogitsStayFinite() {
        float[] z = {100f, -100f, 100f, -100f, 0f};
        float[] y = {1f, 0f, 0f, 1f, 1f};
        SigmoidBinaryCrossEntropy head = new SigmoidBinaryCrossEntropy();
        double loss = head.forward(tensor(Shape.of(1), 5, z), y);
        double expected = OracleLoss.sigmoidBinaryCrossEntropy(toDouble(z), toDouble(y)); // (100 + 100 + ln 2) / 5
        assertTrue(Double.isFinite(loss), "loss on logits ±100 [5, 1]: " + loss);
        assertEquals(expected, loss, 1e-4, "loss on logits ±100 [5, 1]");
        assertClose("∂L/∂logits on logits ±100 [5, 1]",
                OracleLoss.sigmoidBinaryCrossEntropyGrad(toDouble(z), toDouble(y)), head.gradient(), TOL);
    }

    @Test
    void rejectsBadLabels() {
        SigmoidBinaryCrossEntropy head = new SigmoidBinaryCrossEntropy();
        Tensor one = tensor(Shape.of(1), 2, new float[2]);
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> head.forward(one, new int[] {0, 2})),
                "2");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> head.forward(tensor(Shape.of(3), 2, new float[6]), new int[] {0, 1})), "[2, 3]");
        assertThrows(IllegalArgumentException.class, () -> head.forward(one, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> head.forward(one, new float[] {0f, 1.5f}));
    }
}
