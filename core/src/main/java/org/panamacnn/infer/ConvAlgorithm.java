package org.panamacnn.infer;

/**
 * Which algorithm the inference planner gives a convolution. Winograd F(2×2, 3×3)
 * ({@link WinogradConvOp}) does 2.25× fewer multiply-adds than the direct implicit GEMM
 * ({@link ConvOp}) for 3×3 stride-1 layers, at the price of input and output transforms that
 * cost about as much per tile as 4·cin multiply-adds: so it needs enough input channels to
 * amortise them, an even output (whole 2×2 tiles), and, to fuse a following max-pool, a 2×2
 * one. The threshold is measured (README, "Winograd"): below it the direct kernel wins.
 * {@code -Dpanamacnn.winograd=false} turns it off (for comparisons).
 */
final class ConvAlgorithm {
    /** Fewest input channels for which Winograd beats the direct kernel (measured, see the README). */
    static final int WINOGRAD_MIN_CHANNELS = 8;
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("panamacnn.winograd", "true"));

    private ConvAlgorithm() {}

    /**
     * pool: the window of a non-overlapping max-pool fused after the convolution, 0 for none;
     * cs: the input buffer's floats per pixel (Winograd reads whole vectors of channels).
     */
    static boolean useWinograd(int kernel, int stride, int oh, int ow, int cin, int cs, int pool) {
        return ENABLED && kernel == 3 && stride == 1 && oh % 2 == 0 && ow % 2 == 0 && cin >= WINOGRAD_MIN_CHANNELS
                && cs >= org.panamacnn.simd.Winograd.tileChannels(cin) && (pool == 0 || pool == 2);
    }
}
