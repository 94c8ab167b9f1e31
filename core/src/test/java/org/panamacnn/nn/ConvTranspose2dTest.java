package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.panamacnn.oracle.OracleConvTranspose2d;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** PyTorch's ConvTranspose2d (with and without bias, output padding) against the scalar oracle and finite differences. */
class ConvTranspose2dTest {
    record Case(int batch, int cin, int h, int w, int cout, int k, int stride, int pad, int outPad, boolean bias) {
        @Override
        public String toString() {
            return "ConvTranspose2d(" + cin + "→" + cout + ", " + k + "×" + k + ", stride " + stride + ", pad " + pad + ", output pad " + outPad
                    + (bias ? "" : ", no bias") + ") on [" + batch + ", " + cin + ", " + h + ", " + w + "]";
        }
    }

    /** U-Net's 2×2 stride 2 and 3×3 stride 2 pad 1 output pad 1; kernels 1..5, strides 1..3, paddings, random odd sizes, uneven chunks. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(new Case(3, 8, 7, 7, 4, 2, 2, 0, 0, true), new Case(2, 5, 5, 9, 3, 3, 2, 1, 1, true),
                new Case(11, 3, 4, 5, 6, 4, 2, 1, 0, false), new Case(1, 1, 1, 1, 1, 1, 1, 0, 0, true), new Case(2, 19, 6, 3, 21, 3, 1, 1, 0, true)));
        Random rnd = new Random(4101);
        for (int i = 0; i < 16; i++) {
            int k = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(3), p = rnd.nextInt(k), op = rnd.nextInt(s);
            int h = 1 + rnd.nextInt(9), w = 1 + rnd.nextInt(13);
            if (OracleConvTranspose2d.outSize(h, k, s, p, op) < 1 || OracleConvTranspose2d.outSize(w, k, s, p, op) < 1) continue;
            cases.add(new Case(1 + rnd.nextInt(10), 1 + rnd.nextInt(7), h, w, 1 + rnd.nextInt(9), k, s, p, op, rnd.nextBoolean()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        ConvTranspose2d ct = new ConvTranspose2d(c.cin(), c.cout(), c.k(), c.stride(), c.pad(), c.outPad(), c.bias());
        Shape in = Shape.of(c.cin(), c.h(), c.w());
        Shape out = ct.build(in, ParallelExecutor.SEQUENTIAL);
        int oh = OracleConvTranspose2d.outSize(c.h(), c.k(), c.stride(), c.pad(), c.outPad());
        int ow = OracleConvTranspose2d.outSize(c.w(), c.k(), c.stride(), c.pad(), c.outPad());
        assertEquals(Shape.of(c.cout(), oh, ow), out, c + ": output shape");
        float[] wt = uniform(rnd, ct.weight().size()), b = uniform(rnd, c.cout());
        set(ct.weight(), wt);
        if (c.bias()) set(ct.bias(), b);
        float[] x = uniform(rnd, c.batch() * in.size());
        double[] xd = toDouble(x), wd = toDouble(wt);
        Tensor y = ct.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleConvTranspose2d.forward(xd, c.batch(), c.cin(), c.h(), c.w(), wd, c.bias() ? toDouble(b) : null,
                c.cout(), c.k(), c.stride(), c.pad(), c.outPad()), y, 2e-5);
        float[] g = uniform(rnd, c.batch() * out.size());
        Tensor dx = ct.backward(tensor(out, c.batch(), g), true);
        double[][] expected = OracleConvTranspose2d.backward(xd, c.batch(), c.cin(), c.h(), c.w(), wd, c.cout(), c.k(), c.stride(), c.pad(),
                c.outPad(), toDouble(g));
        assertClose(c + ": ∂L/∂input", expected[0], dx, 2e-5);
        assertClose(c + ": ∂L/∂weight", expected[1], ct.weight().grad().data(), 2e-5);
        assertEquals(c.bias() ? 2 : 1, ct.params().size(), c + ": parameters");
        if (c.bias()) assertClose(c + ": ∂L/∂bias", expected[2], ct.bias().grad().data(), 2e-5);
    }

    @Test
    void oracleGradientsMatchFiniteDifferences() {
        int n = 2, cin = 3, h = 4, w = 5, cout = 2, k = 3, s = 2, p = 1, op = 1;
        int oh = OracleConvTranspose2d.outSize(h, k, s, p, op), ow = OracleConvTranspose2d.outSize(w, k, s, p, op);
        Random rnd = new Random(4102);
        double[] x = toDouble(uniform(rnd, n * cin * h * w)), wt = toDouble(uniform(rnd, cin * cout * k * k));
        double[] b = toDouble(uniform(rnd, cout)), r = toDouble(uniform(rnd, n * cout * oh * ow));
        double[][] grads = OracleConvTranspose2d.backward(x, n, cin, h, w, wt, cout, k, s, p, op, r);
        assertFiniteDifference("oracle ∂L/∂input", grads[0], xs -> dot(r, OracleConvTranspose2d.forward(xs, n, cin, h, w, wt, b, cout, k, s, p, op)), x, 1e-6, 1e-6);
        assertFiniteDifference("oracle ∂L/∂weight", grads[1], ws -> dot(r, OracleConvTranspose2d.forward(x, n, cin, h, w, ws, b, cout, k, s, p, op)), wt, 1e-6, 1e-6);
        assertFiniteDifference("oracle ∂L/∂bias", grads[2], bs -> dot(r, OracleConvTranspose2d.forward(x, n, cin, h, w, wt, bs, cout, k, s, p, op)), b, 1e-6, 1e-6);
    }

    @Test
    void floatGradientsMatchFiniteDifferences() {
        Random rnd = new Random(4103);
        ConvTranspose2d ct = new ConvTranspose2d(4, 3, 3, 2, 1, 1, true);
        Shape in = Shape.of(4, 3, 5);
        Shape out = ct.build(in, ParallelExecutor.SEQUENTIAL);
        set(ct.weight(), uniform(rnd, ct.weight().size()));
        set(ct.bias(), uniform(rnd, 3));
        float[] x = uniform(rnd, 2 * in.size());
        Tensor xt = tensor(in, 2, x);
        double[] r = toDouble(uniform(rnd, 2 * out.size()));
        ct.forward(xt, true);
        double[] dx = toDouble(ct.backward(tensor(out, 2, TestSupport.toFloat(r)), true));
        double[] dw = toDouble(ct.weight().grad()), db = toDouble(ct.bias().grad());
        java.util.function.DoubleSupplier loss = () -> TestSupport.weightedSum(r, ct.forward(xt, false));
        assertTrue(FiniteDifference.maxRelativeError(dx, TestSupport.floatCentralDifference(x, x.length, 1e-2f, loss)) < 1e-2, "float ∂L/∂input");
        assertTrue(FiniteDifference.maxRelativeError(dw, TestSupport.floatCentralDifference(ct.weight().value().data(), ct.weight().size(), 1e-2f, loss)) < 1e-2,
                "float ∂L/∂weight");
        assertTrue(FiniteDifference.maxRelativeError(db, TestSupport.floatCentralDifference(ct.bias().value().data(), 3, 1e-2f, loss)) < 1e-2,
                "float ∂L/∂bias");
    }

    @Test
    void sameBitsAtAnyThreadCount() {
        float[] first = null, firstY = null, firstDw = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Random rnd = new Random(4104);
                ConvTranspose2d ct = new ConvTranspose2d(6, 5, 3, 2, 1, 1, true);
                Shape in = Shape.of(6, 7, 9);
                Shape out = ct.build(in, ex);
                set(ct.weight(), uniform(rnd, ct.weight().size()));
                float[] y = ct.forward(tensor(in, 13, uniform(rnd, 13 * in.size())), true).data().clone();
                float[] dx = ct.backward(tensor(out, 13, uniform(rnd, 13 * out.size())), true).data().clone();
                if (first == null) {
                    first = dx;
                    firstY = y;
                    firstDw = ct.weight().grad().data().clone();
                } else {
                    assertArrayEquals(firstY, y, threads + " threads: output");
                    assertArrayEquals(first, dx, threads + " threads: ∂L/∂input");
                    assertArrayEquals(firstDw, ct.weight().grad().data(), threads + " threads: ∂L/∂weight");
                }
            }
        }
    }

    @Test
    void specsRoundTripAndNamesMatchPyTorch() {
        assertEquals("convtranspose2d in=8 out=4 kernel=3 stride=2 pad=1 output_pad=1",
                LayerSpec.parse("convtranspose2d in=8 out=4 kernel=3 stride=2 pad=1 output_pad=1").spec());
        assertEquals("convtranspose2d out=4 kernel=2 stride=2 pad=0 bias=false", LayerSpec.parse("convtranspose2d out=4 kernel=2 stride=2 bias=false").spec());
        Layer l = LayerSpec.parse("convtranspose2d out=4 kernel=2 stride=2");
        assertEquals(Shape.of(4, 10, 14), l.build(Shape.of(3, 5, 7)));
        assertEquals(List.of("weight", "bias"), l.params().stream().map(Param::name).toList());
        assertEquals(Shape.of(3, 4, 2, 2), l.params().getFirst().value().shape(), "PyTorch's [in, out, k, k]");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 4, 3, 2, 1, 2, true)), "output_pad 2", "stride 2");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("convtranspose2d out=4 kernel=0")), "kernel 0");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(0, 4, 1, 1, 3, 0, true).build(Shape.of(2, 2, 2))),
                "empty output");
    }
}
