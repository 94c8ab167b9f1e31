package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;

/**
 * Cross-lane reductions with a fixed order. {@code reduceLanes(ADD)} adds lanes in a tree when
 * C2 compiles it but left to right in the interpreter and C1, so the same call could give two
 * different sums in one run, depending on which code ran — and results would vary with thread
 * timing. Summing lane by lane, left to right, gives the same bits in every mode.
 */
final class VectorLanes {
    private VectorLanes() {}

    static float sum(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
