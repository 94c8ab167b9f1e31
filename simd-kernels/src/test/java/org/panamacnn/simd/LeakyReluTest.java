package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.raggedSizes;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleRelu;

/** {@link LeakyRelu} against {@link OracleRelu}'s leaky forms: one float multiply each, so equal to the double result rounded once. */
class LeakyReluTest {
    private static final float[] SLOPES = {0.01f, 0.2f, 0f, 1f};

    @Test
    void forwardEqualsOracle() {
        Random rnd = new Random(3L);
        for (int n : raggedSizes()) {
            for (float slope : SLOPES) {
                int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
                float[] x = guarded(rnd, xOff, n), y = guarded(rnd, yOff, n);
                if (n > 0) x[xOff] = -0f;
                float[] yBefore = y.clone();
                LeakyRelu.forward(n, slope, x, xOff, y, yOff);
                double[] e = OracleRelu.leakyForward(toDouble(x, xOff, n), slope);
                for (int i = 0; i < n; i++) assertEquals((float) e[i], y[yOff + i], 0f, "n=" + n + " slope " + slope + " at " + i);
                for (int i = 0; i < y.length; i++) if (i < yOff || i >= yOff + n) assertEquals(yBefore[i], y[i], "guard " + i);
                LeakyRelu.forward(n, slope, x, xOff, x, xOff); // in place
                for (int i = 0; i < n; i++) assertEquals(y[yOff + i], x[xOff + i], 0f);
            }
        }
    }

    @Test
    void backwardEqualsOracle() {
        Random rnd = new Random(4L);
        for (int n : raggedSizes()) {
            for (float slope : SLOPES) {
                int dyOff = randomOffset(rnd), xOff = randomOffset(rnd), dxOff = randomOffset(rnd);
                float[] dy = guarded(rnd, dyOff, n), x = guarded(rnd, xOff, n), dx = guarded(rnd, dxOff, n);
                LeakyRelu.backward(n, slope, dy, dyOff, x, xOff, dx, dxOff);
                double[] e = OracleRelu.leakyBackward(toDouble(dy, dyOff, n), toDouble(x, xOff, n), slope);
                for (int i = 0; i < n; i++) assertEquals((float) e[i], dx[dxOff + i], 0f, "n=" + n + " slope " + slope + " at " + i);
            }
        }
    }
}
