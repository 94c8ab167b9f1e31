package org.panamacnn.simd;

/**
 * Where each output row (or column) of a resize reads along one axis, as PyTorch computes it in
 * float: two source indices and their weights, out = lo·x[first] + hi·x[second]. Nearest
 * ({@code mode='nearest'}, ONNX asymmetric + floor) reads one index with weight 1 (second = first,
 * hi = 0); bilinear reads the two neighbours of the source coordinate, half-pixel centres
 * (align_corners False: src = max((dst + ½)·in/out − ½, 0)) or corners aligned (src = dst·(in − 1)/(out − 1)).
 */
public record ResizeAxis(int in, int out, int[] first, int[] second, float[] lo, float[] hi) {
    /** Largest extent an axis may be resized from or to (a file cannot ask for a huge buffer). */
    public static final int MAX_SIZE = 1 << 16;

    /** Nearest: output i reads input ⌊i·in/out⌋ (PyTorch's nearest for an integer scale factor). */
    public static ResizeAxis nearest(int in, int out) {
        check(in, out);
        int[] first = new int[out];
        float[] lo = new float[out], hi = new float[out];
        for (int i = 0; i < out; i++) {
            first[i] = Math.min((int) ((long) i * in / out), in - 1);
            lo[i] = 1f;
        }
        return new ResizeAxis(in, out, first, first, lo, hi);
    }

    /** Linear, PyTorch's compute_source_index_and_lambda in float. */
    public static ResizeAxis linear(int in, int out, boolean alignCorners) {
        check(in, out);
        int[] first = new int[out], second = new int[out];
        float[] lo = new float[out], hi = new float[out];
        float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : (float) in / out;
        for (int i = 0; i < out; i++) {
            if (in == out) {
                first[i] = second[i] = i;
                lo[i] = 1f;
                continue;
            }
            float src = alignCorners ? scale * i : Math.max(scale * (i + 0.5f) - 0.5f, 0f);
            int i0 = (int) src;
            first[i] = i0;
            second[i] = i0 + (i0 < in - 1 ? 1 : 0);
            hi[i] = Math.min(Math.max(src - i0, 0f), 1f);
            lo[i] = 1f - hi[i];
        }
        return new ResizeAxis(in, out, first, second, lo, hi);
    }

    /** Whether every output reads one source with weight 1 (a nearest axis): a copy, exact for any value. */
    public boolean isNearest() {
        return first == second;
    }

    private static void check(int in, int out) {
        if (in < 1 || out < 1 || in > MAX_SIZE || out > MAX_SIZE) {
            throw new IllegalArgumentException("resize from " + in + " to " + out + ": sizes must be in 1.." + MAX_SIZE);
        }
    }
}
