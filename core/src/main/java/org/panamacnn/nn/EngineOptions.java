package org.panamacnn.nn;

/**
 * The algorithm switches a model is planned with, fixed when its training state or inference model
 * is made (as ONNX Runtime's {@code SessionOptions} are fixed at session creation). The defaults
 * come from system properties, read here and nowhere else in core; the kernel family (vector
 * species, tile sizes) is chosen separately, once, by {@code org.panamacnn.simd.KernelProvider}.
 *
 * @param poolInConvolution conv → ReLU → max-pool as one training step, pooling each group's output
 *     while it is in cache ({@code -Dpanamacnn.poolInConvolution}, default true)
 * @param gemmWeightGradient every convolution weight gradient by GEMM, never by the direct kernel
 *     for few input channels ({@code -Dpanamacnn.gemmWeightGradient}, default false; for comparisons)
 * @param winograd Winograd F(2×2, 3×3) for the 3×3 stride-1 convolutions of an inference model
 *     where it is faster ({@code -Dpanamacnn.winograd}, default true)
 * @param imageColumns training convolutions of stride 1 with "same" padding multiply their columns
 *     packed straight from the images, and take their input gradient as a convolution of the
 *     output gradient, so no column matrix is written and no col2im runs ({@code
 *     -Dpanamacnn.imageColumns}, default true; false gives the im2col path, for comparisons)
 * @param imageTaps training convolutions whose input channels are whole blocks of the GEMM's panel
 *     width take their weight gradient from channel-blocked copies of the images ({@code
 *     org.panamacnn.simd.ImageTaps}) instead of im2col columns packed transposed ({@code
 *     -Dpanamacnn.imageTaps}, default true; false for comparisons)
 */
public record EngineOptions(boolean poolInConvolution, boolean gemmWeightGradient, boolean winograd, boolean imageColumns,
                            boolean imageTaps) {
    private static final EngineOptions DEFAULTS = new EngineOptions(
            Boolean.parseBoolean(System.getProperty("panamacnn.poolInConvolution", "true")),
            Boolean.parseBoolean(System.getProperty("panamacnn.gemmWeightGradient", "false")),
            Boolean.parseBoolean(System.getProperty("panamacnn.winograd", "true")),
            Boolean.parseBoolean(System.getProperty("panamacnn.imageColumns", "true")),
            Boolean.parseBoolean(System.getProperty("panamacnn.imageTaps", "true")));

    /** The options given by the system properties (or their defaults), read once. */
    public static EngineOptions defaults() {
        return DEFAULTS;
    }

    public EngineOptions withPoolInConvolution(boolean on) {
        return new EngineOptions(on, gemmWeightGradient, winograd, imageColumns, imageTaps);
    }

    public EngineOptions withGemmWeightGradient(boolean on) {
        return new EngineOptions(poolInConvolution, on, winograd, imageColumns, imageTaps);
    }

    public EngineOptions withWinograd(boolean on) {
        return new EngineOptions(poolInConvolution, gemmWeightGradient, on, imageColumns, imageTaps);
    }

    public EngineOptions withImageColumns(boolean on) {
        return new EngineOptions(poolInConvolution, gemmWeightGradient, winograd, on, imageTaps);
    }

    public EngineOptions withImageTaps(boolean on) {
        return new EngineOptions(poolInConvolution, gemmWeightGradient, winograd, imageColumns, on);
    }
}
