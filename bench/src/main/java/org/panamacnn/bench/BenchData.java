package org.panamacnn.bench;

import java.util.SplittableRandom;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Seeded random inputs for the benchmarks. */
final class BenchData {
    private BenchData() {}

    static Tensor gaussian(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = new Tensor(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) random.nextGaussian();
        return t;
    }

    static int[] labels(int n, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = random.nextInt(classes);
        return y;
    }
}
