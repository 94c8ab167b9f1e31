package org.panamacnn.nn;

import org.panamacnn.simd.AdaptivePool;
import org.panamacnn.tensor.Shape;

/**
 * PyTorch's AdaptiveAvgPool2d((outHeight, outWidth)): any h×w plane to a fixed size, output (i, j)
 * the mean of input rows ⌊i·h/oh⌋ .. ⌈(i+1)·h/oh⌉ and columns alike ({@link AdaptivePool}). VGG's
 * AdaptiveAvgPool2d((7, 7)) is the identity on 224×224 images (a 7×7 map), averages overlapping
 * windows on larger ones and repeats cells on smaller ones. Backward spreads δy / cell count over
 * each window.
 */
public final class AdaptiveAvgPool2d extends PlanePooling {
    /** Largest output extent accepted (a spec or file cannot ask for a huge buffer). */
    public static final int MAX_OUT = 4096;

    private final int outHeight, outWidth;

    public AdaptiveAvgPool2d(int outHeight, int outWidth) {
        if (outHeight < 1 || outWidth < 1 || outHeight > MAX_OUT || outWidth > MAX_OUT) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size " + outHeight + "×" + outWidth + " must be in 1.." + MAX_OUT);
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    @Override
    void chooseOutput(Shape input) {
        oh = outHeight;
        ow = outWidth;
    }

    @Override
    void poolPlanes(int planes, float[] x, int xAt, float[] y, int yAt) {
        AdaptivePool.averageForward(planes, h, w, oh, ow, x, xAt, y, yAt);
    }

    @Override
    void unpoolPlanes(int planes, float[] dy, int yAt, float[] dx, int xAt) {
        AdaptivePool.averageBackward(planes, h, w, oh, ow, dy, yAt, dx, xAt);
    }

    public int outHeight() {
        return outHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    @Override
    public AdaptiveAvgPool2d copy() {
        return new AdaptiveAvgPool2d(outHeight, outWidth);
    }

    @Override
    public String spec() {
        return "adaptiveavgpool2d out=" + outHeight + (outWidth != outHeight ? "," + outWidth : "");
    }

    @Override
    public String describe() {
        return "AdaptiveAvgPool2d(" + outHeight + "×" + outWidth + ")";
    }
}
