package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.distinct;
import static org.panamacnn.nn.TestSupport.dot;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.oracle.OracleWindowPool;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.WindowPool;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Max-pool in ceil mode and average pools with padding, ceil mode and count_include_pad against the scalar oracle. */
class WindowPool2dTest {
    record Case(boolean average, int batch, int c, int h, int w, int window, int stride, int pad, boolean ceil, boolean countPad) {
        WindowPool2d layer() {
            return average ? WindowPool2d.average(window, stride, pad, ceil, countPad) : WindowPool2d.max(window, stride, pad, ceil);
        }

        @Override
        public String toString() {
            return layer().describe() + " on [" + batch + ", " + c + ", " + h + ", " + w + "]";
        }
    }

    /** Every window 1..5, stride 1..3, padding 0..window/2, ceil mode on and off, on random odd and even sizes; chunked batches. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Random rnd = new Random(2101);
        for (int k = 1; k <= 5; k++) {
            for (int s = 1; s <= 3; s++) {
                for (int p = 0; p <= k / 2; p++) {
                    int least = Math.max(1, k - 2 * p);
                    boolean ceil = rnd.nextBoolean();
                    int h = Math.max(least, 1 + rnd.nextInt(12)), w = Math.max(least, 2 + rnd.nextInt(11));
                    cases.add(new Case(false, 1 + rnd.nextInt(4), 1 + rnd.nextInt(3), h, w, k, s, p, true, true));
                    cases.add(new Case(true, 1 + rnd.nextInt(4), 1 + rnd.nextInt(3), h, w, k, s, p, ceil, rnd.nextBoolean()));
                }
            }
        }
        cases.add(new Case(false, 11, 3, 18, 18, 3, 2, 1, true, true)); // the tiny-ops stem: ceil adds a window row and column
        cases.add(new Case(true, 9, 2, 8, 8, 3, 2, 1, true, false));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        WindowPool2d pool = c.layer();
        Shape in = Shape.of(c.c(), c.h(), c.w());
        Shape out = pool.build(in, ParallelExecutor.SEQUENTIAL);
        int oh = OracleWindowPool.outSize(c.h(), c.window(), c.stride(), c.pad(), c.ceil());
        int ow = OracleWindowPool.outSize(c.w(), c.window(), c.stride(), c.pad(), c.ceil());
        assertEquals(Shape.of(c.c(), oh, ow), out, c + ": output shape");
        float[] x = distinct(rnd, c.batch() * in.size());
        for (int i = 0; i < x.length; i++) x[i] -= 10f; // all negative: a zero padding would win a max's border window
        double[] xd = toDouble(x);
        Tensor y = pool.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleWindowPool.forward(xd, c.batch(), c.c(), c.h(), c.w(), c.window(), c.stride(), c.pad(), c.ceil(),
                c.average(), c.countPad()), y, 2e-6);
        float[] g = uniform(rnd, c.batch() * out.size());
        Tensor dx = pool.backward(tensor(out, c.batch(), g), true);
        assertClose(c + ": ∂L/∂input", OracleWindowPool.backward(toDouble(g), xd, c.batch(), c.c(), c.h(), c.w(), c.window(), c.stride(),
                c.pad(), c.ceil(), c.average(), c.countPad()), dx, 1e-6);
    }

    /** PyTorch's rule: ceil mode adds a window only when it starts inside the input or its left padding. */
    @Test
    void ceilModeKeepsPyTorchsLastWindowRule() {
        assertEquals(10, WindowPool.outSize(18, 3, 2, 1, true));  // (18 + 2 − 3)/2 = 8.5 → 9, + 1
        assertEquals(9, WindowPool.outSize(18, 3, 2, 1, false));
        assertEquals(3, WindowPool.outSize(5, 2, 2, 1, true));    // ⌈5/2⌉ + 1 = 4, but the 4th window would start at 6 − 1 = 5: in the right padding
        assertEquals(3, WindowPool.outSize(5, 2, 2, 0, true));    // windows at 0, 2, 4 (the last holds one cell)
        assertEquals(2, WindowPool.outSize(4, 2, 2, 0, true));    // a window at 4 would start past the input
        for (int in = 1; in <= 12; in++) {
            for (int k = 1; k <= 4; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int p = 0; p <= k / 2; p++) {
                        if (in + 2 * p < k) continue;
                        for (boolean ceil : new boolean[] {false, true}) {
                            assertEquals(OracleWindowPool.outSize(in, k, s, p, ceil), WindowPool.outSize(in, k, s, p, ceil),
                                    "in " + in + " k " + k + " s " + s + " p " + p + " ceil " + ceil);
                        }
                    }
                }
            }
        }
    }

    @Test
    void oracleGradientMatchesFiniteDifferences() {
        int n = 2, c = 2, h = 7, w = 6, k = 3, s = 2, p = 1;
        Random rnd = new Random(2102);
        double[] x = toDouble(distinct(rnd, n * c * h * w)); // no ties: eps cannot move an arg-max
        int outs = n * c * OracleWindowPool.outSize(h, k, s, p, true) * OracleWindowPool.outSize(w, k, s, p, true);
        double[] r = toDouble(uniform(rnd, outs));
        for (boolean average : new boolean[] {false, true}) {
            for (boolean countPad : new boolean[] {false, true}) {
                assertFiniteDifference("oracle " + (average ? "average" : "max") + " ∂L/∂input, count_include_pad " + countPad,
                        OracleWindowPool.backward(r, x, n, c, h, w, k, s, p, true, average, countPad),
                        xs -> dot(r, OracleWindowPool.forward(xs, n, c, h, w, k, s, p, true, average, countPad)), x, 1e-6, 1e-6);
            }
        }
    }

    @Test
    void floatGradientMatchesFiniteDifferences() {
        Random rnd = new Random(2103);
        Shape in = Shape.of(2, 7, 8);
        for (WindowPool2d pool : List.of(WindowPool2d.average(3, 2, 1, true, false), WindowPool2d.max(3, 2, 1, true))) {
            Shape out = pool.build(in, ParallelExecutor.SEQUENTIAL);
            float[] x = distinct(rnd, 3 * in.size());
            Tensor xt = tensor(in, 3, x);
            double[] r = toDouble(uniform(rnd, 3 * out.size()));
            pool.forward(xt, true);
            double[] dx = toDouble(pool.backward(tensor(out, 3, TestSupport.toFloat(r)), true));
            double[] numeric = TestSupport.floatCentralDifference(x, x.length, 1e-3f, () -> TestSupport.weightedSum(r, pool.forward(xt, false)));
            double err = org.panamacnn.oracle.FiniteDifference.maxRelativeError(dx, numeric);
            org.junit.jupiter.api.Assertions.assertTrue(err < 1e-2, pool.describe() + ": float ∂L/∂input vs central differences, max relative error " + err);
        }
    }

    @Test
    void specsRoundTripAndPlainPoolsStayPlain() {
        for (String spec : new String[] {"maxpool2d window=3 stride=2 pad=1 ceil=true", "maxpool2d window=2 stride=2 ceil=true",
                "avgpool2d window=3 stride=2 pad=1", "avgpool2d window=3 stride=2 pad=1 ceil=true count_include_pad=false",
                "avgpool2d window=2 stride=1 ceil=true"}) {
            assertEquals(spec, LayerSpec.parse(spec).spec());
            assertEquals(WindowPool2d.class, LayerSpec.parse(spec).getClass(), spec);
        }
        assertEquals(MaxPool2d.class, LayerSpec.parse("maxpool2d window=3 stride=2 pad=1 ceil=false").getClass());
        assertEquals(AvgPool2d.class, LayerSpec.parse("avgpool2d window=2 count_include_pad=false").getClass());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("maxpool2d window=3 ceil=yes"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("ceil=yes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WindowPool2d.average(3, 2, 2, true, true));
    }
}
