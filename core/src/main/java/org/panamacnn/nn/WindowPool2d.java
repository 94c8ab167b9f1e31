package org.panamacnn.nn;

import org.panamacnn.simd.WindowPool;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Max- or average-pooling with all of PyTorch's settings that {@link MaxPool2d} and
 * {@link AvgPool2d} lack: ceil mode (the last window may reach past the padding, and must start
 * inside the input or its left padding), padding on an average pool, and count_include_pad
 * ({@link WindowPool} for the windows, divisors and passes). The max records each window's
 * arg-max and backward sends the gradient there; the average spreads δy / divisor over the window's
 * input cells.
 */
public final class WindowPool2d extends PlanePooling {
    private final boolean average, ceil, countPad;
    private final int window, stride, padding;
    private int[] argmax = new int[0];

    private WindowPool2d(boolean average, int window, int stride, int padding, boolean ceil, boolean countPad) {
        String name = average ? "AvgPool2d" : "MaxPool2d";
        if (window <= 0 || stride <= 0 || padding < 0) {
            throw LayerSettings.outOfRange(name, "window", window, 1, "stride", stride, 1, "padding", padding, 0);
        }
        if (2 * padding > window) throw new IllegalArgumentException(name + ": padding " + padding + " must be at most half the window " + window);
        this.average = average;
        this.window = window;
        this.stride = stride;
        this.padding = padding;
        this.ceil = ceil;
        this.countPad = countPad;
    }

    /** PyTorch's MaxPool2d(window, stride, padding, ceil_mode=ceil). */
    public static WindowPool2d max(int window, int stride, int padding, boolean ceil) {
        return new WindowPool2d(false, window, stride, padding, ceil, true);
    }

    /** PyTorch's AvgPool2d(window, stride, padding, ceil_mode=ceil, count_include_pad=countPad). */
    public static WindowPool2d average(int window, int stride, int padding, boolean ceil, boolean countPad) {
        return new WindowPool2d(true, window, stride, padding, ceil, countPad);
    }

    @Override
    void chooseOutput(Shape input) {
        requireWindowFits(input, window, padding);
        oh = WindowPool.outSize(h, window, stride, padding, ceil);
        ow = WindowPool.outSize(w, window, stride, padding, ceil);
    }

    @Override
    Tensor outputFor(int batch) {
        Tensor y = super.outputFor(batch);
        if (!average && argmax.length < y.size()) argmax = new int[y.size()];
        return y;
    }

    @Override
    void poolPlanes(int planes, float[] x, int xAt, float[] y, int yAt) {
        if (average) WindowPool.averageForward(planes, h, w, window, stride, padding, countPad, oh, ow, x, xAt, y, yAt);
        else WindowPool.maxForward(planes, h, w, window, stride, padding, oh, ow, x, xAt, y, yAt, argmax, yAt);
    }

    @Override
    void unpoolPlanes(int planes, float[] dy, int yAt, float[] dx, int xAt) {
        if (average) WindowPool.averageBackward(planes, h, w, window, stride, padding, countPad, oh, ow, dy, yAt, dx, xAt);
        else WindowPool.maxBackward(planes, h, w, oh, ow, dy, yAt, argmax, yAt, dx, xAt);
    }

    public boolean isAverage() {
        return average;
    }

    public int window() {
        return window;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public boolean ceilMode() {
        return ceil;
    }

    /** Whether an average's divisor counts the padded cells (PyTorch's count_include_pad). */
    public boolean countsPadding() {
        return countPad;
    }

    @Override
    public WindowPool2d copy() {
        return new WindowPool2d(average, window, stride, padding, ceil, countPad);
    }

    @Override
    public String spec() {
        return (average ? "avgpool2d" : "maxpool2d") + " window=" + window + " stride=" + stride + (padding > 0 ? " pad=" + padding : "")
                + (ceil ? " ceil=true" : "") + (average && !countPad ? " count_include_pad=false" : "");
    }

    @Override
    public String describe() {
        return (average ? "AvgPool2d(" : "MaxPool2d(") + window + "×" + window + ", stride " + stride + (padding > 0 ? ", pad " + padding : "")
                + (ceil ? ", ceil" : "") + (average && !countPad ? ", padding not counted" : "") + ")";
    }
}
