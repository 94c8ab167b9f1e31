package org.panamacnn.infer;

/**
 * Which algorithm the inference planner gives a convolution. Winograd F(2×2, 3×3)
 * ({@link WinogradConvOp}) does 2.25× fewer multiply-adds than the direct implicit GEMM
 * ({@link ConvOp}) for 3×3 stride-1 layers, at the price of input and output transforms that
 * cost about as much per tile as 4·cin multiply-adds, and its 16 tile products reduce over cin
 * only (short loops where the direct kernel's run over 9·cin): so it needs enough input
 * channels, an even output (whole 2×2 tiles), and, to fuse a following max-pool, a 2×2 one.
 * The channel threshold is where ConvAlgorithmBenchmark (cin → 64 on 14×14, one image) found
 * Winograd ahead of the direct kernel; the figures and commands are in docs/results (Winograd).
 * {@link org.panamacnn.nn.EngineOptions#winograd()} turns it off (for comparisons).
 */
final class ConvAlgorithm {
    /** Fewest input channels for which Winograd beats the direct kernel (measured, see docs/results). */
    static final int WINOGRAD_MIN_CHANNELS = 32;

    private ConvAlgorithm() {}

    /**
     * pool: the window of a non-overlapping max-pool fused after the convolution, 0 for none;
     * cs: the input buffer's floats per pixel (Winograd reads whole vectors of channels).
     */
    static boolean useWinograd(int kernel, int stride, int oh, int ow, int cin, int cs, int pool) {
        return kernel == 3 && stride == 1 && oh % 2 == 0 && ow % 2 == 0 && cin >= WINOGRAD_MIN_CHANNELS
                && cs >= org.panamacnn.simd.Winograd.tileChannels(cin) && (pool == 0 || pool == 2);
    }
}
