package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.distinct;
import static org.panamacnn.nn.TestSupport.set;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.oracle.OracleLoss;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Batch 8, then 3, then 8 again (buffers are reused): every result is still right. */
class BatchSizeChangeTest {
    static final int[] BATCHES = {8, 3, 8, 1, 11};
    static final double TOL = 1e-4;

    /**
     * conv(s2) → ReLU → overlapping pool → conv → ReLU → flatten → dense → softmax CE; every activation
     * gradient path and parameter gradient against the oracle chain, for each batch in turn.
     */
    @Test
    void wholeModelAcrossBatchSizes() {
        checkModel(ParallelExecutor.SEQUENTIAL);
    }

    @Test
    void wholeModelAcrossBatchSizesWithThreeThreads() {
        try (ParallelExecutor executor = new ParallelExecutor(3)) {
            checkModel(executor);
        }
    }

    private static void checkModel(ParallelExecutor executor) {
        Shape in = Shape.of(3, 11, 9);
        Conv2d conv1 = new Conv2d(3, 5, 3, 2, 1);
        Conv2d conv2 = new Conv2d(5, 4, 1, 1, 0);
        Dense dense = new Dense(6);
        Sequential model = new Sequential(in, executor, List.of(conv1, new ReLU(), new MaxPool2d(3, 1), conv2,
                new ReLU(), new Flatten(), dense));
        model.initialize(8);
        // Biases away from zero, so that ReLU and pooling see both signs.
        Random rnd = new Random(83);
        set(conv1.bias(), uniform(rnd, 5));
        set(conv2.bias(), uniform(rnd, 4));
        OracleChain chain = new OracleChain(in);
        OracleChain.Conv oc1 = chain.conv(conv1, 2, 1);
        chain.relu().pool(3, 1);
        OracleChain.Conv oc2 = chain.conv(conv2, 1, 0);
        chain.relu().flatten();
        OracleChain.Fc od = chain.dense(dense);
        assertEquals(chain.outputShape(), model.outputShape());
        SoftmaxCrossEntropy head = new SoftmaxCrossEntropy();

        for (int step = 0; step < BATCHES.length; step++) {
            int n = BATCHES[step];
            String what = "step " + step + ", batch " + n + " of " + Arrays.toString(BATCHES) + " on " + in;
            float[] x = uniform(rnd, n * in.size());
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(6);
            Tensor logits = model.forward(tensor(in, n, x), true);
            assertEquals(Shape.of(n, 6), logits.shape(), what + ": logits shape");
            double loss = head.forward(logits, labels);
            model.backward(head.gradient());

            double[] expectedLogits = chain.forward(toDouble(x), n);
            assertClose(what + ": logits", expectedLogits, logits, TOL);
            assertEquals(OracleLoss.softmaxCrossEntropy(expectedLogits, n, 6, labels), loss, TOL, what + ": loss");
            chain.backward(OracleLoss.softmaxCrossEntropyGrad(expectedLogits, n, 6, labels));
            assertClose(what + ": conv1 ∂L/∂weight", oc1.gradWeight, conv1.weight().grad(), TOL);
            assertClose(what + ": conv1 ∂L/∂bias", oc1.gradBias, conv1.bias().grad(), TOL);
            assertClose(what + ": conv2 ∂L/∂weight", oc2.gradWeight, conv2.weight().grad(), TOL);
            assertClose(what + ": conv2 ∂L/∂bias", oc2.gradBias, conv2.bias().grad(), TOL);
            assertClose(what + ": dense ∂L/∂weight", od.gradWeight, dense.weight().grad(), TOL);
            assertClose(what + ": dense ∂L/∂bias", od.gradBias, dense.bias().grad(), TOL);
        }
    }

    /** Each layer alone, including its input gradient, 8 → 3 → 8. */
    @Test
    void eachLayerAcrossBatchSizes() {
        Random rnd = new Random(38);
        Shape image = Shape.of(2, 7, 6);
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1);
        MaxPool2d pool = new MaxPool2d(2);
        ReLU relu = new ReLU();
        Flatten flatten = new Flatten();
        Dense dense = new Dense(84, 5);
        conv.build(image);
        pool.build(image);
        relu.build(image);
        flatten.build(image);
        dense.build(Shape.of(84));
        set(conv.weight(), uniform(rnd, conv.weight().size()));
        set(conv.bias(), uniform(rnd, 3));
        set(dense.weight(), uniform(rnd, dense.weight().size()));
        set(dense.bias(), uniform(rnd, 5));

        for (int n : new int[] {8, 3, 8}) {
            String at = " on batch " + n + " (after 8 → 3 → 8 so far) of " + image;
            float[] x = distinct(rnd, n * image.size());
            double[] xd = toDouble(x);
            Tensor xt = tensor(image, n, x);

            OracleChain convChain = new OracleChain(image);
            convChain.conv(conv, 1, 1);
            checkStage("Conv2d(2→3, 3×3, stride 1, pad 1)" + at, conv, convChain, xt, xd, n, rnd);
            checkStage("MaxPool2d(2×2, stride 2)" + at, pool, new OracleChain(image).pool(2, 2), xt, xd, n, rnd);
            checkStage("ReLU" + at, relu, new OracleChain(image).relu(), xt, xd, n, rnd);
            checkStage("Flatten" + at, flatten, new OracleChain(image).flatten(), xt, xd, n, rnd);
            OracleChain denseChain = new OracleChain(Shape.of(84));
            denseChain.dense(dense);
            checkStage("Dense(84→5)" + at, dense, denseChain, xt.reshape(Shape.of(n, 84)), xd, n, rnd);
        }
    }

    private static void checkStage(String what, Layer layer, OracleChain oracle, Tensor x, double[] xd, int n,
                                   Random rnd) {
        Tensor y = layer.forward(x, true);
        double[] expected = oracle.forward(xd, n);
        assertEquals(oracle.outputShape().withBatch(n), y.shape(), what + ": output shape");
        assertClose(what + ": forward", expected, y, TOL);
        float[] g = uniform(rnd, expected.length);
        Tensor dx = layer.backward(tensor(oracle.outputShape(), n, g), true);
        assertEquals(x.shape(), dx.shape(), what + ": input gradient shape");
        assertClose(what + ": ∂L/∂input", oracle.backward(toDouble(g)), dx, TOL);
    }
}
