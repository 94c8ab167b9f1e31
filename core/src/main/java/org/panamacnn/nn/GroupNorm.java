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
 * Normalisation with each sample's own statistics over groups of its channels: PyTorch's
 * nn.GroupNorm(G, C) (weight and bias per channel) and, as one group with weight and bias per
 * element, nn.LayerNorm([C, H, W]). The same in training and evaluation (no running statistics).
 * A group's C/G·H·W values are contiguous in NCHW; for each: μ and the biased σ², sums float within
 * a plane and double across planes, as {@link BatchNorm2d}; y = γ·(x − μ)/√(σ² + ε) + β.
 * Backward, per group with g = γ·δy, M values, S1 = Σ g, S2 = Σ g·x:
 * δx = inv·g + k·x + c0, inv = 1/√(σ² + ε), k = −inv³·(S2 − μ·S1)/M, c0 = −inv·S1/M − k·μ.
 * Samples are split over batch chunks; the weight gradients are summed sample by sample in batch
 * order afterwards, so the bits do not depend on the thread count.
 */
public final class GroupNorm implements Layer {
    public static final float DEFAULT_EPS = 1e-5f;

    private final int groups;
    /** nn.LayerNorm([C, H, W]): one group, weight and bias per element. */
    private final boolean elementwise;
    private final float eps;
    /** The input shape [C, H, W] it requires (null: any; a model file's spec names it, as PyTorch's constructors do). */
    private final Shape required;
    private Param gamma, beta;
    private Shape shape;
    private int c, plane, groupSize;
    private ParallelExecutor executor = ParallelExecutor.SEQUENTIAL;
    private BatchBuffer output, inputGrad;
    private Tensor input;
    /** Per (sample, group): the mean and 1/√(σ² + ε) of the last training forward. */
    private float[] mean = new float[0], invStd = new float[0];
    /** Per (sample, channel): Σ δy and Σ δy·x over the plane (per-channel weights only). */
    private double[] sumDy = new double[0], sumDyX = new double[0];
    /** Per chunk: a group's γ·δy (elementwise weights only). */
    private float[][] chunkScratch = new float[0][];
    private final IntConsumer forwardTask = k -> chunk(k, true), backwardTask = k -> chunk(k, false);
    private final IntConsumer elementTask = this::elementwiseGradients;
    private float[] taskX, taskY, taskDy, taskDx;
    private int taskBatch, taskCount;

    private GroupNorm(int groups, boolean elementwise, float eps, Shape required) {
        if (groups < 1) throw LayerSettings.outOfRange("GroupNorm", "groups", groups, 1);
        if (!(eps > 0) || !Float.isFinite(eps)) throw new IllegalArgumentException(kind(elementwise) + ": eps " + eps + " must be a positive number");
        this.groups = groups;
        this.elementwise = elementwise;
        this.eps = eps;
        this.required = required;
    }

    /** nn.GroupNorm(groups, C, eps): statistics over each group of C/groups channels, weight and bias per channel. */
    public static GroupNorm groupNorm(int groups, float eps) {
        return new GroupNorm(groups, false, eps, null);
    }

    /** {@link #groupNorm(int, float)} that requires `channels` input channels (0: any). */
    public static GroupNorm groupNorm(int groups, int channels, float eps) {
        if (channels < 0) throw LayerSettings.outOfRange("GroupNorm", "channels", channels, 0);
        return new GroupNorm(groups, false, eps, channels == 0 ? null : Shape.of(channels));
    }

    /** nn.LayerNorm([C, H, W], eps): statistics over each whole sample, weight and bias per element. */
    public static GroupNorm layerNorm(float eps) {
        return new GroupNorm(1, true, eps, null);
    }

    /** {@link #layerNorm(float)} that requires input shape [C, H, W] (null: any). */
    public static GroupNorm layerNorm(Shape shape, float eps) {
        return new GroupNorm(1, true, eps, shape);
    }

    private static String kind(boolean elementwise) {
        return elementwise ? "LayerNorm" : "GroupNorm";
    }

    @Override
    public Shape build(Shape in, BuildContext context) {
        Shapes.requireImage(this, in);
        if (required != null && (required.dim(0) != in.dim(0) || elementwise && !required.equals(in))) {
            throw new IllegalArgumentException(describe() + " expects " + (elementwise ? "input " + required : required.dim(0) + " channels") + " but got input " + in);
        }
        c = in.dim(0);
        if (c % groups != 0) throw new IllegalArgumentException(describe() + ": " + groups + " groups do not divide the input's " + c + " channels (input " + in + ")");
        plane = in.dim(1) * in.dim(2);
        groupSize = c / groups * plane;
        shape = in;
        Shape affine = elementwise ? in : Shape.of(c);
        gamma = context.param("weight", affine, 1f);
        beta = context.param("bias", affine);
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
        if (mean.length < n * groups) {
            mean = new float[n * groups];
            invStd = new float[n * groups];
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
        if (!elementwise && sumDy.length < n * c) {
            sumDy = new double[n * c];
            sumDyX = new double[n * c];
        }
        taskDy = gradOut.data();
        taskX = input.data();
        taskDx = dx == null ? null : dx.data();
        run(n, backwardTask);
        if (elementwise) {
            executor.forEach(taskCount, elementTask);
        } else {
            channelGradients(n);
        }
        taskDy = taskX = taskDx = null;
        return dx;
    }

    private void run(int n, IntConsumer task) {
        taskBatch = n;
        taskCount = BatchChunks.count(n);
        if (elementwise && chunkScratch.length < taskCount) {
            chunkScratch = new float[taskCount][groupSize];
        }
        executor.forEach(taskCount, task);
    }

    private void chunk(int k, boolean forward) {
        for (int i = BatchChunks.start(k, taskCount, taskBatch), end = BatchChunks.start(k + 1, taskCount, taskBatch); i < end; i++) {
            for (int g = 0; g < groups; g++) {
                if (forward) forwardGroup(i, g);
                else backwardGroup(i, g, k);
            }
        }
    }

    private void forwardGroup(int i, int g) {
        int off = (i * groups + g) * groupSize, planes = groupSize / plane;
        float[] x = taskX, y = taskY, ga = gamma.value().data(), be = beta.value().data();
        double s = 0;
        for (int p = 0; p < planes; p++) s += Blas1.sum(plane, x, off + p * plane);
        float mu = (float) (s / groupSize);
        double q = 0;
        for (int p = 0; p < planes; p++) q += Normalize.sumSquaredDeviations(plane, x, off + p * plane, mu);
        float inv = (float) (1 / Math.sqrt(q / groupSize + eps));
        mean[i * groups + g] = mu;
        invStd[i * groups + g] = inv;
        if (elementwise) { // y = x̂ ⊙ γ + β, weights [C, H, W] aligned with the sample
            Normalize.affine(groupSize, inv, x, off, -mu * inv, y, off);
            Blas1.multiply(groupSize, y, off, ga, 0, y, off);
            Blas1.add(groupSize, be, 0, y, off);
            return;
        }
        for (int p = 0; p < planes; p++) {
            int ch = g * planes + p;
            float a = ga[ch] * inv, shift = be[ch] - mu * a;
            Normalize.affine(plane, a, x, off + p * plane, shift, y, off + p * plane);
        }
    }

    private void backwardGroup(int i, int g, int k) {
        int off = (i * groups + g) * groupSize, planes = groupSize / plane;
        float[] x = taskX, dy = taskDy, ga = gamma.value().data();
        double mu = mean[i * groups + g], inv = invStd[i * groups + g], s1 = 0, s2 = 0;
        float[] scaled = null;
        if (elementwise) {
            scaled = chunkScratch[k];
            Blas1.multiply(groupSize, ga, 0, dy, off, scaled, 0);
            s1 = Blas1.sum(groupSize, scaled, 0);
            s2 = Blas1.dot(groupSize, scaled, 0, x, off);
        } else {
            for (int p = 0; p < planes; p++) {
                int ch = g * planes + p, at = off + p * plane;
                double sdy = Blas1.sum(plane, dy, at), sdyx = Blas1.dot(plane, dy, at, x, at);
                sumDy[i * c + ch] = sdy;
                sumDyX[i * c + ch] = sdyx;
                s1 += ga[ch] * sdy;
                s2 += ga[ch] * sdyx;
            }
        }
        if (taskDx == null) return;
        double kx = -inv * inv * inv * (s2 - mu * s1) / groupSize, c0 = -inv * s1 / groupSize - kx * mu;
        if (elementwise) {
            Normalize.affine2(groupSize, (float) inv, scaled, 0, (float) kx, x, off, (float) c0, taskDx, off);
            return;
        }
        for (int p = 0; p < planes; p++) {
            int at = off + p * plane;
            Normalize.affine2(plane, (float) (ga[g * planes + p] * inv), dy, at, (float) kx, x, at, (float) c0, taskDx, at);
        }
    }

    /** δγ[ch] = Σ_samples inv·(Σ δy·x − μ·Σ δy), δβ[ch] = Σ_samples Σ δy, in batch order. */
    private void channelGradients(int n) {
        float[] dg = gamma.grad().data(), db = beta.grad().data();
        int per = c / groups;
        for (int ch = 0; ch < c; ch++) {
            double sg = 0, sb = 0;
            for (int i = 0; i < n; i++) {
                int s = i * groups + ch / per;
                sg += invStd[s] * (sumDyX[i * c + ch] - mean[s] * sumDy[i * c + ch]);
                sb += sumDy[i * c + ch];
            }
            dg[ch] = (float) sg;
            db[ch] = (float) sb;
        }
    }

    /** Chunk k of the elements: δγ = Σ_samples δy ⊙ x̂, δβ = Σ_samples δy, in batch order (the chunk's scratch holds x̂ ⊙ δy). */
    private void elementwiseGradients(int k) {
        int from = BatchChunks.start(k, taskCount, groupSize), len = BatchChunks.start(k + 1, taskCount, groupSize) - from;
        float[] dg = gamma.grad().data(), db = beta.grad().data(), t = chunkScratch[k];
        Arrays.fill(dg, from, from + len, 0f);
        Arrays.fill(db, from, from + len, 0f);
        for (int i = 0; i < taskBatch; i++) {
            int at = i * groupSize + from;
            float inv = invStd[i];
            Normalize.affine(len, inv, taskX, at, -mean[i] * inv, t, 0);
            Blas1.multiply(len, t, 0, taskDy, at, t, 0);
            Blas1.add(len, t, 0, dg, from);
            Blas1.add(len, taskDy, at, db, from);
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

    public int groups() {
        return groups;
    }

    /** Whether weight and bias are per element [C, H, W] (nn.LayerNorm) rather than per channel. */
    public boolean elementwise() {
        return elementwise;
    }

    public float eps() {
        return eps;
    }

    @Override
    public GroupNorm copy() {
        return new GroupNorm(groups, elementwise, eps, required);
    }

    @Override
    public String spec() {
        String e = eps == DEFAULT_EPS ? "" : " eps=" + eps;
        Shape s = shape != null ? shape : required;
        if (elementwise) return "layernorm" + (s == null ? "" : " shape=" + s.dim(0) + "," + s.dim(1) + "," + s.dim(2)) + e;
        return "groupnorm groups=" + groups + (s == null ? "" : " channels=" + s.dim(0)) + e;
    }

    @Override
    public String describe() {
        String e = eps == DEFAULT_EPS ? "" : ", eps " + eps;
        return elementwise ? "LayerNorm(" + (shape == null ? "C, H, W" : shape.dim(0) + ", " + shape.dim(1) + ", " + shape.dim(2)) + e + ")"
                : "GroupNorm(" + groups + ", " + (c == 0 ? "?" : c) + e + ")";
    }
}
