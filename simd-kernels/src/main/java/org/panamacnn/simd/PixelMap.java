package org.panamacnn.simd;

/**
 * Where pixel (n, i, j) of an image batch starts in a float[]: base + n·perImage + i·perRow +
 * j·perColumn. Describes an NHWC buffer (channels contiguous per pixel) with any padding, a
 * strided view of one (a convolution's input sampled with a stride), or a scratch band.
 */
public record PixelMap(int perImage, int perRow, int perColumn, int base) {

    /** An NHWC buffer of images h×w with a zero border of pad pixels and channelStride floats per pixel. */
    public static PixelMap nhwc(int h, int w, int pad, int channelStride) {
        int rowLen = (w + 2 * pad) * channelStride;
        return new PixelMap((h + 2 * pad) * rowLen, rowLen, channelStride, pad * rowLen + pad * channelStride);
    }

    public int at(int n, int i, int j) {
        return base + n * perImage + i * perRow + j * perColumn;
    }
}
