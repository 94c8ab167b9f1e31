package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.dot;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleChannelArithmetic;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** The constant affine map and division ({@link ChannelAffine}, {@link ChannelDivide}): scalar and per-channel, against the oracle. */
class ChannelArithmeticTest {
    private static double[] d(float[] v) {
        return toDouble(v);
    }

    @Test
    void matchOracleOnOddShapes() {
        Random rnd = new Random(2111);
        try (ParallelExecutor ex = new ParallelExecutor(3)) {
            for (int[] dims : new int[][] {{3, 7, 5}, {1, 1, 1}, {5, 3, 11}, {37}}) {
                Shape in = Shape.of(dims);
                int c = dims[0], inner = in.size() / c, batch = 1 + rnd.nextInt(11);
                boolean image = dims.length == 3;
                float[] scale = image ? uniform(rnd, c) : new float[] {-1.75f}, shift = image ? uniform(rnd, c) : new float[] {0.5f};
                float[] by = image ? uniform(rnd, c) : new float[] {0.3f};
                for (int i = 0; i < by.length; i++) by[i] += by[i] < 0 ? -0.5f : 0.5f;
                int channels = image ? c : 1, per = image ? inner : in.size();
                float[] x = uniform(rnd, batch * in.size()), g = uniform(rnd, x.length);
                ChannelAffine affine = new ChannelAffine(scale, shift);
                affine.build(in, ex);
                Tensor y = affine.forward(tensor(in, batch, x), true);
                assertClose("affine " + in + " forward", OracleChannelArithmetic.affine(d(x), channels, per, d(scale), d(shift)), y, 1e-6);
                Tensor dx = affine.backward(tensor(in, batch, g), true);
                assertClose("affine " + in + " ∂L/∂x", OracleChannelArithmetic.affineBackward(d(g), channels, per, d(scale)), dx, 1e-6);
                ChannelDivide divide = new ChannelDivide(by);
                divide.build(in, ex);
                y = divide.forward(tensor(in, batch, x), true);
                assertClose("divide " + in + " forward", OracleChannelArithmetic.divide(d(x), channels, per, d(by)), y, 1e-6);
                dx = divide.backward(tensor(in, batch, g), true);
                assertClose("divide " + in + " ∂L/∂x", OracleChannelArithmetic.divideBackward(d(g), channels, per, d(by)), dx, 1e-6);
            }
        }
    }

    /** x + c, x − c, c − x and x·c are one rounding of the exact value: the affine map gives float arithmetic's own bits. */
    @Test
    void oneOperationIsExactlyFloatArithmetic() {
        Random rnd = new Random(2112);
        Shape in = Shape.of(2, 3, 3);
        float[] x = uniform(rnd, in.size()), c = {0.1f, -3.3f};
        float[][] expected = new float[4][x.length];
        for (int i = 0; i < x.length; i++) {
            float k = c[i / 9];
            expected[0][i] = x[i] + k;
            expected[1][i] = x[i] - k;
            expected[2][i] = k - x[i];
            expected[3][i] = x[i] * k;
        }
        float[] minus = {-0.1f, 3.3f};
        ChannelAffine[] ops = {new ChannelAffine(new float[] {1f}, c), new ChannelAffine(new float[] {1f}, minus),
            new ChannelAffine(new float[] {-1f}, c), new ChannelAffine(c, new float[] {0f})};
        for (int k = 0; k < ops.length; k++) {
            ops[k].build(in);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected[k], ops[k].forward(tensor(in, 1, x.clone()), false).data(), ops[k].spec());
        }
    }

    @Test
    void oracleGradientsMatchFiniteDifferences() {
        Random rnd = new Random(2113);
        double[] x = d(uniform(rnd, 2 * 3 * 4)), r = d(uniform(rnd, x.length)), a = {0.5, -2, 3}, b = {1, 0, -1}, by = {0.7, -1.3, 2};
        assertFiniteDifference("affine", OracleChannelArithmetic.affineBackward(r, 3, 4, a),
                xs -> dot(r, OracleChannelArithmetic.affine(xs, 3, 4, a, b)), x, 1e-6, 1e-6);
        assertFiniteDifference("divide", OracleChannelArithmetic.divideBackward(r, 3, 4, by),
                xs -> dot(r, OracleChannelArithmetic.divide(xs, 3, 4, by)), x, 1e-6, 1e-6);
    }

    @Test
    void specsRoundTripAndBadConstantsAreRefused() {
        for (String spec : new String[] {"affine scale=0.5 shift=-1.25", "affine scale=1.0 shift=0.1,0.2,0.3", "divide by=0.229,0.224,0.225",
                "divide by=255.0"}) {
            assertEquals(spec, LayerSpec.parse(spec).spec());
        }
        assertEquals("affine scale=2.0 shift=0.0", LayerSpec.parse("affine scale=2").spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChannelDivide(new float[] {1f, 2f}).build(Shape.of(3, 4, 4)));
        TestSupport.assertMessageNames(e, "2 per-channel constants", "[3, 4, 4]");
        assertThrows(IllegalArgumentException.class, () -> new ChannelDivide(new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("divide by=1,x"));
    }
}
