package org.panamacnn.simd;

/**
 * The window of a general 2-D convolution: kernel kh×kw, stride sh×sw, dilation dh×dw and zero
 * padding top, left, bottom, right (ONNX's pads order is [top, left, bottom, right]). Output
 * pixel (i, j) reads input pixels (i·sh + u·dh − top, j·sw + v·dw − left) for taps (u, v).
 */
public record ConvGeometry(int kh, int kw, int sh, int sw, int dh, int dw, int top, int left, int bottom, int right) {
    /** Largest kernel, stride, dilation or padding accepted: far beyond any real network, small enough for int arithmetic. */
    public static final int MAX = 4096;

    public ConvGeometry {
        int[] positive = {kh, kw, sh, sw, dh, dw};
        String[] names = {"kernel height", "kernel width", "stride height", "stride width", "dilation height", "dilation width"};
        for (int i = 0; i < positive.length; i++) {
            if (positive[i] < 1 || positive[i] > MAX) throw new IllegalArgumentException(names[i] + " " + positive[i] + " is outside 1.." + MAX);
        }
        int[] pads = {top, left, bottom, right};
        String[] padNames = {"top", "left", "bottom", "right"};
        for (int i = 0; i < pads.length; i++) {
            if (pads[i] < 0 || pads[i] > MAX) throw new IllegalArgumentException("padding " + padNames[i] + " " + pads[i] + " is outside 0.." + MAX);
        }
    }

    /** A k×k window, stride s, padding p on every side, no dilation. */
    public static ConvGeometry square(int k, int s, int p) {
        return new ConvGeometry(k, k, s, s, 1, 1, p, p, p, p);
    }

    /** Output rows for an input of h rows: (h + top + bottom − ((kh − 1)·dh + 1)) / sh + 1. */
    public int outHeight(int h) {
        return outSize(h, kh, sh, dh, top, bottom, "height");
    }

    /** Output columns for an input of w columns. */
    public int outWidth(int w) {
        return outSize(w, kw, sw, dw, left, right, "width");
    }

    /** Rows the dilated kernel spans: (kh − 1)·dh + 1. */
    public int spanHeight() {
        return (kh - 1) * dh + 1;
    }

    /** Columns the dilated kernel spans: (kw − 1)·dw + 1. */
    public int spanWidth() {
        return (kw - 1) * dw + 1;
    }

    /** The widest of the four paddings (the zero border an NHWC input needs). */
    public int maxPadding() {
        return Math.max(Math.max(top, bottom), Math.max(left, right));
    }

    /** Whether this is a k×k window with one stride, one padding on every side and no dilation. */
    public boolean isSquare() {
        return kh == kw && sh == sw && dh == 1 && dw == 1 && top == left && top == bottom && top == right;
    }

    private static int outSize(int in, int k, int s, int d, int before, int after, String axis) {
        Checks.positive("input " + axis, in);
        long span = (long) in + before + after - ((long) (k - 1) * d + 1);
        if (span < 0) {
            throw new IllegalArgumentException("a kernel spanning " + ((long) (k - 1) * d + 1) + " does not fit input " + axis + " " + in
                    + " with padding " + before + " + " + after);
        }
        return (int) (span / s + 1);
    }

    @Override
    public String toString() {
        return kh + "×" + kw + ", stride " + sh + "×" + sw + ", dilation " + dh + "×" + dw + ", pad " + top + "," + left + "," + bottom + "," + right;
    }
}
