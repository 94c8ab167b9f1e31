package org.panamacnn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * One model shared by many threads gives every thread exactly the single-threaded answers:
 * 64 threads × 100,000 calls on a small CNN (every kind of step, small enough to run the whole
 * count in seconds), and the default network with 2 intra-op threads under 64 client threads.
 */
class SharedPredictorStressTest {
    private static final int IMAGES = 32;

    private static float[][] images(Shape shape, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[IMAGES][shape.size()];
        for (float[] image : x) for (int i = 0; i < image.length; i++) image[i] = (float) rnd.nextGaussian();
        return x;
    }

    /** Each of `threads` threads makes `calls` calls, image (thread + call) mod IMAGES, and compares with the expected bits. */
    private static void hammer(Predictor p, float[][] x, float[][] expected, int threads, int calls) throws Exception {
        AtomicLong wrong = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(Thread.ofPlatform().start(() -> {
                float[] out = new float[p.classes()];
                try {
                    for (int c = 0; c < calls; c++) {
                        int i = (id + c) % IMAGES;
                        p.probabilities(x[i], out);
                        if (!java.util.Arrays.equals(out, expected[i])) wrong.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : all) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(0, wrong.get(), "answers that differ from the single-thread ones");
    }

    private static float[][] singleThreaded(Predictor p, float[][] x) {
        float[][] e = new float[IMAGES][];
        for (int i = 0; i < IMAGES; i++) e[i] = p.probabilities(x[i]);
        return e;
    }

    @Test
    void sixtyFourThreadsTimesAHundredThousandCalls() throws Exception {
        Sequential small = new Sequential(Shape.of(1, 8, 8), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                new Conv2d(4, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(10)));
        small.initialize(7);
        float[][] x = images(small.inputShape(), 1);
        try (Predictor p = new Predictor(small, 1)) {
            hammer(p, x, singleThreaded(p, x), 64, 100_000);
        }
    }

    @Test
    void defaultNetworkWithTwoIntraOpThreadsUnderSixtyFourClients() throws Exception {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(8);
        float[][] x = images(model.inputShape(), 2);
        float[][] expected;
        try (Predictor one = new Predictor(model, 1)) {
            expected = singleThreaded(one, x);
        }
        try (Predictor p = new Predictor(model, 2)) {
            hammer(p, x, expected, 64, 300);
        }
    }

    @Test
    void batchingFrontGivesTheSameBits() throws Exception {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(9);
        float[][] x = images(model.inputShape(), 3);
        try (Predictor p = new Predictor(model, 2);
             BatchingPredictor front = new BatchingPredictor(p, 16, Duration.ofMillis(1))) {
            float[][] expected = singleThreaded(p, x);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                all.add(Thread.ofPlatform().start(() -> {
                    float[] out = new float[10];
                    try {
                        for (int c = 0; c < 200; c++) {
                            int i = (id * 7 + c) % IMAGES;
                            front.probabilities(x[i], out);
                            assertArrayEquals(expected[i], out);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : all) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
        }
    }
}
