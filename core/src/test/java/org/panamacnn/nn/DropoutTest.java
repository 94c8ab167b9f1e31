package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.uniform;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** {@link Dropout}: the drop rate, the 1/(1 − p) scale, the same mask in backward, identity in evaluation, seeding. */
class DropoutTest {
    private static final Shape SHAPE = Shape.of(4, 9, 7);

    @Test
    void dropsAboutPAndScalesTheRestAndBackwardUsesTheSameMask() {
        Dropout d = new Dropout(0.3f);
        d.build(SHAPE);
        d.initialize(new SplittableRandom(1));
        int batch = 50, n = batch * SHAPE.size();
        float[] x = uniform(new Random(2), n);
        for (int i = 0; i < n; i++) if (x[i] == 0f) x[i] = 0.5f;
        Tensor y = d.forward(tensor(SHAPE, batch, x), true);
        float[] dy = uniform(new Random(3), n);
        Tensor dx = d.backward(tensor(SHAPE, batch, dy), true);
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            if (y.get(i) == 0f) {
                dropped++;
                assertEquals(0f, dx.get(i), 0f); // ±0, as PyTorch
            } else {
                assertEquals(x[i] * (1f / 0.7f), y.get(i), 0f);
                assertEquals(dy[i] * (1f / 0.7f), dx.get(i), 0f);
            }
        }
        double rate = (double) dropped / n; // 12,600 draws: 0.3 ± 4 standard deviations (0.004)
        assertTrue(Math.abs(rate - 0.3) < 0.017, "drop rate " + rate);
    }

    @Test
    void isTheIdentityInEvaluationAndSeeded() {
        Dropout a = new Dropout(0.5f), b = new Dropout(0.5f);
        a.build(SHAPE);
        b.build(SHAPE);
        a.initialize(new SplittableRandom(7));
        b.initialize(new SplittableRandom(7));
        Tensor x = tensor(SHAPE, 3, uniform(new Random(4), 3 * SHAPE.size()));
        assertSame(x, a.forward(x, false));
        assertArrayEquals(a.forward(x, true).toArray(), b.forward(x, true).toArray());
        assertEquals("dropout p=0.5", a.spec());
        assertEquals(0.5f, ((Dropout) LayerSpec.parse(a.spec())).probability());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
    }
}
