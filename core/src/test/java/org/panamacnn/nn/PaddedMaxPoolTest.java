package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.distinct;
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
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleMaxPool;
import org.panamacnn.oracle.OracleRelu;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** MaxPool2d with padding (−∞, as PyTorch's MaxPool2d(k, s, padding=p)) against the scalar oracle. */
class PaddedMaxPoolTest {
    record Case(int batch, int c, int h, int w, int window, int stride, int pad) {
        @Override
        public String toString() {
            return "MaxPool2d(" + window + ", stride " + stride + ", pad " + pad + ") on [" + batch + ", " + c + ", " + h + ", " + w + "]";
        }
    }

    /** Random odd and even sizes for every window 2..5, stride 1..3 and padding 1..window/2; chunked batches. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Random rnd = new Random(211);
        for (int k = 2; k <= 5; k++) {
            for (int s = 1; s <= 3; s++) {
                for (int p = 1; p <= k / 2; p++) {
                    int least = k - 2 * p; // the smallest input a padded window fits
                    cases.add(new Case(1 + rnd.nextInt(5), 1 + rnd.nextInt(3), Math.max(least, 1 + rnd.nextInt(13)),
                            Math.max(least, 2 + rnd.nextInt(12)), k, s, p));
                }
            }
        }
        cases.add(new Case(11, 3, 32, 32, 3, 2, 1)); // ResNet's stem pool on a CIFAR-sized input, batch in uneven chunks
        cases.add(new Case(2, 2, 1, 1, 3, 2, 1));    // a single pixel: every window is mostly padding
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        MaxPool2d pool = new MaxPool2d(c.window(), c.stride(), c.pad());
        Shape in = Shape.of(c.c(), c.h(), c.w());
        Shape out = pool.build(in, ParallelExecutor.SEQUENTIAL);
        int oh = OracleMaxPool.outSize(c.h(), c.window(), c.stride(), c.pad());
        int ow = OracleMaxPool.outSize(c.w(), c.window(), c.stride(), c.pad());
        assertEquals(Shape.of(c.c(), oh, ow), out, c + ": output shape");
        float[] x = distinct(rnd, c.batch() * in.size());
        for (int i = 0; i < x.length; i++) x[i] -= 10f; // all negative: a zero padding would win every border window
        double[] xd = toDouble(x);
        Tensor y = pool.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleMaxPool.forward(xd, c.batch(), c.c(), c.h(), c.w(), c.window(), c.stride(), c.pad()), y, 0);
        float[] g = uniform(rnd, c.batch() * out.size());
        Tensor dx = pool.backward(tensor(out, c.batch(), g), true);
        assertClose(c + ": ∂L/∂input", OracleMaxPool.backward(toDouble(g), xd, c.batch(), c.c(), c.h(), c.w(), c.window(),
                c.stride(), c.pad()), dx, 1e-6);
    }

    @Test
    void oracleGradientMatchesFiniteDifferences() {
        int n = 2, c = 2, h = 7, w = 6, k = 3, s = 2, p = 1;
        Random rnd = new Random(212);
        double[] x = toDouble(distinct(rnd, n * c * h * w)); // no ties: eps cannot move an arg-max
        double[] r = toDouble(uniform(rnd, n * c * OracleMaxPool.outSize(h, k, s, p) * OracleMaxPool.outSize(w, k, s, p)));
        assertFiniteDifference("oracle padded MaxPool2d ∂L/∂input", OracleMaxPool.backward(r, x, n, c, h, w, k, s, p),
                xs -> dot(r, OracleMaxPool.forward(xs, n, c, h, w, k, s, p)), x, 1e-6, 1e-6);
    }

    /** conv → ReLU → padded max-pool runs as one fused training step; it must equal the oracle's three steps. */
    @Test
    void fusedAfterConvolutionAndReluMatchesOracle() {
        Random rnd = new Random(213);
        int batch = 5, cin = 3, h = 11, w = 9, cout = 4;
        Shape in = Shape.of(cin, h, w);
        Conv2d conv = new Conv2d(cin, cout, 3, 1, 1);
        Graph model = new Graph(List.of(Graph.Node.of("c", conv, Graph.INPUT), Graph.Node.of("r", new ReLU(), "c"),
                Graph.Node.of("p", new MaxPool2d(3, 2, 1), "r")));
        Shape outShape = model.build(in, ParallelExecutor.SEQUENTIAL);
        float[] wt = uniform(rnd, cout * cin * 9), b = uniform(rnd, cout);
        set(conv.weight(), wt);
        set(conv.bias(), b);
        float[] x = uniform(rnd, batch * in.size());
        double[] xd = toDouble(x);
        double[] z = OracleConv2d.forward(xd, batch, cin, h, w, toDouble(wt), cout, 3, 3, toDouble(b), 1, 1);
        double[] a = OracleRelu.forward(z);
        Tensor y = model.forward(tensor(in, batch, x), true);
        assertClose("forward", OracleMaxPool.forward(a, batch, cout, h, w, 3, 2, 1), y, 2e-5);
        float[] g = uniform(rnd, y.size());
        Tensor dx = model.backward(tensor(outShape, batch, g), true);
        double[] da = OracleMaxPool.backward(toDouble(g), a, batch, cout, h, w, 3, 2, 1);
        double[] dz = OracleRelu.backward(da, z);
        assertClose("∂L/∂input", OracleConv2d.gradInput(dz, batch, cout, h, w, toDouble(wt), cin, h, w, 3, 3, 1, 1), dx, 2e-5);
        assertClose("∂L/∂weight", OracleConv2d.gradWeight(xd, batch, cin, h, w, dz, cout, 3, 3, 1, 1), conv.weight().grad().data(), 2e-5);
    }

    @Test
    void specRoundTripsAndBadPaddingIsRefused() {
        assertEquals("maxpool2d window=3 stride=2 pad=1", LayerSpec.parse("maxpool2d window=3 stride=2 pad=1").spec());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3, 2, 2));
    }
}
