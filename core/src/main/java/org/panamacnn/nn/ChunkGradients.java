package org.panamacnn.nn;

import org.panamacnn.simd.Blas1;

/**
 * Each batch chunk's partial weight and bias gradients of a layer whose chunks run in parallel
 * ({@link Conv2d}, {@link GroupedConv2d}), and their sum in chunk order, so the gradient does not
 * depend on which thread ran which chunk or on the thread count.
 *
 * <p>The partial sums live in a {@link Pool} that every such layer of a model shares: a layer
 * uses them only inside its backward, and layers run backward one after another, so one set of
 * chunk arrays of the largest layer's size serves them all (ResNet-18: eight chunks of the
 * largest convolution instead of eight copies of every weight, 75 MB instead of 358 MB).
 */
final class ChunkGradients {
    private final int weightSize, biasSize;
    private final Pool pool;

    /** A layer's view of pool for weightSize weights and biasSize biases (reserved in the pool now). */
    ChunkGradients(int weightSize, int biasSize, Pool pool) {
        this.weightSize = weightSize;
        this.biasSize = biasSize;
        this.pool = pool;
        pool.reserve(weightSize, biasSize);
    }

    /** A layer not built yet: no chunk arrays. */
    static ChunkGradients none() {
        return new ChunkGradients(0, 0, new Pool());
    }

    /** Makes room for count chunks (allocates only when the pool grows). */
    void ensure(int count) {
        pool.ensure(count);
    }

    /** Chunk c's partial weight gradient, in its first weightSize floats: its task writes them. */
    float[] weight(int c) {
        return pool.weight[c];
    }

    /** Chunk c's partial bias gradient, in its first biasSize floats: its task writes them. */
    float[] bias(int c) {
        return pool.bias[c];
    }

    /** dw = Σ_c weight(c) and db = Σ_c bias(c) over chunks 0 .. count − 1, added in that order. Writes dw and db. */
    void sumInto(int count, float[] dw, float[] db) {
        System.arraycopy(pool.weight[0], 0, dw, 0, weightSize);
        System.arraycopy(pool.bias[0], 0, db, 0, biasSize);
        for (int c = 1; c < count; c++) {
            Blas1.add(weightSize, pool.weight[c], 0, dw, 0);
            Blas1.add(biasSize, pool.bias[c], 0, db, 0);
        }
    }

    /** db = Σ_c bias(c) over chunks 0 .. count − 1, added in that order (the weights summed elsewhere). Writes db. */
    void sumBiasInto(int count, float[] db) {
        System.arraycopy(pool.bias[0], 0, db, 0, biasSize);
        for (int c = 1; c < count; c++) Blas1.add(biasSize, pool.bias[c], 0, db, 0);
    }

    /**
     * The chunk arrays one model's layers share (one per {@link BuildContext} tree): as many chunks
     * as the largest batch split asked for, each of the largest reserved size. Not thread-safe
     * across layers: only one layer's backward may use it at a time, which the layer order gives.
     */
    static final class Pool {
        private int weightSize, biasSize;
        private float[][] weight = new float[0][], bias = new float[0][];

        synchronized void reserve(int weights, int biases) {
            weightSize = Math.max(weightSize, weights);
            biasSize = Math.max(biasSize, biases);
        }

        synchronized void ensure(int count) {
            if (weight.length >= count && (count == 0 || weight[0].length >= weightSize && bias[0].length >= biasSize)) return;
            weight = new float[Math.max(count, weight.length)][weightSize];
            bias = new float[weight.length][biasSize];
        }
    }
}
