package org.panamacnn.nn;

/** The mean of each channel's whole plane: [C, H, W] → [C, 1, 1], as PyTorch's nn.AdaptiveAvgPool2d(1). */
public final class GlobalAvgPool2d extends AveragePooling {
    @Override
    void chooseWindow() {
        kh = sh = h;
        kw = sw = w;
    }

    @Override
    public GlobalAvgPool2d copy() {
        return new GlobalAvgPool2d();
    }

    @Override
    public String spec() {
        return "globalavgpool2d";
    }

    @Override
    public String describe() {
        return "GlobalAvgPool2d";
    }
}
