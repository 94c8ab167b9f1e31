package org.panamacnn.nn;

import org.panamacnn.simd.Blas1;

/**
 * Each batch chunk's partial weight and bias gradients of a layer whose chunks run in parallel
 * ({@link Conv2d}, {@link GroupedConv2d}), and their sum in chunk order, so the gradient does not
 * depend on which thread ran which chunk or on the thread count. Grown once to the chunk count,
 * then reused.
 */
final class ChunkGradients {
    private final int weightSize, biasSize;
    private float[][] weight = new float[0][], bias = new float[0][];

    ChunkGradients(int weightSize, int biasSize) {
        this.weightSize = weightSize;
        this.biasSize = biasSize;
    }

    /** Makes room for count chunks (allocates only when the count grows). */
    void ensure(int count) {
        if (weight.length >= count) return;
        weight = new float[count][weightSize];
        bias = new float[count][biasSize];
    }

    /** Chunk c's partial weight gradient: its task writes it. */
    float[] weight(int c) {
        return weight[c];
    }

    /** Chunk c's partial bias gradient: its task writes it. */
    float[] bias(int c) {
        return bias[c];
    }

    /** dw = Σ_c weight(c) and db = Σ_c bias(c) over chunks 0 .. count − 1, added in that order. Writes dw and db. */
    void sumInto(int count, float[] dw, float[] db) {
        System.arraycopy(weight[0], 0, dw, 0, weightSize);
        System.arraycopy(bias[0], 0, db, 0, biasSize);
        for (int c = 1; c < count; c++) {
            Blas1.add(weightSize, weight[c], 0, dw, 0);
            Blas1.add(biasSize, bias[c], 0, db, 0);
        }
    }
}
