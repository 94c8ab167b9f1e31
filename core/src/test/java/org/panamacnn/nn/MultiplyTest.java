package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertMessageNames;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.oracle.OracleMerge;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * {@link Multiply}: element by element and as a per-channel scale (either input), against the
 * oracle forward and backward on odd shapes, the oracle's gradient against finite differences, the
 * same bits at 1 and 3 threads, a squeeze-and-excitation graph that trains and agrees with its
 * inference plan, and its errors.
 */
class MultiplyTest {

    /** scaleInput: −1 both inputs [c, h, w]; 0 or 1: that input is the [c, 1, 1] scale. */
    @ParameterizedTest(name = "batch {0}, [{1}, {2}, {3}], scale input {4}")
    @CsvSource({"1, 1, 1, 1, -1", "3, 5, 7, 3, -1", "2, 17, 3, 5, -1", "3, 5, 7, 3, 1", "2, 17, 3, 5, 0", "5, 3, 9, 11, 1", "1, 33, 1, 1, 0"})
    void agreesWithTheOracle(int batch, int c, int h, int w, int scaleInput) {
        Random rnd = new Random(31L * c + h + scaleInput);
        Shape image = Shape.of(c, h, w), scale = scaleInput < 0 ? image : Shape.of(c, 1, 1);
        Shape aShape = scaleInput == 0 ? scale : image, bShape = scaleInput == 0 ? image : scale;
        for (int threads : new int[] {1, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Multiply mul = new Multiply();
                assertEquals(image, mul.build(List.of(aShape, bShape), ex));
                float[] a = uniform(rnd, batch * aShape.size()), b = uniform(rnd, batch * bShape.size()), g = uniform(rnd, batch * image.size());
                Tensor y = mul.forward(new Tensor[] {tensor(aShape, batch, a), tensor(bShape, batch, b)});
                double[] x = toDouble(scaleInput == 0 ? b : a), s = toDouble(scaleInput == 0 ? a : b);
                int p = h * w;
                assertClose("y", OracleMerge.multiply(x, s, batch, c, p, scaleInput >= 0), y, 1e-7);
                Tensor[] d = new Tensor[2];
                mul.backward(tensor(image, batch, g), d);
                double[][] expected = OracleMerge.multiplyBackward(toDouble(g), x, s, batch, c, p, scaleInput >= 0);
                int xi = scaleInput == 0 ? 1 : 0;
                assertClose("δx", expected[0], d[xi], 1e-6);
                assertClose("δs", expected[1], d[1 - xi], 1e-5 * Math.max(1, p));
            }
        }
    }

    @Test
    void theBitsDoNotDependOnTheThreadCount() {
        Random rnd = new Random(4);
        Shape image = Shape.of(6, 5, 7), scale = Shape.of(6, 1, 1);
        int batch = 11;
        float[] a = uniform(rnd, batch * image.size()), b = uniform(rnd, batch * scale.size()), g = uniform(rnd, batch * image.size());
        float[][] first = null;
        for (int threads : new int[] {1, 2, 4}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Multiply mul = new Multiply();
                mul.build(List.of(image, scale), ex);
                float[] y = mul.forward(new Tensor[] {tensor(image, batch, a), tensor(scale, batch, b)}).toArray();
                Tensor[] d = new Tensor[2];
                mul.backward(tensor(image, batch, g), d);
                float[][] all = {y, d[0].toArray(), d[1].toArray()};
                if (first == null) first = all;
                for (int i = 0; i < 3; i++) assertArrayEquals(first[i], all[i], threads + " threads, output " + i);
            }
        }
    }

    @Test
    void theOracleGradientAgreesWithFiniteDifferences() {
        Random rnd = new Random(9);
        int n = 2, c = 3, p = 5;
        for (boolean perChannel : new boolean[] {false, true}) {
            double[] x = toDouble(uniform(rnd, n * c * p)), s = toDouble(uniform(rnd, perChannel ? n * c : n * c * p));
            double[] r = toDouble(uniform(rnd, n * c * p));
            double[][] analytic = OracleMerge.multiplyBackward(r, x, s, n, c, p, perChannel);
            double[] dx = FiniteDifference.gradient(v -> TestSupport.dot(r, OracleMerge.multiply(v, s, n, c, p, perChannel)), x, 1e-6);
            double[] ds = FiniteDifference.gradient(v -> TestSupport.dot(r, OracleMerge.multiply(x, v, n, c, p, perChannel)), s, 1e-6);
            org.junit.jupiter.api.Assertions.assertTrue(FiniteDifference.maxRelativeError(analytic[0], dx) < 1e-6, "δx");
            org.junit.jupiter.api.Assertions.assertTrue(FiniteDifference.maxRelativeError(analytic[1], ds) < 1e-6, "δs");
        }
    }

    /** A squeeze-and-excitation block with SiLU as x·sigmoid(x): trains, its gradient is checked, inference agrees. */
    @Test
    void aSqueezeAndExcitationGraphTrainsAndServes() {
        Shape in = Shape.of(3, 6, 5);
        Graph se = new Graph(List.of(
                Graph.Node.of("conv", new Conv2d(8, 3, 1, 1), Graph.INPUT),
                Graph.Node.of("sig", PointwiseActivation.sigmoid(), "conv"),
                Graph.Node.of("silu", new Multiply(), "conv", "sig"),
                Graph.Node.of("squeeze", new GlobalAvgPool2d(), "silu"),
                Graph.Node.of("fc1", new Conv2d(4, 1, 1, 0), "squeeze"),
                Graph.Node.of("act", new ReLU(), "fc1"),
                Graph.Node.of("fc2", new Conv2d(8, 1, 1, 0), "act"),
                Graph.Node.of("gate", PointwiseActivation.hardSigmoid(), "fc2"),
                Graph.Node.of("scaled", new Multiply(), "gate", "silu")));
        Sequential model = new Sequential(in, ParallelExecutor.SEQUENTIAL, List.of(se, new Flatten(), new Dense(4)));
        model.initialize(3);
        assertEquals("graph nodes=[conv: conv2d in=3 out=8 kernel=3 stride=1 pad=1 | sig: sigmoid | silu(conv, sig): mul | squeeze: globalavgpool2d"
                + " | fc1: conv2d in=8 out=4 kernel=1 stride=1 pad=0 | act: relu | fc2: conv2d in=4 out=8 kernel=1 stride=1 pad=0"
                + " | gate: hardsigmoid | scaled(gate, silu): mul]", se.spec());
        assertEquals(se.spec(), LayerSpec.parse(se.spec()).spec(), "the spec reads back");
        Random rnd = new Random(5);
        int batch = 3;
        float[] x = uniform(rnd, batch * in.size());
        double[] r = toDouble(uniform(rnd, batch * 4));
        Tensor y = model.forward(tensor(in, batch, x), true);
        model.backward(tensor(Shape.of(4), batch, TestSupport.toFloat(r)));
        Param w = se.namedParams().get("fc1.weight");
        double[] analytic = toDouble(w.grad());
        double[] numeric = TestSupport.floatCentralDifference(w.value().data(), w.size(), 1e-2f,
                () -> TestSupport.weightedSum(r, model.forward(tensor(in, batch, x.clone()), false)));
        org.junit.jupiter.api.Assertions.assertTrue(FiniteDifference.maxRelativeError(analytic, numeric) < 1e-2,
                "fc1 weight gradient against float finite differences");
        org.panamacnn.infer.InferenceModel im = org.panamacnn.infer.InferenceModel.compile(model);
        org.panamacnn.infer.Workspace ws = im.newWorkspace(batch, 1);
        System.arraycopy(x, 0, im.input(ws), 0, x.length);
        im.forward(ws, batch, org.panamacnn.simd.TaskRunner.SERIAL);
        float[] expected = model.forward(tensor(in, batch, x.clone()), false).toArray();
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < 4; k++) assertEquals(expected[n * 4 + k], im.output(ws)[n * im.outputStride() + k], 1e-5, "served logit " + n + "," + k);
        }
        assertEquals(y.shape(), Shape.of(batch, 4));
    }

    @Test
    void refusesShapesItCannotMultiply() {
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> new Multiply().build(List.of(Shape.of(4, 3, 3), Shape.of(2, 1, 1)), ParallelExecutor.SEQUENTIAL)), "[4, 3, 3]", "[2, 1, 1]");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> new Multiply().build(List.of(Shape.of(4, 3, 3), Shape.of(4, 3, 3), Shape.of(4, 3, 3)), ParallelExecutor.SEQUENTIAL)), "two inputs", "3");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("mul")), "mul", "graph node");
    }
}
