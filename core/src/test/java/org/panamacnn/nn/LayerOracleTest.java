package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.distinct;
import static org.panamacnn.nn.TestSupport.set;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.oracle.OracleAvgPool;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleDense;
import org.panamacnn.oracle.OracleMaxPool;
import org.panamacnn.oracle.OracleRelu;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Every float layer against the double oracle: forward, ∂L/∂input and every parameter gradient. */
class LayerOracleTest {
    /** Normwise tolerance of float against double on these small sums. */
    static final double TOL = 2e-5;

    record ConvCase(int batch, int cin, int h, int w, int cout, int k, int stride, int pad, long seed) {
        @Override
        public String toString() {
            return "Conv2d(" + cin + "→" + cout + ", " + k + "×" + k + ", stride " + stride + ", pad " + pad
                    + ") on [" + batch + ", " + cin + ", " + h + ", " + w + "]";
        }
    }

    /**
     * Every kernel 1/3/5 × stride 1/2 × padding 0/1/2 × 1/3 input channels, with random odd sizes,
     * 1–4 output channels and batch 1 or 2–5; plus batches that split into uneven chunks (9, 11)
     * and large planes that split chunks into several image groups.
     */
    static List<ConvCase> convCases() {
        List<ConvCase> cases = new ArrayList<>();
        Random rnd = new Random(101);
        for (int k : new int[] {1, 3, 5}) {
            for (int stride = 1; stride <= 2; stride++) {
                for (int pad = 0; pad <= 2; pad++) {
                    for (int cin : new int[] {1, 3}) {
                        int h = 5 + 2 * rnd.nextInt(4);
                        int w = 3 + 2 * rnd.nextInt(5);
                        if (w + 2 * pad < k) w = 5;
                        int batch = (k + stride + pad + cin) % 2 == 0 ? 1 : 2 + rnd.nextInt(4);
                        cases.add(new ConvCase(batch, cin, h, w, 1 + rnd.nextInt(4), k, stride, pad, rnd.nextLong()));
                    }
                }
            }
        }
        cases.add(new ConvCase(11, 3, 9, 7, 4, 3, 2, 1, 7));
        cases.add(new ConvCase(9, 3, 5, 7, 5, 1, 1, 0, 8)); // the im2col-free 1×1 path, chunked
        cases.add(new ConvCase(3, 2, 4, 6, 3, 3, 1, 1, 9)); // even sizes
        // planes of 1,023 and 1,225 columns: groups of 2 and 1 images (GROUP_COLUMNS 2048), so a
        // chunk of 3 or 5 images holds several groups, the last one short
        cases.add(new ConvCase(24, 2, 31, 33, 3, 3, 1, 1, 10));
        cases.add(new ConvCase(17, 1, 35, 35, 2, 3, 1, 1, 11));
        // input channels in whole blocks of every kernel family's panel width (32, 16, 1): the weight
        // gradient from channel-blocked images (ImageTaps), strides 1 and 2, k 1, 3 and 5, planes
        // smaller than a vector and groups of several images; per chunk, or (where the weights
        // outweigh the activations: the 8×8 stride-2, 6×7 k=5 and 3×3 cases) one GEMM over the batch
        cases.add(new ConvCase(3, 32, 9, 7, 5, 3, 1, 1, 12));
        cases.add(new ConvCase(5, 32, 8, 8, 9, 3, 2, 1, 13));
        cases.add(new ConvCase(2, 64, 5, 5, 3, 1, 2, 0, 14));
        cases.add(new ConvCase(4, 32, 6, 7, 3, 5, 1, 2, 15));
        cases.add(new ConvCase(7, 32, 3, 3, 8, 3, 1, 1, 16));
        cases.add(new ConvCase(9, 32, 13, 11, 2, 3, 2, 0, 17));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void conv2dMatchesOracle(ConvCase c) {
        Random rnd = new Random(c.seed());
        Conv2d conv = new Conv2d(c.cin(), c.cout(), c.k(), c.stride(), c.pad());
        Shape in = Shape.of(c.cin(), c.h(), c.w());
        int oh = OracleConv2d.outSize(c.h(), c.k(), c.stride(), c.pad());
        int ow = OracleConv2d.outSize(c.w(), c.k(), c.stride(), c.pad());
        Shape out = conv.build(in);
        assertEquals(Shape.of(c.cout(), oh, ow), out, c + ": output shape");

        float[] weight = uniform(rnd, c.cout() * c.cin() * c.k() * c.k());
        float[] bias = uniform(rnd, c.cout());
        set(conv.weight(), weight);
        set(conv.bias(), bias);
        float[] x = uniform(rnd, c.batch() * in.size());
        double[] xd = toDouble(x);
        double[] wd = toDouble(weight);

        Tensor z = conv.forward(tensor(in, c.batch(), x), true);
        assertEquals(out.withBatch(c.batch()), z.shape(), c + ": forward shape");
        assertClose(c + ": forward", OracleConv2d.forward(xd, c.batch(), c.cin(), c.h(), c.w(), wd, c.cout(),
                c.k(), c.k(), toDouble(bias), c.stride(), c.pad()), z, TOL);

        float[] g = uniform(rnd, c.batch() * out.size());
        double[] gd = toDouble(g);
        double[] dxExpected = OracleConv2d.gradInput(gd, c.batch(), c.cout(), oh, ow, wd, c.cin(), c.h(), c.w(),
                c.k(), c.k(), c.stride(), c.pad());
        double[] dwExpected = OracleConv2d.gradWeight(xd, c.batch(), c.cin(), c.h(), c.w(), gd, c.cout(),
                c.k(), c.k(), c.stride(), c.pad());
        double[] dbExpected = OracleConv2d.gradBias(gd, c.batch(), c.cout(), oh, ow);
        Tensor gradOut = tensor(out, c.batch(), g);

        Tensor dx = conv.backward(gradOut, true);
        assertEquals(in.withBatch(c.batch()), dx.shape(), c + ": input gradient shape");
        assertClose(c + ": ∂L/∂input", dxExpected, dx, TOL);
        assertClose(c + ": ∂L/∂weight", dwExpected, conv.weight().grad(), TOL);
        assertClose(c + ": ∂L/∂bias", dbExpected, conv.bias().grad(), TOL);

        // A second backward overwrites the parameter gradients (no accumulation); no input gradient asked.
        assertNull(conv.backward(gradOut, false), c + ": no input gradient requested");
        assertClose(c + ": ∂L/∂weight after a second backward", dwExpected, conv.weight().grad(), TOL);
        assertClose(c + ": ∂L/∂bias after a second backward", dbExpected, conv.bias().grad(), TOL);
    }

    record ImageCase(int batch, int c, int h, int w, int window, int stride) {
        Shape sample() {
            return Shape.of(c, h, w);
        }

        @Override
        public String toString() {
            return "MaxPool2d(" + window + "×" + window + ", stride " + stride + ") on [" + batch + ", " + c + ", "
                    + h + ", " + w + "]";
        }
    }

    /** 2×2/2, overlapping 3×3/2 and 3×3/1, 2×2/1, 3×3/3 and 1×1 windows on odd and ragged sizes. */
    static List<ImageCase> poolCases() {
        return List.of(
                new ImageCase(1, 1, 6, 6, 2, 2),
                new ImageCase(4, 3, 7, 9, 2, 2), // odd sizes: the last row and column are dropped
                new ImageCase(11, 2, 8, 5, 2, 2),
                new ImageCase(1, 1, 7, 7, 3, 2), // overlapping windows
                new ImageCase(5, 3, 9, 6, 3, 2),
                new ImageCase(13, 1, 5, 8, 3, 2),
                new ImageCase(2, 3, 5, 7, 3, 1),
                new ImageCase(3, 2, 6, 5, 2, 1),
                new ImageCase(2, 3, 9, 10, 3, 3),
                new ImageCase(2, 2, 3, 4, 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void maxPoolMatchesOracle(ImageCase c) {
        Random rnd = new Random(c.toString().hashCode());
        MaxPool2d pool = new MaxPool2d(c.window(), c.stride());
        int oh = OracleMaxPool.outSize(c.h(), c.window(), c.stride());
        int ow = OracleMaxPool.outSize(c.w(), c.window(), c.stride());
        Shape out = pool.build(c.sample());
        assertEquals(Shape.of(c.c(), oh, ow), out, c + ": output shape");

        float[] x = distinct(rnd, c.batch() * c.sample().size());
        double[] xd = toDouble(x);
        Tensor y = pool.forward(tensor(c.sample(), c.batch(), x), true);
        assertEquals(out.withBatch(c.batch()), y.shape(), c + ": forward shape");
        assertClose(c + ": forward", OracleMaxPool.forward(xd, c.batch(), c.c(), c.h(), c.w(), c.window(), c.stride()),
                y, 0);

        float[] g = uniform(rnd, c.batch() * out.size());
        Tensor dx = pool.backward(tensor(out, c.batch(), g), true);
        assertEquals(c.sample().withBatch(c.batch()), dx.shape(), c + ": input gradient shape");
        assertClose(c + ": ∂L/∂input", OracleMaxPool.backward(toDouble(g), xd, c.batch(), c.c(), c.h(), c.w(),
                c.window(), c.stride()), dx, TOL);
    }

    /** With ties the arg-max is the first maximum in row-major window order, as in the oracle. */
    @ParameterizedTest(name = "ties, {0}")
    @MethodSource("poolCases")
    void maxPoolTiesGoToTheFirstMaximum(ImageCase c) {
        Random rnd = new Random(c.toString().hashCode() + 1);
        MaxPool2d pool = new MaxPool2d(c.window(), c.stride());
        Shape out = pool.build(c.sample());
        float[] x = new float[c.batch() * c.sample().size()];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(3); // 0, 1 or 2: many ties
        double[] xd = toDouble(x);
        pool.forward(tensor(c.sample(), c.batch(), x), true);
        float[] g = uniform(rnd, c.batch() * out.size());
        assertClose(c + " with ties: ∂L/∂input", OracleMaxPool.backward(toDouble(g), xd, c.batch(), c.c(), c.h(), c.w(),
                c.window(), c.stride()), pool.backward(tensor(out, c.batch(), g), true), TOL);
    }

    record ShapeCase(int batch, int... sample) {
        Shape shape() {
            return Shape.of(sample);
        }

        @Override
        public String toString() {
            return shape().withBatch(batch).toString();
        }
    }

    static List<ShapeCase> activationShapes() {
        return List.of(new ShapeCase(1, 3, 5, 7), new ShapeCase(4, 2, 3, 3), new ShapeCase(3, 37),
                new ShapeCase(1, 1), new ShapeCase(2, 16, 8, 8), new ShapeCase(6, 1, 9, 11));
    }

    @ParameterizedTest(name = "ReLU on {0}")
    @MethodSource("activationShapes")
    void reluMatchesOracle(ShapeCase c) {
        Random rnd = new Random(c.toString().hashCode());
        ReLU relu = new ReLU();
        assertEquals(c.shape(), relu.build(c.shape()), "ReLU keeps the shape " + c);
        int n = c.batch() * c.shape().size();
        float[] x = uniform(rnd, n);
        for (int i = 0; i < n; i += 5) x[i] = 0f; // on the kink: a = 0 and δz = 0
        for (int i = 2; i < n; i += 11) x[i] = -0f;
        double[] xd = toDouble(x);
        Tensor y = relu.forward(tensor(c.shape(), c.batch(), x), true);
        assertEquals(c.shape().withBatch(c.batch()), y.shape(), "ReLU forward shape " + c);
        assertClose("ReLU forward on " + c, OracleRelu.forward(xd), y, 0);

        float[] g = uniform(rnd, n);
        Tensor dx = relu.backward(tensor(c.shape(), c.batch(), g), true);
        assertEquals(c.shape().withBatch(c.batch()), dx.shape(), "ReLU input gradient shape " + c);
        assertClose("ReLU ∂L/∂input on " + c, OracleRelu.backward(toDouble(g), xd), dx, 0);
    }

    @ParameterizedTest(name = "LeakyReLU on {0}")
    @MethodSource("activationShapes")
    void leakyReluMatchesOracle(ShapeCase c) {
        Random rnd = new Random(c.toString().hashCode() + 1);
        LeakyReLU leaky = new LeakyReLU(0.2f);
        assertEquals(c.shape(), leaky.build(c.shape()), "LeakyReLU keeps the shape " + c);
        int n = c.batch() * c.shape().size();
        float[] x = uniform(rnd, n);
        for (int i = 0; i < n; i += 5) x[i] = 0f; // on the kink: PyTorch takes the slope side
        double[] xd = toDouble(x);
        Tensor y = leaky.forward(tensor(c.shape(), c.batch(), x), true);
        assertClose("LeakyReLU forward on " + c, OracleRelu.leakyForward(xd, 0.2f), y, 1e-7);
        float[] g = uniform(rnd, n);
        Tensor dx = leaky.backward(tensor(c.shape(), c.batch(), g), true);
        assertClose("LeakyReLU ∂L/∂input on " + c, OracleRelu.leakyBackward(toDouble(g), xd, 0.2f), dx, 1e-7);
        assertEquals("leakyrelu slope=0.2", leaky.spec());
        assertEquals(0.2f, ((LeakyReLU) LayerSpec.parse(leaky.spec())).slope());
    }

    @ParameterizedTest(name = "AvgPool2d and GlobalAvgPool2d on {0}")
    @MethodSource("activationShapes")
    void averagePoolsMatchOracle(ShapeCase c) {
        if (c.shape().rank() != 3 || c.shape().dim(1) < 2 || c.shape().dim(2) < 2) return;
        Random rnd = new Random(c.toString().hashCode() + 2);
        int ch = c.shape().dim(0), h = c.shape().dim(1), w = c.shape().dim(2), n = c.batch() * c.shape().size();
        for (AveragePooling pool : new AveragePooling[] {new AvgPool2d(2), new AvgPool2d(2, 1), new GlobalAvgPool2d()}) {
            Shape out = pool.build(c.shape());
            int[] k = pool.window();
            float[] x = uniform(rnd, n);
            Tensor y = pool.forward(tensor(c.shape(), c.batch(), x), true);
            assertEquals(out.withBatch(c.batch()), y.shape());
            assertClose(pool.describe() + " forward on " + c,
                    OracleAvgPool.forward(toDouble(x), c.batch(), ch, h, w, k[0], k[1], k[2], k[3]), y, 1e-6);
            float[] g = uniform(rnd, y.size());
            Tensor dx = pool.backward(tensor(out, c.batch(), g), true);
            assertClose(pool.describe() + " ∂L/∂input on " + c,
                    OracleAvgPool.backward(toDouble(g), c.batch(), ch, h, w, k[0], k[1], k[2], k[3]), dx, 1e-6);
            assertEquals(pool.spec(), LayerSpec.parse(pool.spec()).spec());
        }
    }

    @ParameterizedTest(name = "Flatten on {0}")
    @MethodSource("activationShapes")
    void flattenIsAReshape(ShapeCase c) {
        Random rnd = new Random(c.toString().hashCode());
        Flatten flatten = new Flatten();
        Shape flat = Shape.of(c.shape().size());
        assertEquals(flat, flatten.build(c.shape()), "Flatten output shape of " + c);
        int n = c.batch() * c.shape().size();
        float[] x = uniform(rnd, n);
        Tensor y = flatten.forward(tensor(c.shape(), c.batch(), x), true);
        assertEquals(flat.withBatch(c.batch()), y.shape(), "Flatten forward shape of " + c);
        assertArrayEquals(x, y.toArray(), "Flatten keeps the NCHW order of " + c);

        float[] g = uniform(rnd, n);
        Tensor dx = flatten.backward(tensor(flat, c.batch(), g), true);
        assertEquals(c.shape().withBatch(c.batch()), dx.shape(), "Flatten input gradient shape of " + c);
        assertArrayEquals(g, dx.toArray(), "Flatten backward is a reshape for " + c);
    }

    record DenseCase(int batch, int in, int out) {
        @Override
        public String toString() {
            return "Dense(" + in + "→" + out + ") on [" + batch + ", " + in + "]";
        }
    }

    static List<DenseCase> denseCases() {
        return List.of(new DenseCase(1, 1, 1), new DenseCase(1, 7, 3), new DenseCase(4, 33, 10),
                new DenseCase(9, 100, 10), new DenseCase(3, 5, 17), new DenseCase(13, 64, 1),
                new DenseCase(2, 257, 19));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denseCases")
    void denseMatchesOracle(DenseCase c) {
        Random rnd = new Random(c.toString().hashCode());
        Dense dense = new Dense(c.in(), c.out());
        Shape in = Shape.of(c.in()), out = Shape.of(c.out());
        assertEquals(out, dense.build(in), c + ": output shape");
        float[] weight = uniform(rnd, c.out() * c.in());
        float[] bias = uniform(rnd, c.out());
        set(dense.weight(), weight);
        set(dense.bias(), bias);
        float[] x = uniform(rnd, c.batch() * c.in());
        double[] xd = toDouble(x), wd = toDouble(weight);

        Tensor y = dense.forward(tensor(in, c.batch(), x), true);
        assertEquals(out.withBatch(c.batch()), y.shape(), c + ": forward shape");
        assertClose(c + ": forward", OracleDense.forward(xd, c.batch(), c.in(), wd, c.out(), toDouble(bias)), y, TOL);

        float[] g = uniform(rnd, c.batch() * c.out());
        double[] gd = toDouble(g);
        Tensor gradOut = tensor(out, c.batch(), g);
        Tensor dx = dense.backward(gradOut, true);
        double[] dwExpected = OracleDense.gradWeight(gd, xd, c.batch(), c.in(), c.out());
        double[] dbExpected = OracleDense.gradBias(gd, c.batch(), c.out());
        assertEquals(in.withBatch(c.batch()), dx.shape(), c + ": input gradient shape");
        assertClose(c + ": ∂L/∂input", OracleDense.gradInput(gd, wd, c.batch(), c.in(), c.out()), dx, TOL);
        assertClose(c + ": ∂L/∂weight", dwExpected, dense.weight().grad(), TOL);
        assertClose(c + ": ∂L/∂bias", dbExpected, dense.bias().grad(), TOL);

        assertNull(dense.backward(gradOut, false), c + ": no input gradient requested");
        assertClose(c + ": ∂L/∂weight after a second backward", dwExpected, dense.weight().grad(), TOL);
        assertClose(c + ": ∂L/∂bias after a second backward", dbExpected, dense.bias().grad(), TOL);
    }
}
