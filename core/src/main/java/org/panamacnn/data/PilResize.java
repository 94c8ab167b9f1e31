package org.panamacnn.data;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} on 8-bit planes, arithmetic included, which is what
 * torchvision's {@code Resize} and {@code RandomResizedCrop} run on PIL images. Downscaling is
 * antialiased: the triangle filter is stretched by the scale, so every source pixel counts (a
 * 4000×3000 photo scaled to 256 averages ~15×15 pixels per output pixel instead of sampling 2×2).
 * Horizontal pass first, rounded to bytes, then the vertical pass; weights in fixed point with 22
 * fractional bits, as Pillow's {@code ImagingResample} does.
 */
final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** Per output pixel: the first source pixel, how many follow, and their fixed-point weights. */
    record Coefficients(int[] first, int[] count, int[] weights, int kernelSize) {}

    private PilResize() {}

    /**
     * Source pixels and weights for scaling inSize pixels to outSize (Pillow's precompute_coeffs with
     * the bilinear filter, support 1): output pixel x is centred at (x + ½)·scale, the filter
     * reaches max(scale, 1) source pixels either side, weights are normalised to sum 1.
     */
    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize, filterScale = Math.max(scale, 1), support = filterScale;
        int kernel = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize], count = new int[outSize], weights = new int[outSize * kernel];
        double[] k = new double[kernel];
        for (int x = 0; x < outSize; x++) {
            double centre = (x + 0.5) * scale;
            int min = Math.max(0, (int) (centre - support + 0.5));  // (int) truncates as C does
            int max = Math.min(inSize, (int) (centre + support + 0.5)) - min;
            double sum = 0;
            for (int i = 0; i < max; i++) {
                double t = Math.abs((i + min - centre + 0.5) / filterScale);
                k[i] = t < 1 ? 1 - t : 0;
                sum += k[i];
            }
            for (int i = 0; i < max; i++) {
                double w = sum != 0 ? k[i] / sum : k[i];
                weights[x * kernel + i] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
            }
            first[x] = min;
            count[x] = max;
        }
        return new Coefficients(first, count, weights, kernel);
    }

    /**
     * Scales one plane src (srcW×srcH bytes at srcAt, row stride srcW) to outW×outH and writes the
     * window [wx, wx + dstW) × [wy, wy + dstH) of the result to dst at dstAt (row stride dstW),
     * mirrored left to right when mirror is set. Only the rows and columns the window needs are computed.
     */
    static void resize(byte[] src, int srcAt, int srcW, int srcH, int outW, int outH,
                       int wx, int wy, int dstW, int dstH, boolean mirror, byte[] dst, int dstAt) {
        Coefficients h = coefficients(srcW, outW), v = coefficients(srcH, outH);
        int rowFirst = v.first()[wy], rowLast = v.first()[wy + dstH - 1] + v.count()[wy + dstH - 1];
        // horizontal pass over the source rows the window uses, into bytes as Pillow does
        int rows = rowLast - rowFirst;
        byte[] temp = new byte[rows * dstW];
        for (int r = 0; r < rows; r++) {
            int rowAt = srcAt + (rowFirst + r) * srcW;
            for (int x = 0; x < dstW; x++) {
                int ox = wx + x, ss = 1 << (PRECISION_BITS - 1), at = ox * h.kernelSize();
                for (int i = 0, f = h.first()[ox]; i < h.count()[ox]; i++) ss += (src[rowAt + f + i] & 0xFF) * h.weights()[at + i];
                temp[r * dstW + x] = clip8(ss);
            }
        }
        for (int y = 0; y < dstH; y++) {
            int oy = wy + y, at = oy * v.kernelSize(), f = v.first()[oy] - rowFirst;
            for (int x = 0; x < dstW; x++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < v.count()[oy]; i++) ss += (temp[(f + i) * dstW + x] & 0xFF) * v.weights()[at + i];
                dst[dstAt + y * dstW + (mirror ? dstW - 1 - x : x)] = clip8(ss);
            }
        }
    }

    private static byte clip8(int ss) {
        return (byte) Math.clamp(ss >> PRECISION_BITS, 0, 255);
    }
}
