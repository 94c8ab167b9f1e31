package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.distinct;
import static org.panamacnn.nn.TestSupport.maxAbs;
import static org.panamacnn.nn.TestSupport.set;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamacnn.loss.SigmoidBinaryCrossEntropy;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.oracle.OracleLoss;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** The worked examples of the reference notes, as tests. */
class WorkedExamplesTest {

    /**
     * (a) 6×6 image → Conv2d(1→1, 3×3) → ReLU → MaxPool2d(2) → Flatten(4) → Dense(4→1) → sigmoid + BCE:
     * 15 parameters; δW2 = (A2 − Y)·Fᵀ, δb2 = A2 − Y; the conv gradients equal the oracle chain's and
     * finite differences of the oracle loss.
     */
    @ParameterizedTest(name = "target Y = {0}")
    @ValueSource(ints = {0, 1})
    void sixBySixBinaryNetwork(int y) {
        Conv2d conv = new Conv2d(1, 1, 3, 1, 0);
        ReLU relu = new ReLU();
        MaxPool2d pool = new MaxPool2d(2, 2);
        Flatten flatten = new Flatten();
        Dense dense = new Dense(4, 1);
        Shape image = Shape.of(1, 6, 6);
        Sequential model = new Sequential(image, conv, relu, pool, flatten, dense);
        assertEquals(15, model.parameterCount(), "9 + 1 conv + 4 + 1 dense parameters\n" + model.summary());
        assertEquals(Shape.of(1, 4, 4), model.shapeBefore(2), "conv output of the 6×6 image");
        assertEquals(Shape.of(4), model.shapeBefore(4), "flatten output");
        assertEquals(Shape.of(1), model.outputShape());

        Random rnd = new Random(66);
        set(conv.weight(), uniform(rnd, 9));
        set(conv.bias(), new float[] {0.1f});
        set(dense.weight(), uniform(rnd, 4));
        set(dense.bias(), new float[] {-0.2f});
        float[] x = distinct(rnd, 36);
        Tensor xt = tensor(image, 1, x);

        // The forward pass stage by stage (what Sequential.forward does), keeping F = the flatten output.
        List<float[]> stages = new ArrayList<>();
        Tensor t = xt;
        for (Layer layer : model.layers()) {
            t = layer.forward(t, true);
            stages.add(t.toArray());
        }
        float[] f = stages.get(3);
        assertEquals(4, f.length, "F has 4 elements");
        assertArrayEquals(stages.get(4), model.forward(xt, true).toArray(), "Sequential.forward = the stages in order");

        SigmoidBinaryCrossEntropy head = new SigmoidBinaryCrossEntropy();
        double loss = head.forward(model.forward(xt, true), new int[] {y});
        double a2 = head.probabilities().get(0);
        double z2 = stages.get(4)[0];
        assertEquals(1 / (1 + Math.exp(-z2)), a2, 1e-6, "A2 = σ(Z2)");
        assertEquals(-(y * Math.log(a2) + (1 - y) * Math.log(1 - a2)), loss, 1e-5, "L = −[Y log A2 + (1−Y) log(1−A2)]");
        model.backward(head.gradient());

        double[] dw2 = new double[4];
        for (int j = 0; j < 4; j++) dw2[j] = (a2 - y) * f[j];
        assertClose("δW2 = (A2 − Y)·Fᵀ", dw2, dense.weight().grad(), 1e-5);
        assertClose("δb2 = A2 − Y", new double[] {a2 - y}, dense.bias().grad(), 1e-5);

        // The oracle chain with the same parameters.
        OracleChain chain = new OracleChain(image);
        OracleChain.Conv oc = chain.conv(conv, 1, 0);
        chain.relu().pool(2, 2).flatten();
        OracleChain.Fc od = chain.dense(dense);
        double[] xd = toDouble(x);
        double[] yd = {y};
        double[] z2d = chain.forward(xd, 1);
        assertClose("oracle Z2 of the 6×6 network", z2d, new double[] {z2}, 1e-5);
        chain.backward(OracleLoss.sigmoidBinaryCrossEntropyGrad(z2d, yd));
        assertClose("δW1 vs the oracle chain", oc.gradWeight, conv.weight().grad(), 1e-5);
        assertClose("δb1 vs the oracle chain", oc.gradBias, conv.bias().grad(), 1e-5);
        assertClose("δW2 vs the oracle chain", od.gradWeight, dense.weight().grad(), 1e-5);
        assertTrue(maxAbs(oc.gradWeight) > 1e-3, "the example must reach the conv weights: "
                + Arrays.toString(oc.gradWeight));

        // Finite differences of the oracle loss in W1 and b1 (each perturbed in place in the chain).
        ToDoubleFunction<double[]> lossOfChain =
                ignored -> OracleLoss.sigmoidBinaryCrossEntropy(chain.forward(xd, 1), yd);
        double[] dw1 = oc.gradWeight.clone(), db1 = oc.gradBias.clone();
        assertFiniteDifference("oracle δW1 of the 6×6 network", dw1, lossOfChain, oc.weight, 1e-6, 1e-6);
        assertFiniteDifference("oracle δb1 of the 6×6 network", db1, lossOfChain, oc.bias, 1e-6, 1e-6);
        assertFiniteDifference("float δW1 of the 6×6 network", toDouble(conv.weight().grad()), lossOfChain,
                oc.weight, 1e-6, 1e-5);
        assertFiniteDifference("float δb1 of the 6×6 network", toDouble(conv.bias().grad()), lossOfChain,
                oc.bias, 1e-6, 1e-5);
    }

    /** (b) 25 at the centre of a 3×3 image, a 3×3 filter with 1 at the centre, and the all-zero filter. */
    @Test
    void centreFilterKeepsTheCentre() {
        float[] image = {0, 0, 0, 0, 25, 0, 0, 0, 0};
        float[] centre = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        Shape in = Shape.of(1, 3, 3);

        Conv2d same = new Conv2d(1, 1, 3, 1, 1);
        assertEquals(Shape.of(1, 3, 3), same.build(in), "pad 1 keeps 3×3");
        set(same.weight(), centre);
        assertArrayEquals(image, same.forward(tensor(in, 1, image), false).toArray(),
                "pad 1: the centre filter copies the image, 25 at the centre");
        set(same.weight(), new float[9]);
        assertArrayEquals(new float[9], same.forward(tensor(in, 1, image), false).toArray(),
                "pad 1: the zero filter gives zeros");

        Conv2d valid = new Conv2d(1, 1, 3, 1, 0);
        assertEquals(Shape.of(1, 1, 1), valid.build(in), "pad 0 gives 1×1");
        set(valid.weight(), centre);
        assertArrayEquals(new float[] {25}, valid.forward(tensor(in, 1, image), false).toArray(), "pad 0: 25");
        set(valid.weight(), new float[9]);
        assertArrayEquals(new float[] {0}, valid.forward(tensor(in, 1, image), false).toArray(), "pad 0: zero filter");
    }

    /** (c) 3×32×32 → Conv2d(3→16, 3×3, pad 1) → ReLU → MaxPool2d(2) → Flatten → Dense(10): 4096 inputs. */
    @Test
    void cifarSizedNetwork() {
        Conv2d conv = new Conv2d(3, 16, 3, 1, 1);
        MaxPool2d pool = new MaxPool2d(2);
        Dense dense = new Dense(10);
        Sequential model = new Sequential(Shape.of(3, 32, 32), conv, new ReLU(), pool, new Flatten(), dense);
        assertEquals(Shape.of(4096), model.shapeBefore(4), "dense input = 16·16·16\n" + model.summary());
        assertEquals(Shape.of(10, 4096), dense.weight().value().shape(), "dense weight shape");
        assertEquals(Shape.of(10), model.outputShape());
        assertEquals(16 * 3 * 9 + 16 + 10 * 4096 + 10, model.parameterCount(), model.summary());

        model.initialize(32);
        OracleChain chain = new OracleChain(Shape.of(3, 32, 32));
        OracleChain.Conv oc = chain.conv(conv, 1, 1);
        chain.relu().pool(2, 2).flatten();
        OracleChain.Fc od = chain.dense(dense);
        checkAgainstChain("3×32×32 → conv16 → pool → dense(4096→10)", model, chain, List.of(conv, dense), List.of(oc, od));
    }

    /** (c) the same with a second Conv2d(16→32, 3×3, pad 1) + ReLU after the pool: 32·16·16 = 8192 inputs. */
    @Test
    void cifarSizedNetworkWithTwoConvolutions() {
        Conv2d conv1 = new Conv2d(3, 16, 3, 1, 1);
        Conv2d conv2 = new Conv2d(16, 32, 3, 1, 1);
        Dense dense = new Dense(10);
        Sequential model = new Sequential(Shape.of(3, 32, 32), conv1, new ReLU(), new MaxPool2d(2), conv2, new ReLU(),
                new Flatten(), dense);
        assertEquals(Shape.of(8192), model.shapeBefore(6), "dense input = 32·16·16\n" + model.summary());
        assertEquals(Shape.of(10, 8192), dense.weight().value().shape(), "dense weight shape");

        model.initialize(3216);
        OracleChain chain = new OracleChain(Shape.of(3, 32, 32));
        OracleChain.Conv oc1 = chain.conv(conv1, 1, 1);
        chain.relu().pool(2, 2);
        OracleChain.Conv oc2 = chain.conv(conv2, 1, 1);
        chain.relu().flatten();
        OracleChain.Fc od = chain.dense(dense);
        checkAgainstChain("3×32×32 → conv16 → pool → conv32 → dense(8192→10)", model, chain,
                List.of(conv1, conv2, dense), List.of(oc1, oc2, od));
    }

    /** Batch 2, softmax cross-entropy: loss and every parameter gradient against the oracle chain. */
    private static void checkAgainstChain(String what, Sequential model, OracleChain chain, List<Layer> layers,
                                          List<OracleChain.Stage> stages) {
        int batch = 2;
        Random rnd = new Random(what.hashCode());
        float[] x = uniform(rnd, batch * model.inputShape().size());
        int[] labels = {3, 7};
        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();
        double loss = head.forward(model.forward(tensor(model.inputShape(), batch, x), true), labels);
        model.backward(head.gradient());

        double[] logits = chain.forward(toDouble(x), batch);
        assertEquals(OracleLoss.softmaxCrossEntropy(logits, batch, 10, labels), loss, 1e-4, what + ": loss");
        chain.backward(OracleLoss.softmaxCrossEntropyGrad(logits, batch, 10, labels));
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            OracleChain.Stage stage = stages.get(i);
            double[][] expected = stage.paramGrads();
            List<Param> params = layer.params();
            assertEquals(params.size(), expected.length, what + ": parameters of " + layer.describe());
            for (int p = 0; p < params.size(); p++) {
                String name = what + ", batch 2: " + layer.describe() + " on " + stage.in + " ∂L/∂"
                        + params.get(p).name() + " " + params.get(p).value().shape();
                assertTrue(maxAbs(expected[p]) > 0, name + " is not all zero");
                assertClose(name, expected[p], params.get(p).grad(), 1e-4);
            }
        }
    }
}
