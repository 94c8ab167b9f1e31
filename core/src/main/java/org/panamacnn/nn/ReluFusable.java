package org.panamacnn.nn;

/**
 * A layer that can apply ReLU to its own output as it stores it (in the GEMM epilogue, the
 * normalisation's pass, a residual block's sum), so a following {@link ReLU} needs no pass of its
 * own. {@link Fusion} fuses such pairs.
 */
public interface ReluFusable {
    /** From now on the layer's output is max(output, 0). */
    void fuseRelu();

    /**
     * Whether, once fused, the layer also masks the gradient it receives with 1[output > 0] itself,
     * so the ReLU's backward passes the gradient on untouched; otherwise the ReLU (or a max-pool
     * after it) applies the mask.
     */
    default boolean masksOwnGradient() {
        return false;
    }
}
