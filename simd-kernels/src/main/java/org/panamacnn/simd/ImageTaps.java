package org.panamacnn.simd;

/**
 * The B operand of a convolution's weight gradient, δW = δZ · B, read from the input images
 * without an im2col matrix: row (n, i, j) is an output pixel, column (u, v, c) = tap·channels + c
 * holds x[n, c, i·s + u − pad, j·s + v − pad] (zero off the image). So the product with δZ
 * [cout, pixels] is δW in tap-major order, [cout][u][v][c].
 *
 * <p>The images are kept <em>channel-blocked</em>, [n][c / B][h·w][B] with B = {@link #block()}
 * (the GEMM's panel width; NCHWc in oneDNN's terms), which {@link #toBlocked} makes from NCHW in
 * one pass. Then a panel row of B consecutive columns is B consecutive floats of one pixel, so
 * packing is a plain copy per pixel (or zeros where the tap falls off the image): no masks and no
 * transposes, which is what makes lowering the weight gradient's columns, or packing them
 * transposed from NCHW, slow. A mutable descriptor, set before each product and reused.
 */
public final class ImageTaps extends ColumnSource {
    float[] x;
    int offset, images, channels, h, w, k, stride, pad, oh, ow, block;

    /** The channel block: the GEMM's panel width with the Vector API, 1 (plain NCHW) in plain Java. */
    public static int block() {
        return KernelProvider.VECTORIZED ? 2 * KernelProvider.LANES : 1;
    }

    /** Whether images of this many channels can be blocked: a whole number of blocks. */
    public static boolean supports(int channels) {
        return channels > 0 && channels % block() == 0;
    }

    /**
     * dst[dstOff + ((n·C/B + cb)·plane + q)·B + b] = x[xOff + (n·C + cb·B + b)·plane + q]: images
     * 0 .. images − 1 of [channels, plane] from NCHW to the channel-blocked layout. Writes dst.
     */
    public static void toBlocked(int images, int channels, int plane, float[] x, int xOff, float[] dst, int dstOff) {
        int b = block();
        if (!supports(channels)) throw new IllegalArgumentException(channels + " channels are not a multiple of the block " + b);
        Checks.positive("images", images);
        Checks.positive("plane", plane);
        long size = (long) images * channels * plane;
        Checks.range("x", x, xOff, size);
        Checks.range("dst", dst, dstOff, size);
        if (b == 1) {
            System.arraycopy(x, xOff, dst, dstOff, (int) size);
            return;
        }
        for (int nb = 0; nb < images * channels / b; nb++) { // block nb: channels nb·b .. of the flattened [n·C] rows
            int src = xOff + nb * b * plane, base = dstOff + nb * b * plane;
            int done = VectorPanelTranspose.SUPPORTED ? VectorPanelTranspose.panel(x, src, plane, plane, dst, base) : 0;
            for (int q = done; q < plane; q++) {
                for (int j = 0; j < b; j++) dst[base + q * b + j] = x[src + j * plane + q];
            }
        }
    }

    /**
     * Describes the taps of images 0 .. images − 1 of channels × h × w, channel-blocked at offset
     * of x, for a k×k kernel of this stride and padding. Throws when the channels are not a whole
     * number of blocks, the kernel does not fit, or the images fall outside x.
     */
    public ImageTaps set(float[] x, int offset, int images, int channels, int h, int w, int k, int stride, int pad) {
        Checks.positive("images", images);
        Checks.positive("h", h);
        Checks.positive("w", w);
        Checks.positive("k", k);
        Checks.positive("stride", stride);
        Checks.nonNegative("pad", pad);
        if (!supports(channels)) throw new IllegalArgumentException(channels + " channels are not a multiple of the block " + block());
        if (h + 2 * pad < k || w + 2 * pad < k) throw new IllegalArgumentException("a " + k + "×" + k + " kernel does not fit " + h + "×" + w + " with padding " + pad);
        if (x == null) throw new NullPointerException("x is null");
        Checks.range("x", x, offset, (long) images * channels * h * w);
        this.x = x;
        this.offset = offset;
        this.images = images;
        this.channels = channels;
        this.h = h;
        this.w = w;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.oh = (h + 2 * pad - k) / stride + 1;
        this.ow = (w + 2 * pad - k) / stride + 1;
        this.block = block();
        return this;
    }

    /** Rows of the matrix: images·oh·ow output pixels. */
    @Override
    public int rows() {
        return images * oh * ow;
    }

    /** Columns of the matrix: k²·channels. */
    @Override
    public int columns() {
        return k * k * channels;
    }

    /** Where pixel (i, j) of channel block cb of image n starts in x. */
    int pixel(int n, int cb, int i, int j) {
        return offset + ((n * (channels / block) + cb) * h * w + i * w + j) * block;
    }

    @Override
    float value(int row, int col) {
        int t = col / channels, c = col - t * channels, u = t / k, v = t - u * k;
        int n = row / (oh * ow), q = row - n * oh * ow;
        int i = q / ow * stride + u - pad, j = q % ow * stride + v - pad;
        if (i < 0 || i >= h || j < 0 || j >= w) return 0f;
        return x[pixel(n, c / block, i, j) + c % block];
    }

    @Override
    void pack(int pc, int jc, int kc, int nc, int nr, float[] pb, int pbOff, GemmWorkspace ws) {
        VectorImageTaps.pack(this, pc, jc, kc, nc, nr, pb, pbOff);
    }

    @Override
    void clear() {
        x = null;
    }
}
