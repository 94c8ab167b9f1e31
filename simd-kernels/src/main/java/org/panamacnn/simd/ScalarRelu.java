package org.panamacnn.simd;

/** {@link Relu} in plain Java. */
final class ScalarRelu {
    private ScalarRelu() {}

    static void forward(int n, float[] x, int xOff, float[] y, int yOff, boolean[] mask, int maskOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        Checks.range("mask", mask, maskOff, n);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            boolean positive = v > 0f;
            mask[maskOff + i] = positive;
            y[yOff + i] = positive ? v : 0f;
        }
    }

    static void forward(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : 0f;
        }
    }

    static void backward(int n, float[] dy, int dyOff, boolean[] mask, int maskOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "dx", dx, dxOff);
        Checks.range("mask", mask, maskOff, n);
        for (int i = 0; i < n; i++) dx[dxOff + i] = mask[maskOff + i] ? dy[dyOff + i] : 0f;
    }

    static void forwardOfSum(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = a[aOff + i] + b[bOff + i];
            y[yOff + i] = v > 0f ? v : 0f;
        }
    }

    static void backwardFromOutput(int n, float[] dy, int dyOff, float[] y, int yOff, float[] dx, int dxOff) {
        Checks.vectors(n, "dy", dy, dyOff, "y", y, yOff);
        Checks.range("dx", dx, dxOff, n);
        for (int i = 0; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
}
