package org.panamacnn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Bias;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.Im2Col;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * PyTorch's ConvTranspose2d(cin, cout, k, stride, padding, output_padding, bias) (groups 1,
 * dilation 1), the upsampling layer of U-Nets and decoders: output (h − 1)·s − 2p + k + op. It is
 * the adjoint of a convolution from the output's size to the input's (kernel k, stride s, padding
 * p), so each image is that convolution's backward run forward, with the weight W [cin, cout, k, k]
 * read as the matrix [cin, cout·k·k]:
 * <pre>
 * forward:      y = col2im(Wᵀ·x) + b                    (GEMM [cout·k², cin]·[cin, h·w], then col2im)
 * input grad:   δx = W·im2col(δy)                       (a convolution's forward)
 * weight grad:  δW = x·im2col(δy)ᵀ;  δb = Σ δy
 * </pre>
 * The output_padding rows and columns at the bottom and right are reached by no window: they hold
 * the bias. Image by image over the batch chunks, each chunk with its own partial weight and bias
 * gradients added in chunk order, so results do not depend on the thread count. Saved names are
 * PyTorch's (weight, bias), so model files load into nn.ConvTranspose2d.
 */
public final class ConvTranspose2d implements Layer {
    /** Largest stride, kernel and output padding accepted (a spec or file cannot ask for a huge output). */
    public static final int MAX_SETTING = 64;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private final int inChannels, outChannels, kernel, stride, padding, outputPadding;
    private final boolean hasBias;
    private int cin, h, w, oh, ow, colRows;
    private Param weight, bias;
    private Shape inShape, outShape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private ChunkGradients chunks = ChunkGradients.none();
    private Tensor input;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskX, taskY, taskDy, taskDx;
    private int taskBatch, taskCount;

    /** inChannels 0: taken from the input shape. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding, boolean bias) {
        if (inChannels < 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || outputPadding < 0) {
            throw LayerSettings.outOfRange("ConvTranspose2d", "in", inChannels, 0, "out", outChannels, 1, "kernel", kernel, 1,
                    "stride", stride, 1, "pad", padding, 0, "output_pad", outputPadding, 0);
        }
        if (kernel > MAX_SETTING || stride > MAX_SETTING || padding > MAX_SETTING) {
            throw new IllegalArgumentException("ConvTranspose2d: kernel " + kernel + ", stride " + stride + " and pad " + padding
                    + " must be at most " + MAX_SETTING);
        }
        if (outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: output_pad " + outputPadding + " must be less than the stride " + stride
                    + " (as PyTorch requires)");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.hasBias = bias;
    }

    /** (in − 1)·stride − 2·pad + kernel + outputPad. */
    public static int outSize(int in, int kernel, int stride, int pad, int outputPad) {
        return (in - 1) * stride - 2 * pad + kernel + outputPad;
    }

    @Override
    public Shape build(Shape in, BuildContext context) {
        Shapes.requireImage(this, in);
        if (inChannels != 0 && in.dim(0) != inChannels) {
            throw new IllegalArgumentException(describe() + " expects " + inChannels + " input channels but got input " + in);
        }
        cin = in.dim(0);
        h = in.dim(1);
        w = in.dim(2);
        oh = outSize(h, kernel, stride, padding, outputPadding);
        ow = outSize(w, kernel, stride, padding, outputPadding);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(describe() + " on input " + in + " gives an empty output " + oh + "×" + ow);
        }
        colRows = outChannels * kernel * kernel;
        weight = context.param("weight", Shape.of(cin, outChannels, kernel, kernel));
        bias = hasBias ? context.param("bias", Shape.of(outChannels)) : context.zeros("bias", Shape.of(outChannels));
        executor = context.executor();
        inShape = in;
        outShape = Shape.of(outChannels, oh, ow);
        output = new BatchBuffer(outShape);
        inputGrad = context.gradientBuffer(in);
        chunks = context.chunkGradients(weight.size(), outChannels);
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        Tensor y = output.get(x.batch());
        setTask(x.batch(), x.data(), y.data(), null, null);
        executor.forEach(taskCount, forwardTask);
        input = training ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), outShape, gradOut);
        Tensor dx = inputGradient ? inputGrad.get(batch) : null;
        setTask(batch, input.data(), null, gradOut.data(), dx == null ? null : dx.data());
        int count = taskCount;
        chunks.ensure(count);
        executor.forEach(count, backwardTask);
        chunks.sumInto(count, weight.grad().data(), bias.grad().data());
        if (!hasBias) Arrays.fill(bias.grad().data(), 0f);
        return dx;
    }

    /** What the chunk tasks work on: fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] x, float[] y, float[] dy, float[] dx) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskX = x;
        taskY = y;
        taskDy = dy;
        taskDx = dx;
    }

    /** The calling thread's column matrix [cout·k², h·w], grown on demand. */
    private float[] columns() {
        float[][] s = SCRATCH.get();
        int size = colRows * h * w;
        if (s[0].length < size) s[0] = new float[size];
        return s[0];
    }

    private void forwardChunk(int c) {
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        int plane = h * w, outPlane = oh * ow;
        float[] wt = weight.value().data(), b = bias.value().data(), cols = columns();
        for (int n = from; n < to; n++) {
            // cols [cout·k², h·w] = Wᵀ · x_n, then folded into the output plane by col2im (which zeroes it first)
            Gemm.gemm(true, false, colRows, plane, cin, 1f, wt, 0, colRows, taskX, n * cin * plane, plane, 0f, cols, 0, plane);
            Im2Col.col2im(cols, 0, plane, outChannels, oh, ow, kernel, kernel, stride, padding, taskY, n * outChannels * outPlane);
            if (hasBias) Bias.addPerRow(outChannels, outPlane, b, 0, taskY, n * outChannels * outPlane);
        }
    }

    private void backwardChunk(int c) {
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        int plane = h * w, outPlane = oh * ow;
        float[] dw = chunks.weight(c), db = chunks.bias(c), wt = weight.value().data(), cols = columns();
        Arrays.fill(db, 0, outChannels, 0f);
        for (int n = from; n < to; n++) {
            int dyOff = n * outChannels * outPlane, xOff = n * cin * plane;
            // im2col(δy_n) [cout·k², h·w]: the output plane seen through the windows of the convolution this layer is the adjoint of
            Im2Col.im2col(taskDy, dyOff, outChannels, oh, ow, kernel, kernel, stride, padding, cols, 0, plane);
            // δW (+)= x_n [cin, h·w] · colsᵀ
            Gemm.gemm(false, true, cin, colRows, plane, 1f, taskX, xOff, plane, cols, 0, plane, n == from ? 0f : 1f, dw, 0, colRows);
            Bias.sumRowsInto(outChannels, outPlane, taskDy, dyOff, db, 0);
            // δx_n = W [cin, cout·k²] · cols
            if (taskDx != null) Gemm.gemm(false, false, cin, plane, colRows, 1f, wt, 0, colRows, cols, 0, plane, 0f, taskDx, xOff, plane);
        }
        if (from == to) Arrays.fill(dw, 0, weight.size(), 0f);
    }

    @Override
    public List<Param> params() {
        return hasBias ? List.of(weight, bias) : List.of(weight);
    }

    /** He normal over the inputs one output pixel sums on average: cin·k²/s². */
    @Override
    public void initialize(SplittableRandom random) {
        Init.heNormal(weight.value().data(), weight.size(), Math.max(1, cin * kernel * kernel / (stride * stride)), random);
        Arrays.fill(bias.value().data(), 0f);
    }

    public Param weight() {
        return weight;
    }

    /** The bias; all zeros, and not trained, when the layer is bias-free. */
    public Param bias() {
        return bias;
    }

    public boolean hasBias() {
        return hasBias;
    }

    /** Input channels (known once built). */
    public int inChannels() {
        return cin != 0 ? cin : inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int outputPadding() {
        return outputPadding;
    }

    @Override
    public ConvTranspose2d copy() {
        return new ConvTranspose2d(inChannels, outChannels, kernel, stride, padding, outputPadding, hasBias);
    }

    @Override
    public String spec() {
        int in = inChannels();
        return "convtranspose2d " + (in != 0 ? "in=" + in + " " : "") + "out=" + outChannels + " kernel=" + kernel + " stride=" + stride
                + " pad=" + padding + (outputPadding != 0 ? " output_pad=" + outputPadding : "") + (hasBias ? "" : " bias=false");
    }

    @Override
    public String describe() {
        int in = inChannels();
        return "ConvTranspose2d(" + (in == 0 ? "?" : String.valueOf(in)) + "→" + outChannels + ", " + kernel + "×" + kernel + ", stride " + stride
                + ", pad " + padding + (outputPadding != 0 ? ", output pad " + outputPadding : "") + (hasBias ? "" : ", no bias") + ")";
    }
}
