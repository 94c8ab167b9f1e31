package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.distinct;
import static org.panamacnn.nn.TestSupport.dot;
import static org.panamacnn.nn.TestSupport.floatCentralDifference;
import static org.panamacnn.nn.TestSupport.set;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.toFloat;
import static org.panamacnn.nn.TestSupport.uniform;
import static org.panamacnn.nn.TestSupport.weightedSum;

import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.oracle.OracleAvgPool;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleDense;
import org.panamacnn.oracle.OracleMaxPool;
import org.panamacnn.oracle.OracleRelu;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Backward formulas against finite differences of L = Σ r ⊙ output. First on the double oracle
 * (LayerOracleTest ties each float layer to it), then directly on the float Conv2d and Dense.
 */
class GradientFiniteDifferenceTest {
    static final double ORACLE_EPS = 1e-6, ORACLE_TOL = 1e-6;
    static final float FLOAT_EPS = 1e-2f;
    static final double FLOAT_TOL = 1e-2;

    record ConvCase(int batch, int cin, int h, int w, int cout, int k, int stride, int pad) {
        int oh() {
            return OracleConv2d.outSize(h, k, stride, pad);
        }

        int ow() {
            return OracleConv2d.outSize(w, k, stride, pad);
        }

        @Override
        public String toString() {
            return "Conv2d(" + cin + "→" + cout + ", " + k + "×" + k + ", stride " + stride + ", pad " + pad
                    + ") on [" + batch + ", " + cin + ", " + h + ", " + w + "]";
        }
    }

    static List<ConvCase> convCases() {
        return List.of(
                new ConvCase(1, 1, 5, 5, 1, 3, 1, 0),
                new ConvCase(2, 3, 7, 5, 2, 3, 2, 1),
                new ConvCase(1, 3, 5, 7, 2, 5, 1, 2),
                new ConvCase(2, 1, 7, 7, 3, 5, 2, 2),
                new ConvCase(2, 3, 5, 3, 2, 1, 2, 1),
                new ConvCase(1, 3, 3, 5, 2, 1, 1, 0));
    }

    @ParameterizedTest(name = "oracle {0}")
    @MethodSource("convCases")
    void oracleConvGradientsMatchFiniteDifferences(ConvCase c) {
        Random rnd = new Random(c.toString().hashCode());
        double[] x = toDouble(uniform(rnd, c.batch() * c.cin() * c.h() * c.w()));
        double[] w = toDouble(uniform(rnd, c.cout() * c.cin() * c.k() * c.k()));
        double[] b = toDouble(uniform(rnd, c.cout()));
        double[] r = toDouble(uniform(rnd, c.batch() * c.cout() * c.oh() * c.ow()));
        assertFiniteDifference(c + ": oracle ∂L/∂input",
                OracleConv2d.gradInput(r, c.batch(), c.cout(), c.oh(), c.ow(), w, c.cin(), c.h(), c.w(), c.k(), c.k(),
                        c.stride(), c.pad()),
                xs -> dot(r, forward(c, xs, w, b)), x, ORACLE_EPS, ORACLE_TOL);
        assertFiniteDifference(c + ": oracle ∂L/∂weight",
                OracleConv2d.gradWeight(x, c.batch(), c.cin(), c.h(), c.w(), r, c.cout(), c.k(), c.k(), c.stride(), c.pad()),
                ws -> dot(r, forward(c, x, ws, b)), w, ORACLE_EPS, ORACLE_TOL);
        assertFiniteDifference(c + ": oracle ∂L/∂bias",
                OracleConv2d.gradBias(r, c.batch(), c.cout(), c.oh(), c.ow()),
                bs -> dot(r, forward(c, x, w, bs)), b, ORACLE_EPS, ORACLE_TOL);
    }

    private static double[] forward(ConvCase c, double[] x, double[] w, double[] b) {
        return OracleConv2d.forward(x, c.batch(), c.cin(), c.h(), c.w(), w, c.cout(), c.k(), c.k(), b, c.stride(), c.pad());
    }

    @Test
    void oracleReluGradientMatchesFiniteDifferences() {
        Random rnd = new Random(11);
        int n = 2 * 3 * 5 * 7; // [2, 3, 5, 7]; no value within 1/256 of the kink
        double[] z = toDouble(distinct(rnd, n));
        double[] r = toDouble(uniform(rnd, n));
        assertFiniteDifference("oracle ReLU ∂L/∂input on [2, 3, 5, 7]", OracleRelu.backward(r, z),
                zs -> dot(r, OracleRelu.forward(zs)), z, ORACLE_EPS, ORACLE_TOL);
    }

    @Test
    void oracleLeakyReluGradientMatchesFiniteDifferences() {
        Random rnd = new Random(12);
        int n = 2 * 3 * 5 * 7; // no value within 1/256 of the kink
        double[] z = toDouble(distinct(rnd, n));
        double[] r = toDouble(uniform(rnd, n));
        assertFiniteDifference("oracle LeakyReLU ∂L/∂input on [2, 3, 5, 7]", OracleRelu.leakyBackward(r, z, 0.01),
                zs -> dot(r, OracleRelu.leakyForward(zs, 0.01)), z, ORACLE_EPS, ORACLE_TOL);
    }

    @ParameterizedTest(name = "oracle AvgPool2d({0}×{1}, stride {2})")
    @CsvSource({"2, 2, 2", "3, 2, 1", "5, 7, 1"})
    void oracleAvgPoolGradientMatchesFiniteDifferences(int kh, int kw, int s) {
        Random rnd = new Random(13);
        int n = 2, c = 3, h = 5, w = 7, oh = (h - kh) / s + 1, ow = (w - kw) / s + 1;
        double[] x = toDouble(uniform(rnd, n * c * h * w));
        double[] r = toDouble(uniform(rnd, n * c * oh * ow));
        assertFiniteDifference("oracle AvgPool2d ∂L/∂input", OracleAvgPool.backward(r, n, c, h, w, kh, kw, s, s),
                xs -> dot(r, OracleAvgPool.forward(xs, n, c, h, w, kh, kw, s, s)), x, ORACLE_EPS, ORACLE_TOL);
    }

    @ParameterizedTest(name = "oracle MaxPool2d({0}×{0}, stride {1})")
    @CsvSource({"2, 2", "3, 2", "3, 1"})
    void oracleMaxPoolGradientMatchesFiniteDifferences(int window, int stride) {
        int n = 2, c = 3, h = 7, w = 8;
        Random rnd = new Random(31 * window + stride);
        double[] x = toDouble(distinct(rnd, n * c * h * w)); // no ties: eps cannot move an arg-max
        int outs = n * c * OracleMaxPool.outSize(h, window, stride) * OracleMaxPool.outSize(w, window, stride);
        double[] r = toDouble(uniform(rnd, outs));
        assertFiniteDifference("oracle MaxPool2d(" + window + "×" + window + ", stride " + stride
                        + ") ∂L/∂input on [2, 3, 7, 8]",
                OracleMaxPool.backward(r, x, n, c, h, w, window, stride),
                xs -> dot(r, OracleMaxPool.forward(xs, n, c, h, w, window, stride)), x, ORACLE_EPS, ORACLE_TOL);
    }

    @Test
    void oracleDenseGradientsMatchFiniteDifferences() {
        int n = 3, in = 11, out = 4;
        String s = "oracle Dense(11→4) on [3, 11]";
        Random rnd = new Random(5);
        double[] x = toDouble(uniform(rnd, n * in));
        double[] w = toDouble(uniform(rnd, out * in));
        double[] b = toDouble(uniform(rnd, out));
        double[] r = toDouble(uniform(rnd, n * out));
        assertFiniteDifference(s + ": ∂L/∂input", OracleDense.gradInput(r, w, n, in, out),
                xs -> dot(r, OracleDense.forward(xs, n, in, w, out, b)), x, ORACLE_EPS, ORACLE_TOL);
        assertFiniteDifference(s + ": ∂L/∂weight", OracleDense.gradWeight(r, x, n, in, out),
                ws -> dot(r, OracleDense.forward(x, n, in, ws, out, b)), w, ORACLE_EPS, ORACLE_TOL);
        assertFiniteDifference(s + ": ∂L/∂bias", OracleDense.gradBias(r, n, out),
                bs -> dot(r, OracleDense.forward(x, n, in, w, out, bs)), b, ORACLE_EPS, ORACLE_TOL);
    }

    /** Float Conv2d: its backward against central differences of its own forward (eps 1e-2). */
    @ParameterizedTest(name = "float {0}")
    @MethodSource("convCases")
    void floatConvGradientsMatchFiniteDifferences(ConvCase c) {
        Random rnd = new Random(c.toString().hashCode() + 1);
        Shape in = Shape.of(c.cin(), c.h(), c.w());
        Conv2d conv = new Conv2d(c.cin(), c.cout(), c.k(), c.stride(), c.pad());
        Shape out = conv.build(in);
        set(conv.weight(), uniform(rnd, conv.weight().size()));
        set(conv.bias(), uniform(rnd, conv.bias().size()));
        checkFloatLayer(c.toString(), conv, in, out, c.batch(), rnd);
    }

    /** Float Dense: its backward against central differences of its own forward (eps 1e-2). */
    @Test
    void floatDenseGradientsMatchFiniteDifferences() {
        Random rnd = new Random(6);
        Dense dense = new Dense(13, 5);
        Shape in = Shape.of(13);
        Shape out = dense.build(in);
        set(dense.weight(), uniform(rnd, dense.weight().size()));
        set(dense.bias(), uniform(rnd, dense.bias().size()));
        checkFloatLayer("float Dense(13→5) on [3, 13]", dense, in, out, 3, rnd);
    }

    /** L = Σ r ⊙ layer(x): ∂L/∂x and every ∂L/∂param from backward vs float central differences. */
    private static void checkFloatLayer(String what, Layer layer, Shape in, Shape out, int batch, Random rnd) {
        float[] x = uniform(rnd, batch * in.size());
        Tensor xt = tensor(in, batch, x);
        double[] r = toDouble(uniform(rnd, batch * out.size()));
        layer.forward(xt, true);
        double[] dx = toDouble(layer.backward(tensor(out, batch, toFloat(r)), true));
        DoubleSupplier loss = () -> weightedSum(r, layer.forward(xt, false));
        assertFloatGradient(what, "∂L/∂input", dx, floatCentralDifference(x, x.length, FLOAT_EPS, loss));
        for (Param p : layer.params()) {
            double[] analytic = toDouble(p.grad());
            double[] numeric = floatCentralDifference(p.value().data(), p.size(), FLOAT_EPS, loss);
            assertFloatGradient(what, "∂L/∂" + p.name(), analytic, numeric);
        }
    }

    private static void assertFloatGradient(String what, String grad, double[] analytic, double[] numeric) {
        double err = FiniteDifference.maxRelativeError(analytic, numeric);
        assertTrue(err < FLOAT_TOL, what + ": " + grad
                + " vs float central differences (eps " + FLOAT_EPS + "), max relative error " + err);
    }
}
