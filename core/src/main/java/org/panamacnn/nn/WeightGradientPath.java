package org.panamacnn.nn;

/**
 * How {@link Conv2d} computes its weight gradient δW = δZ · colsᵀ, summed over the batch.
 */
enum WeightGradientPath {
    /** Few input channels, stride 1: {@link org.panamacnn.simd.ConvWeightGradient} per chunk, no columns. */
    DIRECT,
    /** Each group's columns lowered by im2col, then a GEMM with them transposed, per chunk. */
    COLUMNS,
    /** Each group's images channel-blocked ({@link org.panamacnn.simd.ImageTaps}), a GEMM per chunk, δW tap-major. */
    CHUNK_TAPS,
    /**
     * One GEMM over the whole batch's channel-blocked images, split by columns over the threads,
     * δW tap-major: no per-chunk partials to add (chosen per backward, see {@link #wholeBatchPays}).
     */
    BATCH_TAPS;

    /** Whether δW comes out in the taps' order [cout][u][v][cin] and must be reordered. */
    boolean tapMajor() {
        return this == CHUNK_TAPS || this == BATCH_TAPS;
    }

    /**
     * Whether one GEMM over the batch beats per-chunk partials: when the chunks' partial weights
     * (weights × chunks) would outweigh the batch's activations it must stage (input and δZ per
     * image × batch), as in a ResNet's late stages (few pixels, many weights).
     */
    static boolean wholeBatchPays(int weights, int chunks, int floatsPerImage, int batch) {
        return (long) weights * chunks > (long) floatsPerImage * batch;
    }
}
