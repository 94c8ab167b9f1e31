package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Normalize} against double loops (sums) and exact fused multiply-adds (affine maps), on ragged sizes. */
class NormalizeTest {
    @Test
    void sumsAndAffineMapsMatchDirectLoops() {
        Random rnd = new Random(41);
        for (int n : TestSupport.raggedSizes()) {
            int off = TestSupport.randomOffset(rnd);
            float[] u = TestSupport.guarded(rnd, off, n), v = TestSupport.guarded(rnd, off, n), y = new float[off + n + 1];
            float mean = 0.25f;
            double q = 0, mag = 0;
            for (int i = 0; i < n; i++) {
                double d = (double) u[off + i] - mean;
                q += d * d;
                mag += d * d;
            }
            assertEquals(q, Normalize.sumSquaredDeviations(n, u, off, mean), TestSupport.floatTol(n + 2) * mag + 1e-30, "n=" + n);
            Normalize.affine(n, 1.5f, u, off, -0.5f, y, off);
            for (int i = 0; i < n; i++) assertEquals(Math.fma(u[off + i], 1.5f, -0.5f), y[off + i], 0f);
            Normalize.affine2(n, 1.5f, u, off, -2f, v, off, 0.75f, y, off);
            for (int i = 0; i < n; i++) assertEquals(Math.fma(v[off + i], -2f, Math.fma(u[off + i], 1.5f, 0.75f)), y[off + i], 0f);
        }
    }
}
