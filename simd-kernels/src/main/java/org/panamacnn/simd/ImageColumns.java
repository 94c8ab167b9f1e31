package org.panamacnn.simd;

/**
 * The column matrix of a group of images for a stride-1 "same" convolution (odd kernel k, padding
 * (k − 1)/2), as a GEMM operand that is never written out: {@link Gemm#gemm(int, float, float[], int,
 * int, ImageColumns, float, float[], int, int, GemmEpilogue, GemmWorkspace, TaskRunner)} packs its
 * panels straight from the images. Row (c, u, v), column (n, i, j) holds
 * x[n, c, i + u − pad, j + v − pad] (zero off the image), the layout {@link Im2Col} writes with the
 * images side by side; so packing from here gives the GEMM exactly the values im2col would, without
 * the column matrix's write and read (k² times the images' size).
 *
 * <p>Image n's channel c plane starts at offset + n·imageStride + c·channelStride: [n][c][h·w] is
 * imageStride = c·h·w, channelStride = h·w; a group matrix [c][n·h·w] is imageStride = h·w,
 * channelStride = n·h·w. A mutable descriptor, set before each product and reused, so a product
 * allocates nothing; only read while packing, so tasks on several threads may share one.
 */
public final class ImageColumns extends ColumnSource {
    float[] x;
    int offset, imageStride, channelStride, images, channels, h, w, k, pad, plane;

    /** Whether a convolution with this kernel, stride and padding has image columns: stride 1, odd k, padding (k − 1)/2. */
    public static boolean supports(int kernel, int stride, int padding) {
        return stride == 1 && kernel % 2 == 1 && 2 * padding == kernel - 1;
    }

    /**
     * Describes the columns of images 0 .. images−1 of channels × h × w planes laid out as above,
     * for a k×k kernel with padding (k − 1)/2. Throws when the kernel is not one {@link #supports}
     * or a plane falls outside x.
     */
    public ImageColumns set(float[] x, int offset, int imageStride, int channelStride, int images, int channels,
                            int h, int w, int k) {
        Checks.positive("images", images);
        Checks.positive("channels", channels);
        Checks.positive("h", h);
        Checks.positive("w", w);
        if (!supports(k, 1, (k - 1) / 2)) throw new IllegalArgumentException("image columns need an odd kernel, got " + k);
        Checks.nonNegative("imageStride", imageStride);
        Checks.nonNegative("channelStride", channelStride);
        long last = offset + (long) (images - 1) * imageStride + (long) (channels - 1) * channelStride;
        if (x == null) throw new NullPointerException("x is null");
        if (offset < 0 || last + (long) h * w > x.length) {
            throw new IndexOutOfBoundsException("images [" + offset + ", " + (last + (long) h * w) + ") outside x of length " + x.length);
        }
        this.x = x;
        this.offset = offset;
        this.imageStride = imageStride;
        this.channelStride = channelStride;
        this.images = images;
        this.channels = channels;
        this.h = h;
        this.w = w;
        this.k = k;
        this.pad = (k - 1) / 2;
        this.plane = h * w;
        return this;
    }

    /** Rows of the matrix: channels·k². */
    @Override
    public int rows() {
        return channels * k * k;
    }

    /** Columns of the matrix: images·h·w. */
    @Override
    public int columns() {
        return images * plane;
    }

    /** Element (row, col): x[n, c, i + u − pad, j + v − pad] or zero off the image. */
    @Override
    float value(int row, int col) {
        int kk = k * k, ch = row / kk, uv = row - ch * kk;
        int n = col / plane, q = col - n * plane;
        int i = q / w + uv / k - pad, j = q % w + uv % k - pad;
        if (i < 0 || i >= h || j < 0 || j >= w) return 0f;
        return x[offset + n * imageStride + ch * channelStride + i * w + j];
    }

    @Override
    void pack(int pc, int jc, int kc, int nc, int nr, float[] pb, int pbOff, GemmWorkspace ws) {
        VectorImageColumns.pack(this, pc, jc, kc, nc, nr, pb, pbOff, ws.laneRow, ws.laneCol);
    }

    /** Drops the reference to the images. */
    @Override
    void clear() {
        x = null;
    }
}
