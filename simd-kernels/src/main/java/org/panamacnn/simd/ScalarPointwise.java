package org.panamacnn.simd;

/** {@link Pointwise} in plain Java, every kind (see there for the formulas). */
final class ScalarPointwise {
    private ScalarPointwise() {}

    static void forward(Pointwise.Kind kind, float a, float b, int n, float[] x, int xOff, float[] y, int yOff) {
        switch (kind) {
            case CLIP -> clip(a, b, 0, n, x, xOff, y, yOff);
            case HARDSIGMOID -> {
                for (int i = 0; i < n; i++) y[yOff + i] = Math.min(Math.max(a * x[xOff + i] + b, 0f), 1f);
            }
            case HARDSWISH -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) y[yOff + i] = Activations.sigmoid(x[xOff + i]);
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v * Activations.sigmoid(v);
                }
            }
        }
    }

    static void backward(Pointwise.Kind kind, float a, float b, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        switch (kind) {
            case CLIP -> clipBackward(a, b, 0, n, dy, dyOff, x, xOff, dx, dxOff);
            case HARDSIGMOID -> {
                for (int i = 0; i < n; i++) {
                    float t = a * x[xOff + i] + b;
                    dx[dxOff + i] = t > 0f && t < 1f ? a * dy[dyOff + i] : 0f;
                }
            }
            case HARDSWISH -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i], g = dy[dyOff + i];
                    dx[dxOff + i] = v < -3f ? 0f : v <= 3f ? g * (v / 3f + 0.5f) : g;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    float s = Activations.sigmoid(x[xOff + i]);
                    dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i], s = Activations.sigmoid(v);
                    dx[dxOff + i] = dy[dyOff + i] * s * (1f + v * (1f - s));
                }
            }
        }
    }

    /** y = min(max(x, lo), hi) for elements [from, n). */
    static void clip(float lo, float hi, int from, int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = from; i < n; i++) y[yOff + i] = Math.min(Math.max(x[xOff + i], lo), hi);
    }

    /** dx = dy·1[lo &lt; x &lt; hi] for elements [from, n). */
    static void clipBackward(float lo, float hi, int from, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        for (int i = from; i < n; i++) {
            float v = x[xOff + i];
            dx[dxOff + i] = v > lo && v < hi ? dy[dyOff + i] : 0f;
        }
    }
}
