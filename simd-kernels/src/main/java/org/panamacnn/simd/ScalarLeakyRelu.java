package org.panamacnn.simd;

/** {@link LeakyRelu} in plain Java. */
final class ScalarLeakyRelu {
    private ScalarLeakyRelu() {}

    static void forward(int n, float slope, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : slope * v;
        }
    }

    static void backward(int n, float slope, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "x", x, xOff);
        Checks.range("dx", dx, dxOff, n);
        for (int i = 0; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : slope * dy[dyOff + i];
    }
}
