package org.panamacnn.nn;

import org.panamacnn.simd.ConvGeometry;

/**
 * A convolution's zero padding: fixed amounts on each side (ONNX's pads [top, left, bottom,
 * right]; PyTorch's padding=(ph, pw) is top = bottom = ph, left = right = pw), or "same" padding
 * worked out from the input size when the layer is built, as ONNX's auto_pad does: output
 * ⌈in / stride⌉, total padding max((out − 1)·stride + span − in, 0), the odd one at the end
 * (SAME_UPPER, which is also PyTorch's padding='same') or at the start (SAME_LOWER).
 */
public record ConvPadding(Mode mode, int top, int left, int bottom, int right) {
    public enum Mode { EXPLICIT, SAME_UPPER, SAME_LOWER }

    public ConvPadding {
        if (mode == null) throw new IllegalArgumentException("padding mode is null");
        if (top < 0 || left < 0 || bottom < 0 || right < 0 || Math.max(Math.max(top, left), Math.max(bottom, right)) > ConvGeometry.MAX) {
            throw new IllegalArgumentException("padding " + top + "," + left + "," + bottom + "," + right + " must be in 0.." + ConvGeometry.MAX);
        }
    }

    /** top, left, bottom, right. */
    public static ConvPadding of(int top, int left, int bottom, int right) {
        return new ConvPadding(Mode.EXPLICIT, top, left, bottom, right);
    }

    /** The same padding p on every side. */
    public static ConvPadding uniform(int p) {
        return of(p, p, p, p);
    }

    /** "Same" padding, the odd pixel at the end (upper) or at the start. */
    public static ConvPadding same(boolean upper) {
        return new ConvPadding(upper ? Mode.SAME_UPPER : Mode.SAME_LOWER, 0, 0, 0, 0);
    }

    /** Whether the padding is the same p on every side (and not worked out from the input). */
    public boolean isUniform() {
        return mode == Mode.EXPLICIT && top == left && top == bottom && top == right;
    }

    /** {top, left, bottom, right} for an input h×w and this kernel span and stride. */
    int[] resolve(int h, int w, int spanH, int spanW, int sh, int sw) {
        if (mode == Mode.EXPLICIT) return new int[] {top, left, bottom, right};
        int totalH = same(h, spanH, sh), totalW = same(w, spanW, sw);
        int beforeH = mode == Mode.SAME_UPPER ? totalH / 2 : totalH - totalH / 2;
        int beforeW = mode == Mode.SAME_UPPER ? totalW / 2 : totalW - totalW / 2;
        return new int[] {beforeH, beforeW, totalH - beforeH, totalW - beforeW};
    }

    private static int same(int in, int span, int stride) {
        long out = ((long) in + stride - 1) / stride;
        return (int) Math.max((out - 1) * stride + span - in, 0);
    }

    /** As a model definition writes it: "same", "same_lower", "P" or "T,L,B,R". */
    public String spec() {
        return switch (mode) {
            case SAME_UPPER -> "same";
            case SAME_LOWER -> "same_lower";
            case EXPLICIT -> isUniform() ? String.valueOf(top) : top + "," + left + "," + bottom + "," + right;
        };
    }
}
