package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.dot;
import static org.panamacnn.nn.TestSupport.set;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.oracle.OracleGroupedConv2d;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Grouped and depthwise convolution (with and without bias) against the scalar oracle and finite differences. */
class GroupedConv2dTest {
    record Case(int batch, int cin, int h, int w, int cout, int k, int stride, int pad, int groups, boolean bias) {
        @Override
        public String toString() {
            return "Conv2d(" + cin + "→" + cout + ", " + k + "×" + k + ", stride " + stride + ", pad " + pad + ", groups " + groups
                    + (bias ? "" : ", no bias") + ") on [" + batch + ", " + cin + ", " + h + ", " + w + "]";
        }
    }

    /**
     * Depthwise (groups = cin, with multiplier 1 and 2), grouped (2 and 3 channels per group) and
     * groups 1, kernels 1/3/5, strides 1/2, paddings 0..2, random odd widths that leave vector
     * tails (and rows wider than a vector), batches split into uneven chunks.
     */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Random rnd = new Random(301);
        int[][] channels = {{4, 4, 4}, {3, 6, 3}, {6, 4, 2}, {6, 9, 3}, {2, 3, 1}}; // cin, cout, groups
        for (int[] ch : channels) {
            for (int k : new int[] {1, 3, 5}) {
                for (int s = 1; s <= 2; s++) {
                    int pad = rnd.nextInt(Math.min(3, k / 2 + 2));
                    int h = Math.max(k, 1 + rnd.nextInt(9)), w = Math.max(k, 1 + rnd.nextInt(37));
                    cases.add(new Case(1 + rnd.nextInt(11), ch[0], h, w, ch[1], k, s, pad, ch[2], rnd.nextBoolean()));
                }
            }
        }
        cases.add(new Case(3, 32, 14, 14, 32, 3, 1, 1, 32, false)); // MobileNetV2's depthwise 3×3 shape
        cases.add(new Case(2, 16, 15, 15, 16, 3, 2, 1, 16, false)); // its stride-2 form on an odd size
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        GroupedConv2d conv = new GroupedConv2d(c.cin(), c.cout(), c.k(), c.stride(), c.pad(), c.groups(), c.bias());
        Shape in = Shape.of(c.cin(), c.h(), c.w());
        Shape out = conv.build(in, ParallelExecutor.SEQUENTIAL);
        int oh = OracleGroupedConv2d.outSize(c.h(), c.k(), c.stride(), c.pad()), ow = OracleGroupedConv2d.outSize(c.w(), c.k(), c.stride(), c.pad());
        assertEquals(Shape.of(c.cout(), oh, ow), out, c + ": output shape");
        float[] wt = uniform(rnd, conv.weight().size()), b = uniform(rnd, c.cout());
        set(conv.weight(), wt);
        if (c.bias()) set(conv.bias(), b);
        float[] x = uniform(rnd, c.batch() * in.size());
        double[] xd = toDouble(x), wd = toDouble(wt);
        Tensor z = conv.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleGroupedConv2d.forward(xd, c.batch(), c.cin(), c.h(), c.w(), wd, c.cout(), c.k(),
                c.bias() ? toDouble(b) : null, c.stride(), c.pad(), c.groups()), z, 2e-5);
        float[] g = uniform(rnd, c.batch() * out.size());
        double[] gd = toDouble(g);
        Tensor dx = conv.backward(tensor(out, c.batch(), g), true);
        assertClose(c + ": ∂L/∂input", OracleGroupedConv2d.gradInput(gd, c.batch(), c.cout(), oh, ow, wd, c.cin(), c.h(), c.w(), c.k(),
                c.stride(), c.pad(), c.groups()), dx, 2e-5);
        assertClose(c + ": ∂L/∂weight", OracleGroupedConv2d.gradWeight(xd, c.batch(), c.cin(), c.h(), c.w(), gd, c.cout(), c.k(),
                c.stride(), c.pad(), c.groups()), conv.weight().grad().data(), 2e-5);
        assertEquals(c.bias() ? 2 : 1, conv.params().size(), c + ": parameters");
        if (c.bias()) assertClose(c + ": ∂L/∂bias", OracleGroupedConv2d.gradBias(gd, c.batch(), c.cout(), oh, ow), conv.bias().grad().data(), 2e-5);
    }

    @Test
    void oracleGradientsMatchFiniteDifferences() {
        int n = 2, cin = 4, h = 5, w = 6, cout = 6, k = 3, s = 2, p = 1, groups = 2;
        int oh = OracleGroupedConv2d.outSize(h, k, s, p), ow = OracleGroupedConv2d.outSize(w, k, s, p);
        Random rnd = new Random(302);
        double[] x = toDouble(uniform(rnd, n * cin * h * w)), wt = toDouble(uniform(rnd, cout * (cin / groups) * k * k));
        double[] b = toDouble(uniform(rnd, cout)), r = toDouble(uniform(rnd, n * cout * oh * ow));
        assertFiniteDifference("oracle grouped conv ∂L/∂input",
                OracleGroupedConv2d.gradInput(r, n, cout, oh, ow, wt, cin, h, w, k, s, p, groups),
                xs -> dot(r, OracleGroupedConv2d.forward(xs, n, cin, h, w, wt, cout, k, b, s, p, groups)), x, 1e-6, 1e-6);
        assertFiniteDifference("oracle grouped conv ∂L/∂weight",
                OracleGroupedConv2d.gradWeight(x, n, cin, h, w, r, cout, k, s, p, groups),
                ws -> dot(r, OracleGroupedConv2d.forward(x, n, cin, h, w, ws, cout, k, b, s, p, groups)), wt, 1e-6, 1e-6);
        assertFiniteDifference("oracle grouped conv ∂L/∂bias", OracleGroupedConv2d.gradBias(r, n, cout, oh, ow),
                bs -> dot(r, OracleGroupedConv2d.forward(x, n, cin, h, w, wt, cout, k, bs, s, p, groups)), b, 1e-6, 1e-6);
    }

    @Test
    void floatGradientsMatchFiniteDifferences() {
        Random rnd = new Random(303);
        GroupedConv2d conv = new GroupedConv2d(6, 6, 3, 1, 1, 6, true);
        Shape in = Shape.of(6, 5, 7);
        Shape out = conv.build(in, ParallelExecutor.SEQUENTIAL);
        set(conv.weight(), uniform(rnd, conv.weight().size()));
        set(conv.bias(), uniform(rnd, 6));
        float[] x = uniform(rnd, 2 * in.size());
        Tensor xt = tensor(in, 2, x);
        double[] r = toDouble(uniform(rnd, 2 * out.size()));
        conv.forward(xt, true);
        double[] dx = toDouble(conv.backward(tensor(out, 2, TestSupport.toFloat(r)), true));
        double[] dw = toDouble(conv.weight().grad());
        java.util.function.DoubleSupplier loss = () -> TestSupport.weightedSum(r, conv.forward(xt, false));
        assertTrue(FiniteDifference.maxRelativeError(dx, TestSupport.floatCentralDifference(x, x.length, 1e-2f, loss)) < 1e-2, "float ∂L/∂input");
        assertTrue(FiniteDifference.maxRelativeError(dw, TestSupport.floatCentralDifference(conv.weight().value().data(),
                conv.weight().size(), 1e-2f, loss)) < 1e-2, "float ∂L/∂weight");
    }

    @Test
    void sameBitsAtAnyThreadCount() {
        float[] first = null, firstDw = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Random rnd = new Random(304);
                GroupedConv2d conv = new GroupedConv2d(8, 8, 3, 1, 1, 8, false);
                Shape in = Shape.of(8, 9, 11);
                Shape out = conv.build(in, ex);
                set(conv.weight(), uniform(rnd, conv.weight().size()));
                Tensor y = conv.forward(tensor(in, 13, uniform(rnd, 13 * in.size())), true);
                float[] dx = conv.backward(tensor(out, 13, uniform(rnd, 13 * out.size())), true).data().clone();
                if (first == null) {
                    first = dx;
                    firstDw = conv.weight().grad().data().clone();
                } else {
                    assertArrayEquals(first, dx, threads + " threads: ∂L/∂input");
                    assertArrayEquals(firstDw, conv.weight().grad().data(), threads + " threads: ∂L/∂weight");
                }
                assertEquals(13 * out.size(), y.size());
            }
        }
    }

    @Test
    void specsRoundTripAndGroupsMustDivideTheChannels() {
        assertEquals("conv2d in=32 out=32 kernel=3 stride=2 pad=1 groups=32 bias=false",
                LayerSpec.parse("conv2d in=32 out=32 kernel=3 stride=2 pad=1 groups=32 bias=false").spec());
        assertEquals("conv2d in=3 out=8 kernel=3 stride=1 pad=1 bias=false", LayerSpec.parse("conv2d in=3 out=8 kernel=3 pad=1 bias=false").spec());
        Layer biasFree = LayerSpec.parse("conv2d in=3 out=8 kernel=3 bias=false");
        biasFree.build(Shape.of(3, 5, 5));
        assertEquals(List.of("weight"), biasFree.params().stream().map(Param::name).toList(), "a bias-free convolution's parameters");
        assertThrows(IllegalArgumentException.class, () -> new GroupedConv2d(6, 4, 3, 1, 1, 4, true));
        GroupedConv2d untyped = new GroupedConv2d(0, 6, 3, 1, 1, 3, true);
        assertThrows(IllegalArgumentException.class, () -> untyped.build(Shape.of(4, 5, 5), ParallelExecutor.SEQUENTIAL));
    }
}
