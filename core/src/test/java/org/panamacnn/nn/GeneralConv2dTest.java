package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.assertMessageNames;
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
import org.panamacnn.oracle.OracleGeneralConv2d;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The general convolution (rectangular kernels and strides, dilation, uneven and "same" padding,
 * with and without bias) against the scalar oracle and finite differences, at any thread count,
 * and its specs.
 */
class GeneralConv2dTest {
    record Case(int batch, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw, int dh, int dw, ConvPadding pad, boolean bias) {
        GeneralConv2d layer() {
            return new GeneralConv2d(cin, cout, kh, kw, sh, sw, dh, dw, pad, bias);
        }

        @Override
        public String toString() {
            return layer().describe() + " on [" + batch + ", " + cin + ", " + h + ", " + w + "]";
        }
    }

    /** Inception's 1×7 and 7×1, a dilated 3×3, stride (2, 1), PyTorch's 'same' on an even kernel, SAME_LOWER, and random ones. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(3, 4, 9, 11, 5, 1, 7, 1, 1, 1, 1, ConvPadding.of(0, 3, 0, 3), true));
        cases.add(new Case(3, 4, 11, 9, 5, 7, 1, 1, 1, 1, 1, ConvPadding.of(3, 0, 3, 0), false));
        cases.add(new Case(2, 3, 13, 12, 6, 3, 3, 1, 1, 2, 2, ConvPadding.uniform(2), true));
        cases.add(new Case(5, 3, 9, 10, 4, 3, 3, 2, 1, 1, 1, ConvPadding.uniform(1), true));
        cases.add(new Case(2, 3, 8, 9, 4, 2, 4, 1, 1, 1, 1, ConvPadding.same(true), true));
        cases.add(new Case(2, 2, 9, 7, 3, 2, 3, 2, 3, 1, 2, ConvPadding.same(false), false));
        cases.add(new Case(11, 5, 14, 14, 9, 3, 3, 1, 1, 1, 1, ConvPadding.of(0, 1, 1, 2), true)); // groups of images side by side
        Random rnd = new Random(401);
        while (cases.size() < 20) {
            int kh = 1 + rnd.nextInt(4), kw = 1 + rnd.nextInt(4), dh = 1 + rnd.nextInt(3), dw = 1 + rnd.nextInt(3);
            ConvPadding pad = ConvPadding.of(rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
            int h = 1 + rnd.nextInt(12), w = 1 + rnd.nextInt(19);
            if (h + pad.top() + pad.bottom() < (kh - 1) * dh + 1 || w + pad.left() + pad.right() < (kw - 1) * dw + 1) continue;
            cases.add(new Case(1 + rnd.nextInt(9), 1 + rnd.nextInt(5), h, w, 1 + rnd.nextInt(7), kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3),
                    dh, dw, pad, rnd.nextBoolean()));
        }
        return cases;
    }

    /** The oracle's window, with the padding the layer resolved. */
    private static int[] window(GeneralConv2d conv) {
        var g = conv.geometry();
        return new int[] {g.kh(), g.kw(), g.sh(), g.sw(), g.dh(), g.dw(), g.top(), g.left(), g.bottom(), g.right()};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        GeneralConv2d conv = c.layer();
        Shape in = Shape.of(c.cin(), c.h(), c.w());
        Shape out = conv.build(in, ParallelExecutor.SEQUENTIAL);
        int[] g = window(conv);
        int oh = OracleGeneralConv2d.outHeight(c.h(), g), ow = OracleGeneralConv2d.outWidth(c.w(), g);
        assertEquals(Shape.of(c.cout(), oh, ow), out, c + ": output shape");
        float[] wt = uniform(rnd, conv.weight().size()), b = uniform(rnd, c.cout());
        set(conv.weight(), wt);
        if (c.bias()) set(conv.bias(), b);
        float[] x = uniform(rnd, c.batch() * in.size());
        double[] xd = toDouble(x), wd = toDouble(wt);
        Tensor z = conv.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleGeneralConv2d.forward(xd, c.batch(), c.cin(), c.h(), c.w(), wd, c.cout(), c.bias() ? toDouble(b) : null, g), z, 2e-5);
        float[] r = uniform(rnd, c.batch() * out.size());
        double[] rd = toDouble(r);
        Tensor dx = conv.backward(tensor(out, c.batch(), r), true);
        assertClose(c + ": ∂L/∂input", OracleGeneralConv2d.gradInput(rd, c.batch(), c.cin(), c.h(), c.w(), wd, c.cout(), g), dx, 2e-5);
        assertClose(c + ": ∂L/∂weight", OracleGeneralConv2d.gradWeight(xd, c.batch(), c.cin(), c.h(), c.w(), rd, c.cout(), g),
                conv.weight().grad().data(), 2e-5);
        assertEquals(c.bias() ? 2 : 1, conv.params().size(), c + ": parameters");
        if (c.bias()) assertClose(c + ": ∂L/∂bias", OracleGeneralConv2d.gradBias(rd, c.batch(), c.cout(), oh * ow), conv.bias().grad().data(), 2e-5);
    }

    @Test
    void oracleGradientsMatchFiniteDifferences() {
        int n = 2, cin = 3, h = 7, w = 6, cout = 4;
        int[] g = {3, 2, 2, 1, 2, 3, 2, 0, 1, 3};
        int oh = OracleGeneralConv2d.outHeight(h, g), ow = OracleGeneralConv2d.outWidth(w, g);
        Random rnd = new Random(402);
        double[] x = toDouble(uniform(rnd, n * cin * h * w)), wt = toDouble(uniform(rnd, cout * cin * g[0] * g[1]));
        double[] b = toDouble(uniform(rnd, cout)), r = toDouble(uniform(rnd, n * cout * oh * ow));
        assertFiniteDifference("oracle general conv ∂L/∂input", OracleGeneralConv2d.gradInput(r, n, cin, h, w, wt, cout, g),
                xs -> dot(r, OracleGeneralConv2d.forward(xs, n, cin, h, w, wt, cout, b, g)), x, 1e-6, 1e-6);
        assertFiniteDifference("oracle general conv ∂L/∂weight", OracleGeneralConv2d.gradWeight(x, n, cin, h, w, r, cout, g),
                ws -> dot(r, OracleGeneralConv2d.forward(x, n, cin, h, w, ws, cout, b, g)), wt, 1e-6, 1e-6);
        assertFiniteDifference("oracle general conv ∂L/∂bias", OracleGeneralConv2d.gradBias(r, n, cout, oh * ow),
                bs -> dot(r, OracleGeneralConv2d.forward(x, n, cin, h, w, wt, cout, bs, g)), b, 1e-6, 1e-6);
    }

    @Test
    void floatGradientsMatchFiniteDifferences() {
        Random rnd = new Random(403);
        GeneralConv2d conv = new GeneralConv2d(3, 4, 3, 2, 2, 1, 2, 2, ConvPadding.of(1, 2, 0, 1), true);
        Shape in = Shape.of(3, 7, 6);
        Shape out = conv.build(in, ParallelExecutor.SEQUENTIAL);
        set(conv.weight(), uniform(rnd, conv.weight().size()));
        set(conv.bias(), uniform(rnd, 4));
        float[] x = uniform(rnd, 2 * in.size());
        Tensor xt = tensor(in, 2, x);
        double[] r = toDouble(uniform(rnd, 2 * out.size()));
        conv.forward(xt, true);
        double[] dx = toDouble(conv.backward(tensor(out, 2, TestSupport.toFloat(r)), true));
        double[] dw = toDouble(conv.weight().grad()), db = toDouble(conv.bias().grad());
        java.util.function.DoubleSupplier loss = () -> TestSupport.weightedSum(r, conv.forward(xt, false));
        assertTrue(FiniteDifference.maxRelativeError(dx, TestSupport.floatCentralDifference(x, x.length, 1e-2f, loss)) < 1e-2, "float ∂L/∂input");
        assertTrue(FiniteDifference.maxRelativeError(dw, TestSupport.floatCentralDifference(conv.weight().value().data(),
                conv.weight().size(), 1e-2f, loss)) < 1e-2, "float ∂L/∂weight");
        assertTrue(FiniteDifference.maxRelativeError(db, TestSupport.floatCentralDifference(conv.bias().value().data(), 4, 1e-2f, loss)) < 1e-2,
                "float ∂L/∂bias");
    }

    @Test
    void sameBitsAtAnyThreadCount() {
        float[] first = null, firstDw = null, firstY = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Random rnd = new Random(404);
                GeneralConv2d conv = new GeneralConv2d(5, 6, 1, 7, 2, 1, 1, 2, ConvPadding.same(true), true);
                Shape in = Shape.of(5, 9, 11);
                Shape out = conv.build(in, ex);
                set(conv.weight(), uniform(rnd, conv.weight().size()));
                float[] y = conv.forward(tensor(in, 13, uniform(rnd, 13 * in.size())), true).data().clone();
                float[] dx = conv.backward(tensor(out, 13, uniform(rnd, 13 * out.size())), true).data().clone();
                if (first == null) {
                    first = dx;
                    firstY = y;
                    firstDw = conv.weight().grad().data().clone();
                } else {
                    assertArrayEquals(firstY, y, threads + " threads: output");
                    assertArrayEquals(first, dx, threads + " threads: ∂L/∂input");
                    assertArrayEquals(firstDw, conv.weight().grad().data(), threads + " threads: ∂L/∂weight");
                }
            }
        }
    }

    /** "Same" padding worked out from the input: ONNX's SAME_UPPER (PyTorch's padding='same') and SAME_LOWER. */
    @Test
    void samePaddingIsWorkedOutFromTheInput() {
        GeneralConv2d upper = new GeneralConv2d(1, 1, 2, 4, 1, 1, 1, 1, ConvPadding.same(true), true);
        assertEquals(Shape.of(1, 9, 10), upper.build(Shape.of(1, 9, 10)));
        assertEquals(List.of(0, 1, 1, 2), pads(upper));
        GeneralConv2d lower = new GeneralConv2d(1, 1, 2, 4, 1, 1, 1, 1, ConvPadding.same(false), true);
        lower.build(Shape.of(1, 9, 10));
        assertEquals(List.of(1, 2, 0, 1), pads(lower));
        GeneralConv2d strided = new GeneralConv2d(1, 1, 3, 3, 2, 2, 1, 1, ConvPadding.same(true), true); // out ⌈9/2⌉ = 5: total 2
        assertEquals(Shape.of(1, 5, 5), strided.build(Shape.of(1, 9, 9)));
        assertEquals(List.of(1, 1, 1, 1), pads(strided));
    }

    private static List<Integer> pads(GeneralConv2d conv) {
        var g = conv.geometry();
        return List.of(g.top(), g.left(), g.bottom(), g.right());
    }

    @Test
    void specsRoundTripAndSquareOnesStayConv2d() {
        for (String spec : new String[] {"conv2d in=3 out=8 kernel=1,7 stride=1 dilation=1 pad=0,3,0,3",
                "conv2d in=3 out=8 kernel=3 stride=2,1 dilation=1 pad=1", "conv2d in=3 out=8 kernel=3 stride=1 dilation=2 pad=2 bias=false",
                "conv2d in=3 out=8 kernel=2,4 stride=1 dilation=1 pad=same", "conv2d in=3 out=8 kernel=3 stride=2 dilation=1 pad=same_lower"}) {
            Layer l = LayerSpec.parse(spec);
            assertInstanceOf(GeneralConv2d.class, l, spec);
            assertEquals(spec, l.spec());
            l.build(Shape.of(3, 12, 12));
            assertEquals(spec, l.spec(), "built");
            assertEquals(spec, LayerSpec.parse(l.spec()).spec());
        }
        assertEquals("conv2d in=3 out=8 kernel=1,7 stride=1 dilation=1 pad=0,3,0,3", LayerSpec.parse("conv2d in=3 out=8 kernel=1,7 pad=0,3").spec());
        assertEquals("conv2d in=3 out=8 kernel=3 stride=1 dilation=2,1 pad=1", LayerSpec.parse("conv2d in=3 out=8 kernel=3 dilation=2,1 pad=1").spec());
        // the square fast path, as every existing definition writes it
        for (String square : new String[] {"conv2d out=8 kernel=3 pad=1", "conv2d out=8 kernel=3,3 stride=2,2 dilation=1 pad=1,1",
                "conv2d out=8 kernel=3 pad=1,1,1,1", "conv2d out=8 kernel=3 pad=same"}) {
            assertInstanceOf(Conv2d.class, LayerSpec.parse(square), square);
        }
        assertEquals("conv2d in=0 out=8 kernel=3 stride=1 pad=1", LayerSpec.parse("conv2d out=8 kernel=3 pad=same").spec());
        assertInstanceOf(GroupedConv2d.class, LayerSpec.parse("conv2d out=8 kernel=3 pad=1 groups=2"));
    }

    @Test
    void badSettingsAreNamed() {
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("conv2d out=8 kernel=1,7 groups=2")), "groups=2",
                "square kernel");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("conv2d out=8 kernel=3 dilation=0")), "dilation height 0",
                "1..4096");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("conv2d out=8 kernel=0")), "Conv2d", "kernel 0");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("conv2d out=8 kernel=3 pad=1,2,3")), "pad=1,2,3",
                "T,L,B,R");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("conv2d out=8 kernel=1,2,3")), "kernel=",
                "height,width");
        GeneralConv2d tooBig = new GeneralConv2d(0, 2, 3, 3, 1, 1, 4, 1, ConvPadding.uniform(0), true);
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> tooBig.build(Shape.of(1, 8, 8))), "Conv2d(", "dilation 4×1",
                "[1, 8, 8]", "spanning 9");
    }

    /** A chain of general convolutions trains: the loss falls, and a model file gives it back with the same outputs. */
    @Test
    void trainsAndRoundTripsThroughTheModelFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Sequential model = new Sequential(Shape.of(2, 10, 10), List.of(LayerSpec.parse("conv2d out=6 kernel=1,5 pad=0,2"), new ReLU(),
                LayerSpec.parse("conv2d out=6 kernel=3 dilation=2 stride=2,1 pad=same"), new BatchNorm2d(6), new ReLU(),
                new Flatten(), new Dense(6 * 5 * 10, 3)), BuildContext.standalone(ParallelExecutor.SEQUENTIAL));
        model.initialize(7);
        Random rnd = new Random(405);
        float[] x = uniform(rnd, 8 * 200);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
        var trainer = new org.panamacnn.train.Trainer(model, new org.panamacnn.loss.SoftmaxCrossEntropy(), new org.panamacnn.optim.Adam(0.01f), 8, 1);
        Tensor xt = new Tensor(Shape.of(8, 2, 10, 10), x);
        double first = trainer.step(xt, y), last = first;
        for (int i = 0; i < 60; i++) last = trainer.step(xt, y);
        assertTrue(last < 0.5 * first, "loss " + first + " → " + last);
        java.nio.file.Path file = dir.resolve("m.safetensors");
        org.panamacnn.io.ModelFile.save(file, model, java.util.Map.of());
        Sequential loaded = org.panamacnn.io.ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        assertEquals(model.summary(), loaded.summary());
        assertArrayEquals(model.forward(new Tensor(Shape.of(8, 2, 10, 10), x.clone()), false).data().clone(),
                loaded.forward(new Tensor(Shape.of(8, 2, 10, 10), x.clone()), false).data());
    }
}
