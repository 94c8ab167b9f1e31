package org.panamacnn.simd;

/**
 * Convolution over NHWC images as an implicit GEMM, for inference: for a tile of output pixels
 * and one panel of NR output channels, accumulators run over every (tap, input channel) k, each
 * step one input value per pixel times a panel row of pre-packed weights ({@link ConvWeights}),
 * read straight from the input buffer: no im2col, no packing per call. A dense layer is the 1×1
 * case. Bias and ReLU are applied on the store. Each output element is Σ_k in·w, one fused
 * multiply-add per k in increasing k, then + bias: the same bits from {@link VectorNhwcConv} and
 * {@link ScalarNhwcConv}, and for any split of the work.
 */
public final class NhwcConv {
    /** Output channels per panel: two vectors. */
    public static final int NR = 2 * KernelProvider.LANES;
    /**
     * Pixels per register tile: 8 with 512-bit vectors (AVX-512's 32 registers hold 16
     * accumulators), else 4 (AVX2's 16 registers; the plain-Java kernels ignore the tile height).
     */
    public static final int MR = KernelProvider.VECTORIZED && KernelProvider.FAMILY.vectorBits() >= 512 ? 8 : 4;

    private NhwcConv() {}

    /**
     * Computes output pixels [p0, p1) (p = i·ow + j) of image n, panel `panel`: out at
     * outMap.at(n, i, j) + outShift gets the panel's NR channels of b + Σ_{tap, ci} w·in[inMap.at(n, i, j) + tap + ci]
     * (inMap gives each output pixel's window corner, stride included). Tiles are mr pixels
     * high (1, 4 or 8; {@link #MR} is the one for this CPU). ofs is scratch of 2·mr ints.
     * Writes out and ofs.
     */
    public static void convolve(ConvWeights w, float[] in, PixelMap inMap, int n, int p0, int p1, int ow, int panel,
                                float[] out, PixelMap outMap, int outShift, int mr, int[] ofs) {
        if (KernelProvider.VECTORIZED) VectorNhwcConv.convolve(w, in, inMap, n, p0, p1, ow, panel, out, outMap, outShift, mr, ofs);
        else ScalarNhwcConv.convolve(w, in, inMap, n, p0, p1, ow, panel, out, outMap, outShift, mr);
    }

    /**
     * One image of a dense (1×1) layer over panels [panel0, panel0 + count): out[outOff + q·NR ..]
     * for each panel q. Only the non-zero inputs are visited (an exact zero term changes no sum,
     * weights being finite), so the bits equal {@link #convolve}'s. nonZero is scratch of at least
     * k ints. Writes out and nonZero.
     */
    public static void convolveOnePixel(ConvWeights w, float[] in, int inOff, int panel0, int count, float[] out, int outOff,
                                        int[] nonZero) {
        if (KernelProvider.VECTORIZED) VectorNhwcConv.convolveOnePixel(w, in, inOff, panel0, count, out, outOff, nonZero);
        else ScalarNhwcConv.convolveOnePixel(w, in, inOff, panel0, count, out, outOff, nonZero);
    }
}
