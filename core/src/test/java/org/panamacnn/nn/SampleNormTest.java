package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertClose;
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
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.oracle.OracleSampleNorm;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * {@link GroupNorm} (group norm, and layer norm over [C, H, W]) and {@link LayerNorm2d} against
 * {@link OracleSampleNorm} on random odd shapes (planes that leave vector tails, batches that split
 * into chunks), the oracle against finite differences, the float layers against central
 * differences, thread-count independence, and their specs.
 */
class SampleNormTest {
    enum Form { GROUP, LAYER, LAYER2D }

    record Case(Form form, int batch, int c, int h, int w, int groups, float eps) {
        @Override
        public String toString() {
            return form + (form == Form.GROUP ? "(" + groups + ")" : "") + " eps " + eps + " on [" + batch + ", " + c + ", " + h + ", " + w + "]";
        }

        Layer layer() {
            return switch (form) {
                case GROUP -> GroupNorm.groupNorm(groups, eps);
                case LAYER -> GroupNorm.layerNorm(eps);
                case LAYER2D -> new LayerNorm2d(eps);
            };
        }

        int affine() {
            return form == Form.LAYER ? c * h * w : c;
        }

        double[] forward(double[] x, double[] g, double[] b) {
            return switch (form) {
                case GROUP -> OracleSampleNorm.groupNormForward(x, batch, c, h, w, groups, g, b, eps);
                case LAYER -> OracleSampleNorm.layerNormForward(x, batch, c, h, w, g, b, eps);
                case LAYER2D -> OracleSampleNorm.layerNorm2dForward(x, batch, c, h, w, g, b, eps);
            };
        }

        double[][] backward(double[] dy, double[] x, double[] g) {
            return switch (form) {
                case GROUP -> OracleSampleNorm.groupNormBackward(dy, x, batch, c, h, w, groups, g, eps);
                case LAYER -> OracleSampleNorm.layerNormBackward(dy, x, batch, c, h, w, g, eps);
                case LAYER2D -> OracleSampleNorm.layerNorm2dBackward(dy, x, batch, c, h, w, g, eps);
            };
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(new Case(Form.GROUP, 3, 6, 5, 7, 3, 1e-5f), new Case(Form.GROUP, 2, 8, 4, 4, 1, 1e-5f),
                new Case(Form.GROUP, 9, 5, 3, 3, 5, 1e-3f), new Case(Form.LAYER, 3, 4, 5, 7, 1, 1e-5f), new Case(Form.LAYER, 1, 3, 2, 1, 1, 1e-5f),
                new Case(Form.LAYER2D, 3, 7, 5, 9, 1, 1e-6f), new Case(Form.LAYER2D, 10, 1, 3, 3, 1, 1e-5f), new Case(Form.LAYER2D, 2, 16, 1, 1, 1, 1e-5f)));
        Random rnd = new Random(4001);
        for (int i = 0; i < 12; i++) {
            Form f = Form.values()[i % 3];
            int groups = 1 + rnd.nextInt(4), c = groups * (1 + rnd.nextInt(5));
            cases.add(new Case(f, 1 + rnd.nextInt(11), f == Form.GROUP ? c : 1 + rnd.nextInt(19), 1 + rnd.nextInt(13), 1 + rnd.nextInt(13),
                    f == Form.GROUP ? groups : 1, 1e-5f));
        }
        return cases;
    }

    private static void setWeights(Layer l, float[] g, float[] b) {
        Param gamma = l instanceof GroupNorm gn ? gn.weight() : ((LayerNorm2d) l).weight();
        Param beta = l instanceof GroupNorm gn ? gn.bias() : ((LayerNorm2d) l).bias();
        System.arraycopy(g, 0, gamma.value().data(), 0, g.length);
        System.arraycopy(b, 0, beta.value().data(), 0, b.length);
    }

    private static Param weightOf(Layer l) {
        return l instanceof GroupNorm gn ? gn.weight() : ((LayerNorm2d) l).weight();
    }

    private static Param biasOf(Layer l) {
        return l instanceof GroupNorm gn ? gn.bias() : ((LayerNorm2d) l).bias();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndBackwardMatchTheOracle(Case k) {
        Random rnd = new Random(k.toString().hashCode());
        Shape in = Shape.of(k.c(), k.h(), k.w());
        Layer l = k.layer();
        assertEquals(in, l.build(in, ParallelExecutor.SEQUENTIAL));
        float[] g = uniform(rnd, k.affine()), b = uniform(rnd, k.affine());
        setWeights(l, g, b);
        float[] x = uniform(rnd, k.batch() * in.size());
        for (int i = 0; i < x.length; i++) x[i] = 3f + 2f * x[i]; // a mean far from 0
        double[] xd = toDouble(x);
        Tensor y = l.forward(tensor(in, k.batch(), x), true);
        assertClose(k + " forward", k.forward(xd, toDouble(g), toDouble(b)), y, 2e-5);
        float[] dy = uniform(rnd, x.length);
        Tensor dx = l.backward(tensor(in, k.batch(), dy), true);
        double[][] e = k.backward(toDouble(dy), xd, toDouble(g));
        assertClose(k + " δx", e[0], dx, 1e-4);
        assertClose(k + " δγ", e[1], weightOf(l).grad(), 1e-4);
        assertClose(k + " δβ", e[2], biasOf(l).grad(), 1e-5);
        // evaluation is the same computation (no running statistics)
        assertArrayEquals(y.toArray(), l.forward(tensor(in, k.batch(), x), false).toArray(), k + ": evaluation");
    }

    @Test
    void oracleGradientsMatchFiniteDifferences() {
        Random rnd = new Random(4002);
        int n = 2, c = 4, h = 3, w = 2;
        for (Case k : List.of(new Case(Form.GROUP, n, c, h, w, 2, 1e-5f), new Case(Form.LAYER, n, c, h, w, 1, 1e-5f), new Case(Form.LAYER2D, n, c, h, w, 1, 1e-6f))) {
            double[] x = toDouble(uniform(rnd, n * c * h * w)), r = toDouble(uniform(rnd, x.length));
            double[] gamma = toDouble(uniform(rnd, k.affine())), beta = toDouble(uniform(rnd, k.affine()));
            double[][] d = k.backward(r, x, gamma);
            double[] fdx = FiniteDifference.gradient(xs -> dot(r, k.forward(xs, gamma, beta)), x, 1e-6);
            for (int i = 0; i < x.length; i++) assertEquals(fdx[i], d[0][i], 1e-6, k + " δx[" + i + "]");
            double[] fdg = FiniteDifference.gradient(gs -> dot(r, k.forward(x, gs, beta)), gamma, 1e-6);
            double[] fdb = FiniteDifference.gradient(bs -> dot(r, k.forward(x, gamma, bs)), beta, 1e-6);
            for (int i = 0; i < gamma.length; i++) {
                assertEquals(fdg[i], d[1][i], 1e-6, k + " δγ[" + i + "]");
                assertEquals(fdb[i], d[2][i], 1e-6, k + " δβ[" + i + "]");
            }
        }
    }

    @Test
    void floatGradientsMatchCentralDifferences() {
        Random rnd = new Random(4003);
        for (Case k : List.of(new Case(Form.GROUP, 3, 6, 5, 3, 3, 1e-5f), new Case(Form.LAYER, 2, 3, 3, 5, 1, 1e-5f), new Case(Form.LAYER2D, 3, 5, 3, 3, 1, 1e-5f))) {
            Shape in = Shape.of(k.c(), k.h(), k.w());
            Layer l = k.layer();
            l.build(in, ParallelExecutor.SEQUENTIAL);
            setWeights(l, uniform(rnd, k.affine()), uniform(rnd, k.affine()));
            float[] x = uniform(rnd, k.batch() * in.size());
            Tensor xt = tensor(in, k.batch(), x);
            double[] r = toDouble(uniform(rnd, x.length));
            l.forward(xt, true);
            double[] dx = toDouble(l.backward(tensor(in, k.batch(), TestSupport.toFloat(r)), true));
            double[] dg = toDouble(weightOf(l).grad());
            double[] numeric = TestSupport.floatCentralDifference(x, x.length, 1e-2f, () -> TestSupport.weightedSum(r, l.forward(xt, false)));
            double err = FiniteDifference.maxRelativeError(dx, numeric);
            assertTrue(err < 2e-2, k + ": float ∂L/∂input vs central differences, max relative error " + err);
            float[] gw = weightOf(l).value().data();
            double[] numericG = TestSupport.floatCentralDifference(gw, gw.length, 1e-2f, () -> TestSupport.weightedSum(r, l.forward(xt, false)));
            double errG = FiniteDifference.maxRelativeError(dg, numericG);
            assertTrue(errG < 2e-2, k + ": float ∂L/∂weight vs central differences, max relative error " + errG);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Random rnd = new Random(4004);
        for (Case k : List.of(new Case(Form.GROUP, 13, 6, 5, 7, 2, 1e-5f), new Case(Form.LAYER, 13, 3, 5, 7, 1, 1e-5f), new Case(Form.LAYER2D, 13, 5, 5, 7, 1, 1e-5f))) {
            Shape in = Shape.of(k.c(), k.h(), k.w());
            float[] x = uniform(rnd, k.batch() * in.size()), dy = uniform(rnd, x.length);
            float[] g = uniform(rnd, k.affine()), b = uniform(rnd, k.affine());
            float[][] reference = null;
            for (int threads : new int[] {1, 2, 3}) {
                try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                    Layer l = k.layer();
                    l.build(in, ex);
                    setWeights(l, g, b);
                    float[] y = l.forward(tensor(in, k.batch(), x), true).toArray();
                    float[] dx = l.backward(tensor(in, k.batch(), dy), true).toArray();
                    float[][] all = {y, dx, weightOf(l).grad().toArray(), biasOf(l).grad().toArray()};
                    if (reference == null) reference = all;
                    for (int i = 0; i < all.length; i++) assertArrayEquals(reference[i], all[i], k + ", " + threads + " threads, array " + i);
                }
            }
        }
    }

    @Test
    void weightGradientsWithoutAnInputGradient() {
        Random rnd = new Random(4005);
        for (Case k : List.of(new Case(Form.GROUP, 3, 4, 3, 3, 2, 1e-5f), new Case(Form.LAYER, 3, 2, 3, 3, 1, 1e-5f), new Case(Form.LAYER2D, 3, 4, 3, 3, 1, 1e-5f))) {
            Shape in = Shape.of(k.c(), k.h(), k.w());
            Layer l = k.layer();
            l.build(in);
            float[] x = uniform(rnd, k.batch() * in.size()), dy = uniform(rnd, x.length);
            l.forward(tensor(in, k.batch(), x), true);
            l.backward(tensor(in, k.batch(), dy), true);
            float[] dg = weightOf(l).grad().toArray(), db = biasOf(l).grad().toArray();
            l.forward(tensor(in, k.batch(), x), true);
            assertEquals(null, l.backward(tensor(in, k.batch(), dy), false));
            assertArrayEquals(dg, weightOf(l).grad().toArray(), k + " δγ");
            assertArrayEquals(db, biasOf(l).grad().toArray(), k + " δβ");
        }
    }

    @Test
    void specsRoundTripAndBadSettingsAreNamed() {
        for (String spec : new String[] {"layernorm2d", "layernorm2d eps=1.0E-6", "layernorm", "layernorm eps=0.001", "groupnorm groups=4",
                "groupnorm groups=1 eps=1.0E-6"}) {
            assertEquals(spec, LayerSpec.parse(spec).spec());
            assertEquals(spec, LayerSpec.parse(spec).copy().spec());
        }
        assertEquals("layernorm2d", LayerSpec.parse("layernorm2d eps=1e-5").spec());
        for (String bad : new String[] {"groupnorm", "groupnorm groups=0", "groupnorm groups=x", "layernorm eps=0", "layernorm2d eps=-1",
                "layernorm2d eps=nan", "layernorm2d groups=2", "layernorm shape=1,2", "layernorm shape=0,2,2", "groupnorm groups=2 channels=-1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("groups") || e.getMessage().contains("eps") || e.getMessage().contains("shape")
                    || e.getMessage().contains("channels"), bad + ": " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("groupnorm groups=4").build(Shape.of(6, 3, 3)));
        assertTrue(e.getMessage().contains("4 groups do not divide") && e.getMessage().contains("6 channels"), e.getMessage());
        assertEquals("GroupNorm(3, 6)", built("groupnorm groups=3", Shape.of(6, 2, 2)).describe());
        // a built layer's spec names its shape, as PyTorch's constructors need it (and a model file keeps it)
        assertEquals("groupnorm groups=3 channels=6", built("groupnorm groups=3", Shape.of(6, 2, 2)).spec());
        assertEquals("layernorm shape=6,2,3 eps=0.001", built("layernorm eps=1e-3", Shape.of(6, 2, 3)).spec());
        assertEquals("layernorm2d channels=6 eps=1.0E-6", built("layernorm2d eps=1e-6", Shape.of(6, 2, 3)).spec());
        for (String spec : new String[] {"groupnorm groups=3 channels=6", "layernorm shape=6,2,3", "layernorm2d channels=6"}) {
            assertEquals(spec, built(spec, Shape.of(6, 2, 3)).spec());
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> built(spec, Shape.of(6, 3, 3).dim(0) == 6 && spec.contains("shape")
                    ? Shape.of(6, 3, 3) : Shape.of(9, 2, 3)), spec);
            assertTrue(wrong.getMessage().contains("expects") && wrong.getMessage().contains("but got input"), wrong.getMessage());
        }
        assertEquals("LayerNorm(6, 2, 3)", built("layernorm", Shape.of(6, 2, 3)).describe());
        assertEquals("LayerNorm2d(6, eps 1.0E-6)", built("layernorm2d eps=1e-6", Shape.of(6, 2, 3)).describe());
    }

    private static Layer built(String spec, Shape in) {
        Layer l = LayerSpec.parse(spec);
        l.build(in);
        return l;
    }

    /** PyTorch's tensor names and shapes: weight and bias [C] (group norm, LayerNorm2d) or [C, H, W] (layer norm). */
    @Test
    void weightsAreNamedAsPyTorchNamesThem() {
        Sequential m = new Sequential(Shape.of(4, 3, 5), ParallelExecutor.SEQUENTIAL, List.<Layer>of(GroupNorm.groupNorm(2, 1e-5f),
                GroupNorm.layerNorm(1e-5f), new LayerNorm2d(1e-6f), new Flatten(), new Dense(3)));
        java.util.Map<String, Shape> shapes = new java.util.LinkedHashMap<>();
        for (var e : m.weights().byName().entrySet()) shapes.put(e.getKey(), e.getValue().shape());
        assertEquals(Shape.of(4), shapes.get("0.weight"));
        assertEquals(Shape.of(4), shapes.get("0.bias"));
        assertEquals(Shape.of(4, 3, 5), shapes.get("1.weight"));
        assertEquals(Shape.of(4, 3, 5), shapes.get("1.bias"));
        assertEquals(Shape.of(4), shapes.get("2.weight"));
        assertEquals(Shape.of(4), shapes.get("2.bias"));
    }
}
