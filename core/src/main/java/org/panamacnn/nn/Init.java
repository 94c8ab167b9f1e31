package org.panamacnn.nn;

import java.util.SplittableRandom;

/** Weight initialisation schemes. */
public final class Init {
    private Init() {}

    /** He (Kaiming) normal: N(0, 2 / fanIn), right for layers followed by ReLU. Writes w[0..n). */
    public static void heNormal(float[] w, int n, int fanIn, SplittableRandom random) {
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) w[i] = (float) (random.nextGaussian() * std);
    }
}
