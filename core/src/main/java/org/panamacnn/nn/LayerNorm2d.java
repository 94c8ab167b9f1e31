package org.panamacnn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.Normalize;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Layer norm over the channels of each pixel, torchvision's ConvNeXt LayerNorm2d (permute to
 * NHWC, F.layer_norm over C, permute back): for each sample and pixel, μ and the biased σ² of its
 * C values, y = γ[c]·(x − μ)/√(σ² + ε) + β[c]; weight and bias per channel, no running statistics.
 * In NCHW a pixel's channels are a plane apart, so every pass runs over a whole plane at a time,
 * one channel after another, with per-pixel vectors of statistics (float sums over the channels).
 * Backward, per pixel with g = γ·δy, x̂ the normalised input, A = Σ_c g, B = Σ_c g·x̂:
 * δx = inv·(g − A/C − x̂·B/C). Samples are split over batch chunks; the weight gradients are
 * summed sample by sample in batch order afterwards (bits independent of the thread count).
 */
public final class LayerNorm2d implements Layer {
    public static final float DEFAULT_EPS = 1e-5f;
    /** Per-pixel scratch vectors a chunk needs: x − μ, a product, δx's sum, A and B. */
    private static final int SCRATCH_PLANES = 5;

    private final float eps;
    private final int channels; // 0: taken from the input
    private Param gamma, beta;
    private Shape shape;
    private int c, plane;
    private ParallelExecutor executor = ParallelExecutor.SEQUENTIAL;
    private BatchBuffer output, inputGrad;
    private Tensor input;
    /** Per (sample, pixel) of the last training forward: μ and 1/√(σ² + ε). */
    private float[] mean = new float[0], invStd = new float[0];
    /** Per (sample, channel): Σ δy·x̂ and Σ δy. */
    private double[] sampleDgamma = new double[0], sampleDbeta = new double[0];
    private float[][] scratch = new float[0][];
    private final IntConsumer forwardTask = k -> chunk(k, true), backwardTask = k -> chunk(k, false);
    private float[] taskX, taskY, taskDy, taskDx;
    private int taskBatch, taskCount;

    public LayerNorm2d(float eps) {
        this(0, eps);
    }

    /** Layer norm over the channels of each pixel that requires `channels` input channels (0: any). */
    public LayerNorm2d(int channels, float eps) {
        if (!(eps > 0) || !Float.isFinite(eps)) throw new IllegalArgumentException("LayerNorm2d: eps " + eps + " must be a positive number");
        if (channels < 0) throw LayerSettings.outOfRange("LayerNorm2d", "channels", channels, 0);
        this.eps = eps;
        this.channels = channels;
    }

    @Override
    public Shape build(Shape in, BuildContext context) {
        Shapes.requireImage(this, in);
        if (channels != 0 && in.dim(0) != channels) throw new IllegalArgumentException(describe() + " expects " + channels + " channels but got input " + in);
        c = in.dim(0);
        plane = in.dim(1) * in.dim(2);
        shape = in;
        gamma = context.param("weight", Shape.of(c), 1f);
        beta = context.param("bias", Shape.of(c));
        output = new BatchBuffer(in);
        inputGrad = context.gradientBuffer(in);
        executor = context.executor();
        return in;
    }

    @Override
    public void initialize(SplittableRandom random) {
        Arrays.fill(gamma.value().data(), 1f);
        Arrays.fill(beta.value().data(), 0f);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        int n = x.batch();
        Tensor y = output.get(n);
        if (mean.length < n * plane) {
            mean = new float[n * plane];
            invStd = new float[n * plane];
        }
        taskX = x.data();
        taskY = y.data();
        run(n, forwardTask);
        taskX = taskY = null;
        input = training ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int n = Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), shape, gradOut);
        Tensor dx = inputGradient ? inputGrad.get(n) : null;
        if (sampleDgamma.length < n * c) {
            sampleDgamma = new double[n * c];
            sampleDbeta = new double[n * c];
        }
        taskDy = gradOut.data();
        taskX = input.data();
        taskDx = dx == null ? null : dx.data();
        run(n, backwardTask);
        float[] dg = gamma.grad().data(), db = beta.grad().data();
        for (int ch = 0; ch < c; ch++) {
            double sg = 0, sb = 0;
            for (int i = 0; i < n; i++) {
                sg += sampleDgamma[i * c + ch];
                sb += sampleDbeta[i * c + ch];
            }
            dg[ch] = (float) sg;
            db[ch] = (float) sb;
        }
        taskDy = taskX = taskDx = null;
        return dx;
    }

    private void run(int n, IntConsumer task) {
        taskBatch = n;
        taskCount = BatchChunks.count(n);
        if (scratch.length < taskCount) scratch = new float[taskCount][SCRATCH_PLANES * plane];
        executor.forEach(taskCount, task);
    }

    private void chunk(int k, boolean forward) {
        for (int i = BatchChunks.start(k, taskCount, taskBatch), end = BatchChunks.start(k + 1, taskCount, taskBatch); i < end; i++) {
            if (forward) forwardSample(i, scratch[k]);
            else backwardSample(i, scratch[k]);
        }
    }

    /** x̂ of channel ch of sample i into t[0..plane): (x − μ)·inv per pixel. */
    private void normalized(int i, int ch, float[] t) {
        int at = (i * c + ch) * plane, stats = i * plane;
        Normalize.affine2(plane, 1f, taskX, at, -1f, mean, stats, 0f, t, 0);
        Blas1.multiply(plane, t, 0, invStd, stats, t, 0);
    }

    private void forwardSample(int i, float[] t) {
        float[] x = taskX, y = taskY, ga = gamma.value().data(), be = beta.value().data();
        int stats = i * plane, base = i * c * plane;
        Arrays.fill(mean, stats, stats + plane, 0f);
        for (int ch = 0; ch < c; ch++) Blas1.add(plane, x, base + ch * plane, mean, stats);
        Blas1.scale(plane, 1f / c, mean, stats);
        int sq = plane; // Σ_c (x − μ)² per pixel, in t[plane..2·plane)
        Arrays.fill(t, sq, sq + plane, 0f);
        for (int ch = 0; ch < c; ch++) {
            Normalize.affine2(plane, 1f, x, base + ch * plane, -1f, mean, stats, 0f, t, 0);
            Blas1.multiply(plane, t, 0, t, 0, t, 0);
            Blas1.add(plane, t, 0, t, sq);
        }
        for (int p = 0; p < plane; p++) invStd[stats + p] = (float) (1 / Math.sqrt((double) t[sq + p] / c + eps));
        for (int ch = 0; ch < c; ch++) {
            int at = base + ch * plane;
            normalized(i, ch, t);
            Normalize.affine(plane, ga[ch], t, 0, be[ch], y, at);
        }
    }

    private void backwardSample(int i, float[] t) {
        float[] dy = taskDy, ga = gamma.value().data();
        int stats = i * plane, base = i * c * plane, prod = plane, sum = 2 * plane, a = 3 * plane, b = 4 * plane;
        Arrays.fill(t, a, a + 2 * plane, 0f);
        for (int ch = 0; ch < c; ch++) { // A = Σ γ·δy, B = Σ γ·δy·x̂; the per-sample weight gradients
            int at = base + ch * plane;
            normalized(i, ch, t);
            Blas1.multiply(plane, dy, at, t, 0, t, prod);
            Blas1.axpy(plane, ga[ch], dy, at, t, a);
            Blas1.axpy(plane, ga[ch], t, prod, t, b);
            sampleDgamma[i * c + ch] = Blas1.sum(plane, t, prod);
            sampleDbeta[i * c + ch] = Blas1.sum(plane, dy, at);
        }
        if (taskDx == null) return;
        float invC = 1f / c;
        for (int ch = 0; ch < c; ch++) { // δx = inv·(γ·δy − A/C − x̂·B/C)
            int at = base + ch * plane;
            normalized(i, ch, t);
            Blas1.multiply(plane, t, 0, t, b, t, prod);
            Normalize.affine2(plane, ga[ch], dy, at, -invC, t, a, 0f, t, sum);
            Blas1.axpy(plane, -invC, t, prod, t, sum);
            Blas1.multiply(plane, t, sum, invStd, stats, taskDx, at);
        }
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    public Param weight() {
        return gamma;
    }

    public Param bias() {
        return beta;
    }

    public float eps() {
        return eps;
    }

    @Override
    public LayerNorm2d copy() {
        return new LayerNorm2d(channels, eps);
    }

    @Override
    public String spec() {
        int ch = channels != 0 ? channels : c;
        return "layernorm2d" + (ch != 0 ? " channels=" + ch : "") + (eps == DEFAULT_EPS ? "" : " eps=" + eps);
    }

    @Override
    public String describe() {
        return "LayerNorm2d(" + (c != 0 ? c : channels != 0 ? channels : "?") + (eps == DEFAULT_EPS ? "" : ", eps " + eps) + ")";
    }
}
