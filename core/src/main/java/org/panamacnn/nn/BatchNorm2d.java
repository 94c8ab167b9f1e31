package org.panamacnn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.Normalize;
import org.panamacnn.simd.Relu;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Batch normalisation per channel of NCHW images, as PyTorch's nn.BatchNorm2d(eps = 1e-5,
 * momentum = 0.1): training normalises with the batch's mean and biased variance and moves the
 * running statistics (the unbiased variance, as PyTorch); evaluation uses the running ones.
 * y = γ·(x − μ)/√(σ² + ε) + β, computed as a·x + b with a = γ/√(σ² + ε), b = β − μ·a. Sums per
 * channel run plane by plane in a fixed order (float within a plane, double across planes).
 * Inference folds it into the convolution before it ({@code InferenceModel}).
 *
 * <p>A ReLU that is this layer's sole consumer is fused into it ({@link Fusion}): forward
 * rectifies each plane right after normalising it, while it is in L1, and backward masks the
 * incoming gradient with 1[y > 0] (y > 0 exactly where the normalised value is) into the input
 * gradient's buffer on the first of its two passes over a channel, so the masked gradient is
 * still in cache for the second. No activation-sized pass of the ReLU's own is left.
 */
public final class BatchNorm2d implements Layer, ReluFusable {
    public static final float EPS = 1e-5f, MOMENTUM = 0.1f;
    private final int channels; // 0: taken from the input
    private Param gamma, beta, runningMean, runningVar;
    private int c, plane;
    private Shape shape;
    private BatchBuffer output, inputGrad;
    private Tensor input;
    /** A fused ReLU: the output is max(y, 0), and backward masks its gradient with the output (kept from forward). */
    private boolean rectify;
    private Tensor rectified;
    private float[] mean = new float[0], invStd = new float[0];
    private ParallelExecutor executor = ParallelExecutor.SEQUENTIAL;
    // what the channel tasks work on: fields, not captures, so a call allocates nothing
    private float[] taskX, taskY, taskDy, taskDx, taskOut;
    private int taskN, tasks;
    private boolean taskTraining;
    private final java.util.function.IntConsumer forwardTask = t -> forEachChannel(t, true);
    private final java.util.function.IntConsumer backwardTask = t -> forEachChannel(t, false);

    /** Batch norm over as many channels as the input has. */
    public BatchNorm2d() {
        this(0);
    }

    /** Batch norm that requires `channels` input channels. */
    public BatchNorm2d(int channels) {
        if (channels < 0) throw LayerSettings.outOfRange("BatchNorm2d", "channels", channels, 0);
        this.channels = channels;
    }

    @Override
    public Shape build(Shape in, BuildContext context) {
        Shapes.requireImage(this, in);
        if (channels != 0 && in.dim(0) != channels) {
            throw new IllegalArgumentException(describe() + " expects " + channels + " channels but got input " + in);
        }
        c = in.dim(0);
        plane = in.dim(1) * in.dim(2);
        shape = in;
        // the identity transform PyTorch starts from (a layer tree sharing a model's weights keeps them)
        gamma = context.param("weight", Shape.of(c), 1f);
        beta = context.param("bias", Shape.of(c));
        runningMean = context.param("running_mean", Shape.of(c));
        runningVar = context.param("running_var", Shape.of(c), 1f);
        mean = new float[c];
        invStd = new float[c];
        output = new BatchBuffer(in);
        inputGrad = context.gradientBuffer(in);
        this.executor = context.executor();
        // channels are independent: a few chunks per thread, each channel computed as on one thread
        tasks = Math.max(1, Math.min(c, context.executor().parallelism() * 4));
        return in;
    }

    @Override
    public void initialize(SplittableRandom random) {
        Arrays.fill(gamma.value().data(), 1f);
        Arrays.fill(beta.value().data(), 0f);
        Arrays.fill(runningMean.value().data(), 0f);
        Arrays.fill(runningVar.value().data(), 1f);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, shape);
        Shapes.requireBatchOf(this, shape, x);
        Tensor y = output.get(x.batch());
        taskX = x.data();
        taskY = y.data();
        taskN = x.batch();
        taskTraining = training;
        executor.forEach(tasks, forwardTask);
        taskX = taskY = null;
        input = training ? x : null;
        rectified = training && rectify ? y : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int n = Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), shape, gradOut);
        // with a fused ReLU the masked gradient is staged in the input gradient's buffer
        Tensor dx = inputGradient || rectify ? inputGrad.get(n) : null;
        taskDy = gradOut.data();
        taskX = input.data();
        taskDx = dx == null ? null : dx.data();
        taskOut = rectify ? rectified.data() : null;
        taskN = n;
        executor.forEach(tasks, backwardTask);
        taskDy = taskX = taskDx = taskOut = null;
        return inputGradient ? dx : null;
    }

    private void forEachChannel(int task, boolean forward) {
        int from = (int) ((long) c * task / tasks), to = (int) ((long) c * (task + 1) / tasks);
        for (int ch = from; ch < to; ch++) {
            if (forward) forwardChannel(ch);
            else backwardChannel(ch);
        }
    }

    private void forwardChannel(int ch) {
        int n = taskN, m = n * plane;
        float[] xs = taskX, g = gamma.value().data(), b = beta.value().data();
        float[] rm = runningMean.value().data(), rv = runningVar.value().data();
        float mu, var;
        if (taskTraining) {
            double s = 0;
            for (int i = 0; i < n; i++) s += Blas1.sum(plane, xs, (i * c + ch) * plane);
            mu = (float) (s / m);
            double q = 0;
            for (int i = 0; i < n; i++) q += Normalize.sumSquaredDeviations(plane, xs, (i * c + ch) * plane, mu);
            var = (float) (q / m);
            rm[ch] = (1 - MOMENTUM) * rm[ch] + MOMENTUM * mu;
            rv[ch] = (1 - MOMENTUM) * rv[ch] + MOMENTUM * (float) (m > 1 ? q / (m - 1) : q);
        } else {
            mu = rm[ch];
            var = rv[ch];
        }
        float inv = (float) (1 / Math.sqrt((double) var + EPS));
        mean[ch] = mu;
        invStd[ch] = inv;
        float a = g[ch] * inv, shift = b[ch] - mu * a;
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * plane;
            Normalize.affine(plane, a, xs, off, shift, taskY, off);
            if (rectify) Relu.forward(plane, taskY, off, taskY, off);
        }
    }

    private void backwardChannel(int ch) {
        int n = taskN, m = n * plane;
        float[] dy = taskDy, xs = taskX, g = gamma.value().data();
        float[] dg = gamma.grad().data(), db = beta.grad().data();
        double sdy = 0, sdyx = 0;
        if (rectify) { // δy ⊙ 1[y > 0], staged where δx goes: the second pass reads it back from cache
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * plane;
                Relu.backwardFromOutput(plane, taskDy, off, taskOut, off, taskDx, off);
            }
            dy = taskDx;
        }
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * plane;
            sdy += Blas1.sum(plane, dy, off);
            sdyx += Blas1.dot(plane, dy, off, xs, off);
        }
        double inv = invStd[ch], dgamma = inv * (sdyx - mean[ch] * sdy);
        db[ch] = (float) sdy;
        dg[ch] = (float) dgamma;
        if (taskDx == null) return;
        // in place when rectified: each element of δy is read before δx overwrites it
        // δx = s·δy + k·x + c0 with s = γ·inv, k = −s·inv·δγ/M, c0 = −s·δβ/M − k·μ
        double s = g[ch] * inv, k = -s * inv * dgamma / m, c0 = -s * sdy / m - k * mean[ch];
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * plane;
            Normalize.affine2(plane, (float) s, dy, off, (float) k, xs, off, (float) c0, taskDx, off);
        }
    }

    @Override
    public void fuseRelu() {
        rectify = true;
    }

    @Override
    public boolean masksOwnGradient() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    /** The running mean and variance: saved with the model, moved by training, not by the optimizer. */
    @Override
    public List<Param> buffers() {
        return List.of(runningMean, runningVar);
    }

    public Param weight() {
        return gamma;
    }

    public Param bias() {
        return beta;
    }

    public float[] runningMean() {
        return runningMean.value().data();
    }

    public float[] runningVar() {
        return runningVar.value().data();
    }

    /**
     * Evaluation mode as an affine map of channel ch: y = a·x + (β − μ·a), a = γ/√(running var + ε),
     * computed in double; what inference folds into a convolution or applies on its own.
     */
    public double evalScale(int ch) {
        return gamma.value().get(ch) / Math.sqrt((double) runningVar()[ch] + EPS);
    }

    @Override
    public BatchNorm2d copy() {
        return new BatchNorm2d(channels);
    }

    @Override
    public String spec() {
        return "batchnorm2d channels=" + (channels != 0 ? channels : c);
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + (channels != 0 ? channels : c == 0 ? "?" : c) + ")" + (rectify ? " + ReLU" : "");
    }
}
