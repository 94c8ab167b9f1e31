package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.assertFiniteDifference;
import static org.panamacnn.nn.TestSupport.assertMessageNames;
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
import org.panamacnn.oracle.OracleResize;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Nearest and bilinear (both align_corners) upsampling against the scalar oracle and finite differences. */
class Upsample2dTest {
    record Case(int batch, int c, int h, int w, int sh, int sw, Upsample2d.Mode mode, boolean align) {
        @Override
        public String toString() {
            return "Upsample2d(×" + sh + "×" + sw + ", " + mode + (align ? ", align corners" : "") + ") on [" + batch + ", " + c + ", " + h + ", " + w + "]";
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Random rnd = new Random(4201);
        for (Upsample2d.Mode mode : Upsample2d.Mode.values()) {
            for (boolean align : mode == Upsample2d.Mode.NEAREST ? new boolean[] {false} : new boolean[] {false, true}) {
                cases.add(new Case(2, 3, 1, 1, 2, 2, mode, align));
                cases.add(new Case(3, 2, 4, 4, 1, 1, mode, align));
                for (int i = 0; i < 5; i++) {
                    cases.add(new Case(1 + rnd.nextInt(11), 1 + rnd.nextInt(4), 1 + rnd.nextInt(9), 1 + rnd.nextInt(13), 1 + rnd.nextInt(4),
                            1 + rnd.nextInt(4), mode, align));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOracle(Case c) {
        Random rnd = new Random(c.toString().hashCode());
        Upsample2d up = new Upsample2d(c.sh(), c.sw(), c.mode(), c.align());
        Shape in = Shape.of(c.c(), c.h(), c.w());
        Shape out = up.build(in, ParallelExecutor.SEQUENTIAL);
        int oh = c.h() * c.sh(), ow = c.w() * c.sw();
        boolean bilinear = c.mode() == Upsample2d.Mode.BILINEAR;
        assertEquals(Shape.of(c.c(), oh, ow), out, c + ": output shape");
        float[] x = uniform(rnd, c.batch() * in.size());
        Tensor y = up.forward(tensor(in, c.batch(), x), true);
        assertClose(c + ": forward", OracleResize.forward(toDouble(x), c.batch() * c.c(), c.h(), c.w(), oh, ow, bilinear, c.align()), y, 2e-6);
        float[] g = uniform(rnd, c.batch() * out.size());
        Tensor dx = up.backward(tensor(out, c.batch(), g), true);
        assertClose(c + ": ∂L/∂input", OracleResize.backward(toDouble(g), c.batch() * c.c(), c.h(), c.w(), oh, ow, bilinear, c.align()), dx, 2e-5);
    }

    @Test
    void oracleGradientsMatchFiniteDifferences() {
        Random rnd = new Random(4202);
        int planes = 3, h = 3, w = 5, oh = 9, ow = 10;
        for (boolean[] m : new boolean[][] {{false, false}, {true, false}, {true, true}}) {
            double[] x = toDouble(uniform(rnd, planes * h * w)), r = toDouble(uniform(rnd, planes * oh * ow));
            assertFiniteDifference("oracle resize ∂L/∂input, bilinear " + m[0] + ", align corners " + m[1],
                    OracleResize.backward(r, planes, h, w, oh, ow, m[0], m[1]),
                    xs -> dot(r, OracleResize.forward(xs, planes, h, w, oh, ow, m[0], m[1])), x, 1e-6, 1e-6);
        }
    }

    @Test
    void nearestRepeatsEachPixelExactly() {
        Upsample2d up = Upsample2d.nearest(2);
        up.build(Shape.of(1, 2, 2));
        float[] y = up.forward(tensor(Shape.of(1, 2, 2), 1, new float[] {1, 2, 3, Float.POSITIVE_INFINITY}), false).data();
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
                3, 3, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, y);
    }

    @Test
    void sameBitsAtAnyThreadCount() {
        float[] first = null, firstY = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Random rnd = new Random(4203);
                Upsample2d up = Upsample2d.bilinear(3, false);
                Shape in = Shape.of(5, 7, 6);
                Shape out = up.build(in, ex);
                float[] y = up.forward(tensor(in, 13, uniform(rnd, 13 * in.size())), true).data().clone();
                float[] dx = up.backward(tensor(out, 13, uniform(rnd, 13 * out.size())), true).data().clone();
                if (first == null) {
                    first = dx;
                    firstY = y;
                } else {
                    assertArrayEquals(firstY, y, threads + " threads: output");
                    assertArrayEquals(first, dx, threads + " threads: ∂L/∂input");
                }
            }
        }
    }

    @Test
    void specsRoundTripAndBadSettingsAreNamed() {
        for (String spec : new String[] {"upsample scale=2", "upsample scale=2,3 mode=bilinear", "upsample scale=4 mode=bilinear align_corners=true"}) {
            assertEquals(spec, LayerSpec.parse(spec).spec());
        }
        assertEquals("upsample scale=2", LayerSpec.parse("upsample scale=2 mode=nearest align_corners=false").spec());
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("upsample scale=2 mode=bicubic")), "mode=bicubic");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("upsample scale=0")), "scale 0");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("upsample scale=2 align_corners=true")), "align_corners");
        assertMessageNames(assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("upsample mode=bilinear")), "scale=");
    }
}
