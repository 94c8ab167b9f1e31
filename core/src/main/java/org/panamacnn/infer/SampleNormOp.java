package org.panamacnn.infer;

import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.Normalize;
import org.panamacnn.simd.PixelMap;

/**
 * A norm with each image's own statistics, NHWC in, NHWC out (a new buffer with the border its
 * readers want): LayerNorm2d (statistics over each pixel's channels, which NHWC holds side by
 * side), group norm (over each group's channels of every pixel) and layer norm over a whole
 * image (one group; weight and bias per element, permuted to NHWC order when planned). μ and σ²
 * from float sums per pixel, added in double across pixels; y = γ·(x − μ)·inv + β. Split by images.
 */
final class SampleNormOp implements Op {
    private final int in, out, h, w, channels, groups;
    private final PixelMap inMap, outMap;
    /** Statistics per pixel (LayerNorm2d) rather than per group of the whole image. */
    private final boolean perPixel;
    /** Weight and bias per element [h][w][channels] rather than per channel. */
    private final boolean elementwise;
    private final float[] gamma, beta;
    private final float eps;

    private SampleNormOp(int in, PixelMap inMap, int h, int w, int channels, int groups, boolean perPixel, boolean elementwise,
                         float[] gamma, float[] beta, float eps, int out, PixelMap outMap) {
        this.in = in;
        this.inMap = inMap;
        this.h = h;
        this.w = w;
        this.channels = channels;
        this.groups = groups;
        this.perPixel = perPixel;
        this.elementwise = elementwise;
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.out = out;
        this.outMap = outMap;
    }

    /** LayerNorm2d: weight and bias per channel. */
    static SampleNormOp perPixel(int in, PixelMap inMap, int h, int w, int channels, float[] gamma, float[] beta, float eps, int out, PixelMap outMap) {
        return new SampleNormOp(in, inMap, h, w, channels, 1, true, false, gamma, beta, eps, out, outMap);
    }

    /** Group norm: weight and bias per channel. */
    static SampleNormOp groups(int in, PixelMap inMap, int h, int w, int channels, int groups, float[] gamma, float[] beta, float eps,
                               int out, PixelMap outMap) {
        return new SampleNormOp(in, inMap, h, w, channels, groups, false, false, gamma, beta, eps, out, outMap);
    }

    /** Layer norm over a whole image: weight and bias per element, in NHWC order [h][w][channels]. */
    static SampleNormOp wholeImage(int in, PixelMap inMap, int h, int w, int channels, float[] gammaHwc, float[] betaHwc, float eps,
                                   int out, PixelMap outMap) {
        return new SampleNormOp(in, inMap, h, w, channels, 1, false, true, gammaHwc, betaHwc, eps, out, outMap);
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    /** Per-channel scale and shift of the current group statistics. */
    @Override
    public int scratchFloats() {
        return perPixel || elementwise ? 0 : 2 * channels;
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(in), y = ws.buffer(out), s = ws.scratch(task);
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            if (perPixel) pixels(x, y, n);
            else image(x, y, s, n);
        }
    }

    private void pixels(float[] x, float[] y, int n) {
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int at = inMap.at(n, i, j), to = outMap.at(n, i, j);
                float mu = Blas1.sum(channels, x, at) / channels;
                float inv = (float) (1 / Math.sqrt((double) Normalize.sumSquaredDeviations(channels, x, at, mu) / channels + eps));
                Normalize.affine(channels, inv, x, at, -mu * inv, y, to);
                Blas1.multiply(channels, y, to, gamma, 0, y, to);
                Blas1.add(channels, beta, 0, y, to);
            }
        }
    }

    private void image(float[] x, float[] y, float[] scale, int n) {
        int per = channels / groups, m = per * h * w;
        for (int g = 0; g < groups; g++) {
            int c0 = g * per;
            double s = 0;
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) s += Blas1.sum(per, x, inMap.at(n, i, j) + c0);
            float mu = (float) (s / m);
            double q = 0;
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) q += Normalize.sumSquaredDeviations(per, x, inMap.at(n, i, j) + c0, mu);
            float inv = (float) (1 / Math.sqrt(q / m + eps));
            if (elementwise) { // one group: y = (x − μ)·inv ⊙ γ + β, γ and β in NHWC order
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int at = inMap.at(n, i, j), to = outMap.at(n, i, j), e = (i * w + j) * channels;
                        Normalize.affine(channels, inv, x, at, -mu * inv, y, to);
                        Blas1.multiply(channels, y, to, gamma, e, y, to);
                        Blas1.add(channels, beta, e, y, to);
                    }
                }
                return;
            }
            for (int c = c0; c < c0 + per; c++) {
                scale[c] = gamma[c] * inv;
                scale[channels + c] = beta[c] - mu * scale[c];
            }
        }
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int at = inMap.at(n, i, j), to = outMap.at(n, i, j);
                Blas1.multiply(channels, x, at, scale, 0, y, to);
                Blas1.add(channels, scale, channels, y, to);
            }
        }
    }
}
