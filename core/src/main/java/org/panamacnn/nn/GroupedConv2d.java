package org.panamacnn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Bias;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.GroupedConv;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A grouped convolution, PyTorch's Conv2d(cin, cout, k, stride, padding, groups=G, bias): the
 * input channels split into G groups, each convolved with its own cout/G filters of cin/G
 * channels; G = cin is the depthwise convolution of MobileNet and EfficientNet. Weight
 * [cout, cin/G, k, k] (PyTorch's layout and name), bias [cout] unless bias-free. Computed
 * directly ({@link GroupedConv}) image by image over the batch chunks; each chunk has its own
 * partial weight and bias gradients, added in chunk order, so results do not depend on the
 * thread count.
 */
public final class GroupedConv2d implements Layer {
    private final int inChannels, outChannels, kernel, stride, padding, groups;
    private final boolean hasBias;
    private GroupedConv.Shape geometry;
    private Param weight, bias;
    private Shape inShape, outShape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private ChunkGradients chunks = ChunkGradients.none();
    private Tensor input;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskX, taskZ, taskDz, taskDx;
    private int taskBatch, taskCount;

    /** inChannels 0: taken from the input shape (it must then be a multiple of groups). */
    public GroupedConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, boolean bias) {
        if (inChannels < 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || groups <= 0
                || outChannels % groups != 0 || inChannels % groups != 0) {
            throw new IllegalArgumentException("bad grouped Conv2d(in " + inChannels + ", out " + outChannels + ", kernel " + kernel
                    + ", stride " + stride + ", padding " + padding + ", groups " + groups + "): groups must divide in and out");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.hasBias = bias;
    }

    @Override
    public Shape build(Shape in, BuildContext context) {
        Shapes.requireImage(this, in);
        if (inChannels != 0 && in.dim(0) != inChannels) {
            throw new IllegalArgumentException(describe() + " expects " + inChannels + " input channels but got input " + in);
        }
        try {
            geometry = GroupedConv.Shape.of(in.dim(0), in.dim(1), in.dim(2), groups, outChannels, kernel, stride, padding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + " on input " + in + ": " + e.getMessage(), e);
        }
        weight = context.param("weight", Shape.of(outChannels, in.dim(0) / groups, kernel, kernel));
        bias = hasBias ? context.param("bias", Shape.of(outChannels)) : context.zeros("bias", Shape.of(outChannels));
        this.executor = context.executor();
        inShape = in;
        outShape = Shape.of(outChannels, geometry.oh(), geometry.ow());
        output = new BatchBuffer(outShape);
        inputGrad = context.gradientBuffer(in);
        chunks = context.chunkGradients(weight.size(), outChannels);
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, geometry);
        Shapes.requireBatchOf(this, inShape, x);
        Tensor z = output.get(x.batch());
        setTask(x.batch(), x.data(), z.data(), null, null);
        executor.forEach(taskCount, forwardTask);
        input = training ? x : null;
        return z;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), outShape, gradOut);
        Tensor dx = inputGradient ? inputGrad.get(batch) : null;
        setTask(batch, input.data(), null, gradOut.data(), dx == null ? null : dx.data());
        int count = taskCount;
        chunks.ensure(count);
        executor.forEach(count, backwardTask);
        float[] dw = weight.grad().data(), db = bias.grad().data();
        chunks.sumInto(count, dw, db);
        if (!hasBias) Arrays.fill(db, 0f);
        return dx;
    }

    /** What the chunk tasks work on: fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] x, float[] z, float[] dz, float[] dx) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskX = x;
        taskZ = z;
        taskDz = dz;
        taskDx = dx;
    }

    private void forwardChunk(int c) {
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        int in = inShape.size(), out = outShape.size();
        float[] w = weight.value().data(), b = hasBias ? bias.value().data() : null;
        for (int n = from; n < to; n++) GroupedConv.forward(geometry, taskX, n * in, w, 0, b, taskZ, n * out);
    }

    private void backwardChunk(int c) {
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        int in = inShape.size(), out = outShape.size(), plane = geometry.oh() * geometry.ow();
        float[] dw = chunks.weight(c), db = chunks.bias(c), w = weight.value().data();
        Arrays.fill(dw, 0, weight.size(), 0f);
        Arrays.fill(db, 0, outChannels, 0f);
        for (int n = from; n < to; n++) {
            GroupedConv.accumulateWeightGradient(geometry, taskX, n * in, taskDz, n * out, dw, 0);
            Bias.sumRowsInto(outChannels, plane, taskDz, n * out, db, 0);
            if (taskDx != null) GroupedConv.inputGradient(geometry, taskDz, n * out, w, 0, taskDx, n * in);
        }
    }

    @Override
    public List<Param> params() {
        return hasBias ? List.of(weight, bias) : List.of(weight);
    }

    @Override
    public void initialize(SplittableRandom random) {
        Init.heNormal(weight.value().data(), weight.size(), weight.size() / outChannels, random);
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
        return geometry == null ? inChannels : geometry.cin();
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

    public int groups() {
        return groups;
    }

    @Override
    public GroupedConv2d copy() {
        return new GroupedConv2d(inChannels, outChannels, kernel, stride, padding, groups, hasBias);
    }

    @Override
    public String spec() {
        int in = inChannels();
        return "conv2d " + (in != 0 ? "in=" + in + " " : "") + "out=" + outChannels + " kernel=" + kernel + " stride=" + stride
                + " pad=" + padding + " groups=" + groups + (hasBias ? "" : " bias=false");
    }

    @Override
    public String describe() {
        int in = inChannels();
        return "Conv2d(" + (in == 0 ? "?" : String.valueOf(in)) + "→" + outChannels + ", " + kernel + "×" + kernel + ", stride " + stride
                + ", pad " + padding + ", groups " + groups + (hasBias ? "" : ", no bias") + ")";
    }
}
