package org.panamacnn.simd;

/**
 * The weight gradient of a stride-1 convolution with few input channels (an image's 1 or 3),
 * computed directly over a group of images, without lowering to columns:
 * dw[co, ci, u, v] = Σ_n Σ_{i,j} dz[n, co, i, j] · x[n, ci, i+u−pad, j+v−pad]. Runs
 * {@link VectorConvWeightGradient} (output rows at least a vector wide) or
 * {@link ScalarConvWeightGradient} (any width); both sum in an order fixed by the images given, not by threads.
 */
public final class ConvWeightGradient {
    private ConvWeightGradient() {}

    /** Whether {@link #compute} takes this layer: with vectors, its output rows must be at least a vector wide. */
    public static boolean supports(int w, int k, int pad) {
        return KernelProvider.VECTORIZED ? VectorConvWeightGradient.supports(w, k, pad) : w + 2 * pad - k + 1 >= 1;
    }

    /** Floats of work array {@link #compute} needs for images of cin channels h×w, k×k kernel, padding pad. */
    public static int workLength(int images, int cin, int h, int w, int k, int pad) {
        return KernelProvider.VECTORIZED ? VectorConvWeightGradient.workLength(images, cin, h, w, k, pad) : 0;
    }

    /**
     * Overwrites dw [cout, cin, k, k] with the weight gradient of the k×k, stride-1 convolution
     * with padding pad over images x [images, cin, h, w] and output gradients dz [images, cout,
     * oh, ow]. Writes the work array ({@link #workLength} floats).
     */
    public static void compute(int images, float[] x, int xOff, int cin, int h, int w, int k, int pad,
                               float[] dz, int dzOff, int cout, float[] dw, int dwOff, float[] work) {
        if (KernelProvider.VECTORIZED) VectorConvWeightGradient.compute(images, x, xOff, cin, h, w, k, pad, dz, dzOff, cout, dw, dwOff, work);
        else ScalarConvWeightGradient.compute(images, x, xOff, cin, h, w, k, pad, dz, dzOff, cout, dw, dwOff);
    }
}
