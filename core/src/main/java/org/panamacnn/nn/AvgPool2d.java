package org.panamacnn.nn;

/** PyTorch's nn.AvgPool2d(window, stride) without padding: the mean of each k×k window. */
public final class AvgPool2d extends AveragePooling {
    private final int window, stride;

    /** Non-overlapping k×k pooling (stride k). */
    public AvgPool2d(int window) {
        this(window, window);
    }

    public AvgPool2d(int window, int stride) {
        if (window <= 0 || stride <= 0) {
            throw LayerSettings.outOfRange("AvgPool2d", "window", window, 1, "stride", stride, 1);
        }
        this.window = window;
        this.stride = stride;
    }

    @Override
    void chooseWindow() {
        kh = kw = window;
        sh = sw = stride;
    }

    @Override
    public AvgPool2d copy() {
        return new AvgPool2d(window, stride);
    }

    @Override
    public String spec() {
        return "avgpool2d window=" + window + " stride=" + stride;
    }

    @Override
    public String describe() {
        return "AvgPool2d(" + window + "×" + window + ", stride " + stride + ")";
    }
}
