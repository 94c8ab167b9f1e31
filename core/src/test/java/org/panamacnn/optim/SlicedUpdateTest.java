package org.panamacnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.Param;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** An optimizer step split over threads gives the same bits as on one thread. */
class SlicedUpdateTest {
    /** A parameter big enough for several slices, one odd-sized below the slice size, and a bias. */
    private static List<Param> params(long seed) {
        List<Param> ps = List.of(new Param("big", Shape.of(3 * SlicedUpdate.MIN_SLICE + 17)),
                new Param("odd", Shape.of(1001)), new Param("bias", Shape.of(7)));
        SplittableRandom r = new SplittableRandom(seed);
        for (Param p : ps) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data()[i] = (float) r.nextGaussian();
                p.grad().data()[i] = (float) r.nextGaussian();
            }
        }
        return ps;
    }

    private static void sameBitsOnAnyThreadCount(Supplier<Optimizer> make) {
        List<Param> one = params(3), split = params(3);
        Optimizer a = make.get(), b = make.get();
        try (ParallelExecutor executor = new ParallelExecutor(3)) {
            for (int step = 0; step < 3; step++) {
                a.step(one);
                b.step(split, executor);
            }
        }
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i).value().data(), split.get(i).value().data(), one.get(i).name());
            for (var slot : a.slots(one.get(i)).entrySet()) {
                assertArrayEquals(slot.getValue(), b.slots(split.get(i)).get(slot.getKey()), one.get(i).name() + " " + slot.getKey());
            }
        }
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecay() {
        sameBitsOnAnyThreadCount(() -> new Sgd(0.05f, 0.9f, 1e-3f, true));
    }

    @Test
    void plainSgd() {
        sameBitsOnAnyThreadCount(() -> new Sgd(0.05f));
    }

    @Test
    void adamWithWeightDecay() {
        sameBitsOnAnyThreadCount(() -> new Adam(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f));
    }
}
