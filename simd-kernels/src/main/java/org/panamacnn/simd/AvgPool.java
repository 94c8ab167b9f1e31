package org.panamacnn.simd;

/**
 * Average pooling over kh×kw windows with strides (no padding) on a stack of NCHW planes, as
 * PyTorch's AvgPool2d / AdaptiveAvgPool2d(1): y = (Σ window, row-major) / (kh·kw); backward adds
 * δy / (kh·kw) to every element of each window. Memory-bound and a small part of any network, so
 * plain loops; the inference path pools NHWC with vectors over channels ({@link NhwcPool#average}),
 * in the same order, to the same bits.
 */
public final class AvgPool {
    private AvgPool() {}

    /** Output extent along one axis: (in − k) / stride + 1. */
    public static int outSize(int in, int k, int stride) {
        return MaxPool.outSize(in, k, stride);
    }

    /** y[p, i, j] = mean of x[p, i·sh .. +kh, j·sw .. +kw]. Writes y. */
    public static void forward(int planes, int h, int w, int kh, int kw, int sh, int sw, float[] x, int xOff, float[] y, int yOff) {
        Checks.nonNegative("planes", planes);
        int oh = outSize(h, kh, sh), ow = outSize(w, kw, sw);
        Checks.range("x", x, xOff, (long) planes * h * w);
        Checks.range("y", y, yOff, (long) planes * oh * ow);
        float count = kh * kw;
        int o = yOff;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float sum = 0f;
                    for (int u = 0; u < kh; u++) {
                        int row = plane + (i * sh + u) * w + j * sw;
                        for (int v = 0; v < kw; v++) sum += x[row + v];
                    }
                    y[o++] = sum / count;
                }
            }
        }
    }

    /** dx = Σ over the windows holding each element of δy / (kh·kw). Overwrites dx. */
    public static void backward(int planes, int h, int w, int kh, int kw, int sh, int sw, float[] dy, int dyOff, float[] dx, int dxOff) {
        Checks.nonNegative("planes", planes);
        int oh = outSize(h, kh, sh), ow = outSize(w, kw, sw);
        Checks.range("dy", dy, dyOff, (long) planes * oh * ow);
        Checks.range("dx", dx, dxOff, (long) planes * h * w);
        java.util.Arrays.fill(dx, dxOff, dxOff + planes * h * w, 0f);
        float count = kh * kw;
        int o = dyOff;
        for (int p = 0; p < planes; p++) {
            int plane = dxOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float g = dy[o++] / count;
                    for (int u = 0; u < kh; u++) {
                        int row = plane + (i * sh + u) * w + j * sw;
                        for (int v = 0; v < kw; v++) dx[row + v] += g;
                    }
                }
            }
        }
    }
}
