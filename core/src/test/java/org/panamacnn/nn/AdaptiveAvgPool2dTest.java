package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
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
import org.panamacnn.oracle.OracleAdaptivePool;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** PyTorch's AdaptiveAvgPool2d against the scalar oracle: shrinking (overlapping windows), growing, the identity, rectangular. */
class AdaptiveAvgPool2dTest {
    record Case(int batch, int c, int h, int w, int oh, int ow) {
        @Override
        public String toString() {
            return "AdaptiveAvgPool2d(" + oh + "×" + ow + ") on [" + batch + ", " + c + ", " + h + ", " + w + "]";
        }
    }

    /** VGG's 7×7 from 8×8, 1×1, 3×3 and 7×7 maps; random odd sizes both ways; batches that split into chunks. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(new Case(3, 5, 8, 8, 7, 7), new Case(2, 3, 1, 1, 7, 7), new Case(2, 4, 3, 3, 7, 7),
                new Case(2, 3, 7, 7, 7, 7), new Case(11, 3, 9, 6, 1, 1), new Case(9, 2, 13, 11, 4, 5)));
        Random rnd = new Random(2111);
        for (int i = 0; i < 12; i++) {
            cases.add(new Case(1 + rnd.nextInt(5), 1 + rnd.nextInt(4), 1 + rnd.nextInt(15), 1 + rnd.nextInt(15), 1 + rnd.nextInt(9), 1 + rnd.nextInt(9)));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(c.oh(), c.ow());
        Shape in = Shape.of(c.c(), c.h(), c.w());
        Shape out = pool.build(in, ParallelExecutor.SEQUENTIAL);
        assertEquals(Shape.of(c.c(), c.oh(), c.ow()), out, c + ": output shape");
        float[] x = uniform(rnd, c.batch() * in.size());
        double[] xd = toDouble(x);
        Tensor y = pool.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleAdaptivePool.forward(xd, c.batch(), c.c(), c.h(), c.w(), c.oh(), c.ow()), y, 2e-6);
        float[] g = uniform(rnd, c.batch() * out.size());
        Tensor dx = pool.backward(tensor(out, c.batch(), g), true);
        assertClose(c + ": ∂L/∂input", OracleAdaptivePool.backward(toDouble(g), c.batch(), c.c(), c.h(), c.w(), c.oh(), c.ow()), dx, 1e-6);
    }

    /** On a map of the output's size it is the identity (VGG at 224×224), bit for bit. */
    @Test
    void identityOnItsOwnSize() {
        float[] x = uniform(new Random(2112), 2 * 3 * 7 * 7);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(7, 7);
        pool.build(Shape.of(3, 7, 7));
        org.junit.jupiter.api.Assertions.assertArrayEquals(x, pool.forward(tensor(Shape.of(3, 7, 7), 2, x.clone()), false).data());
    }

    @Test
    void oracleGradientMatchesFiniteDifferences() {
        Random rnd = new Random(2113);
        for (int[] s : new int[][] {{8, 7, 7, 7}, {3, 2, 7, 5}, {9, 6, 4, 4}}) {
            int n = 2, c = 2, h = s[0], w = s[1], oh = s[2], ow = s[3];
            double[] x = toDouble(uniform(rnd, n * c * h * w)), r = toDouble(uniform(rnd, n * c * oh * ow));
            assertFiniteDifference("oracle ∂L/∂input " + h + "×" + w + " → " + oh + "×" + ow, OracleAdaptivePool.backward(r, n, c, h, w, oh, ow),
                    xs -> dot(r, OracleAdaptivePool.forward(xs, n, c, h, w, oh, ow)), x, 1e-6, 1e-6);
        }
    }

    @Test
    void floatGradientMatchesFiniteDifferences() {
        Random rnd = new Random(2114);
        Shape in = Shape.of(2, 9, 8);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(7, 5);
        Shape out = pool.build(in, ParallelExecutor.SEQUENTIAL);
        float[] x = uniform(rnd, 3 * in.size());
        Tensor xt = tensor(in, 3, x);
        double[] r = toDouble(uniform(rnd, 3 * out.size()));
        pool.forward(xt, true);
        double[] dx = toDouble(pool.backward(tensor(out, 3, TestSupport.toFloat(r)), true));
        double[] numeric = TestSupport.floatCentralDifference(x, x.length, 1e-3f, () -> TestSupport.weightedSum(r, pool.forward(xt, false)));
        double err = org.panamacnn.oracle.FiniteDifference.maxRelativeError(dx, numeric);
        assertTrue(err < 1e-2, "float ∂L/∂input vs central differences, max relative error " + err);
    }

    @Test
    void specsRoundTripAndBadSizesAreNamed() {
        for (String spec : new String[] {"adaptiveavgpool2d out=7", "adaptiveavgpool2d out=7,5"}) {
            assertEquals(spec, LayerSpec.parse(spec).spec());
            assertEquals(AdaptiveAvgPool2d.class, LayerSpec.parse(spec).getClass(), spec);
        }
        assertEquals("adaptiveavgpool2d out=3", LayerSpec.parse("adaptiveavgpool2d out=3,3").spec());
        for (String bad : new String[] {"adaptiveavgpool2d out=0", "adaptiveavgpool2d out=7,x", "adaptiveavgpool2d", "adaptiveavgpool2d out=1,2,3",
                "adaptiveavgpool2d out=5000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("out") || e.getMessage().contains("output size"), bad + ": " + e.getMessage());
        }
    }
}
