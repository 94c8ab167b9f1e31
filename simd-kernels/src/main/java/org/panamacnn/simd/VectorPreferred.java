package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;

/** The preferred float species' width, asked by {@link KernelProvider} only when the Vector API is loaded. */
final class VectorPreferred {
    private VectorPreferred() {}

    static int bits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
