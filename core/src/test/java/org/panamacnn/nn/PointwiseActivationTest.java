package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.dot;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.oracle.OraclePointwise;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * ReLU6 / clip, hard sigmoid, hard swish, sigmoid and SiLU ({@link PointwiseActivation}), tanh and
 * GELU exact and tanh-approximate ({@link SmoothActivation}) against the scalar oracle and finite differences.
 */
class PointwiseActivationTest {
    /** A layer, its oracle function and derivative, and the points where the derivative jumps (kept away from in gradient checks). */
    record Case(String name, Layer layer, DoubleUnaryOperator f, DoubleUnaryOperator df, double[] kinks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("relu6", PointwiseActivation.relu6(), x -> OraclePointwise.clip(x, 0, 6),
                        x -> OraclePointwise.clipDerivative(x, 0, 6), new double[] {0, 6}),
                new Case("clip(-1.5, 2.25)", PointwiseActivation.clip(-1.5f, 2.25f), x -> OraclePointwise.clip(x, -1.5, 2.25),
                        x -> OraclePointwise.clipDerivative(x, -1.5, 2.25), new double[] {-1.5, 2.25}),
                new Case("hardsigmoid", PointwiseActivation.hardSigmoid(), x -> OraclePointwise.hardSigmoid(x, 1.0 / 6, 0.5),
                        x -> OraclePointwise.hardSigmoidDerivative(x, 1.0 / 6, 0.5), new double[] {-3, 3}),
                new Case("hardswish", PointwiseActivation.hardSwish(), OraclePointwise::hardSwish,
                        OraclePointwise::hardSwishDerivative, new double[] {-3, 3}),
                new Case("sigmoid", PointwiseActivation.sigmoid(), OraclePointwise::sigmoid, OraclePointwise::sigmoidDerivative, new double[0]),
                new Case("silu", PointwiseActivation.silu(), OraclePointwise::silu, OraclePointwise::siluDerivative, new double[0]),
                new Case("tanh", SmoothActivation.tanh(), OraclePointwise::tanh, OraclePointwise::tanhDerivative, new double[0]),
                new Case("gelu", SmoothActivation.gelu(), OraclePointwise::gelu, OraclePointwise::geluDerivative, new double[0]),
                new Case("gelu tanh", SmoothActivation.geluTanh(), OraclePointwise::geluTanh, OraclePointwise::geluTanhDerivative, new double[0]));
    }

    /** Values in [−8, 8] (both sides of every kink), none within 1e-3 of a kink. */
    private static float[] inputs(Random rnd, int n, double[] kinks) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = (float) (16 * rnd.nextDouble() - 8);
            } while (nearKink(v, kinks, 1e-3));
            x[i] = v;
        }
        return x;
    }

    private static boolean nearKink(double v, double[] kinks, double d) {
        for (double k : kinks) if (Math.abs(v - k) < d) return true;
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracleOnOddShapes(Case c) {
        Random rnd = new Random(c.name().hashCode());
        for (int[] dims : new int[][] {{3, 7, 5}, {1, 1, 1}, {5, 3, 11}, {37}}) {
            Shape in = Shape.of(dims);
            int batch = 1 + rnd.nextInt(11);
            c.layer().build(in, ParallelExecutor.SEQUENTIAL);
            float[] x = inputs(rnd, batch * in.size(), c.kinks());
            Tensor y = c.layer().forward(tensor(in, batch, x), true);
            double[] xd = toDouble(x);
            assertClose(c + " on " + in + " forward", OraclePointwise.forward(c.f(), xd), y, 1e-6);
            float[] g = uniform(rnd, x.length);
            Tensor dx = c.layer().backward(tensor(in, batch, g), true);
            assertClose(c + " on " + in + " ∂L/∂input", OraclePointwise.backward(c.df(), toDouble(g), xd), dx, 1e-6);
        }
    }

    /** Exactly at the kinks the derivative is PyTorch's: ReLU6 and clip pass no gradient at their bounds, hard swish 1/2 and 3/2 at ∓3 and 3. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derivativeAtTheKinksIsPyTorchs(Case c) {
        if (c.kinks().length == 0) return;
        Shape in = Shape.of(c.kinks().length);
        c.layer().build(in, ParallelExecutor.SEQUENTIAL);
        float[] x = new float[c.kinks().length];
        for (int i = 0; i < x.length; i++) x[i] = (float) c.kinks()[i];
        c.layer().forward(tensor(in, 1, x), true);
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        Tensor dx = c.layer().backward(tensor(in, 1, ones), true);
        assertClose(c + " at its kinks", OraclePointwise.backward(c.df(), toDouble(ones), toDouble(x)), dx, 1e-7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oracleDerivativeMatchesFiniteDifferences(Case c) {
        Random rnd = new Random(c.name().hashCode() + 1);
        double[] x = toDouble(inputs(rnd, 2 * 3 * 5 * 7, c.kinks()));
        double[] r = toDouble(uniform(rnd, x.length));
        assertFiniteDifference(c + ": oracle ∂L/∂input", OraclePointwise.backward(c.df(), r, x),
                xs -> dot(r, OraclePointwise.forward(c.f(), xs)), x, 1e-6, 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void floatGradientMatchesFiniteDifferences(Case c) {
        Random rnd = new Random(c.name().hashCode() + 2);
        Shape in = Shape.of(2, 3, 5);
        c.layer().build(in, ParallelExecutor.SEQUENTIAL);
        float[] x = inputs(rnd, 3 * in.size(), c.kinks());
        for (int i = 0; i < x.length; i++) if (nearKink(x[i], c.kinks(), 0.05)) x[i] += 0.1f; // eps 1e-2 must not cross a kink
        Tensor xt = tensor(in, 3, x);
        double[] r = toDouble(uniform(rnd, x.length));
        c.layer().forward(xt, true);
        double[] dx = toDouble(c.layer().backward(tensor(in, 3, TestSupport.toFloat(r)), true));
        double[] numeric = TestSupport.floatCentralDifference(x, x.length, 1e-2f, () -> TestSupport.weightedSum(r, c.layer().forward(xt, false)));
        double err = org.panamacnn.oracle.FiniteDifference.maxRelativeError(dx, numeric);
        org.junit.jupiter.api.Assertions.assertTrue(err < 1e-2, c + ": float ∂L/∂input vs central differences, max relative error " + err);
    }

    @Test
    void specsRoundTrip() {
        for (String spec : new String[] {"relu6", "clip min=-1.0 max=2.5", "hardsigmoid", "hardsigmoid alpha=0.2 beta=0.5", "hardswish",
                "sigmoid", "silu", "tanh", "gelu", "gelu approximate=tanh"}) {
            assertEquals(spec, LayerSpec.parse(spec).spec());
        }
        assertThrows(IllegalArgumentException.class, () -> PointwiseActivation.clip(2f, 1f));
    }
}
