package org.panamacnn.nn;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Bias;
import org.panamacnn.simd.ConvGeometry;
import org.panamacnn.simd.GeneralIm2Col;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The general 2-D convolution, PyTorch's Conv2d with any kernel_size, stride, dilation and
 * padding (and ONNX's Conv with any pads and auto_pad), over NCHW input:
 * z[n,c,i,j] = b[c] + Σ_{c',u,v} W[c,c',u,v]·x[n,c', i·sh + u·dh − top, j·sw + v·dw − left].
 * Weight [cout, cin, kh, kw] and bias [cout] (or bias-free), PyTorch's layout and names.
 *
 * <p>The square, undilated, evenly padded case is {@link Conv2d}'s, which has faster paths;
 * {@link LayerSpec} and the ONNX importer build that one whenever it fits. Here images are
 * lowered by {@link GeneralIm2Col} side by side, a group of them at a time, into cols
 * [cin·kh·kw, images·oh·ow]: forward is W·cols (+ bias, and ReLU once fused, on GEMM's store),
 * the weight gradient δZ·colsᵀ and the input gradient col2im(Wᵀ·δZ), the columns lowered again
 * in backward rather than kept. The batch is split into {@link BatchChunks}, each chunk into
 * groups of the same size every time; each chunk has its own partial weight and bias gradients,
 * added in chunk order ({@link ChunkGradients}), so results do not depend on the thread count.
 */
public final class GeneralConv2d extends GemmLayer {
    /** Columns of one group's GEMM, as {@link Conv2d#GROUP_COLUMNS}: small planes side by side make one wide product. */
    static final int GROUP_COLUMNS = 2048;

    private final int inChannels; // 0: taken from the input shape
    private final int outChannels, kh, kw, sh, sw, dh, dw;
    private final ConvPadding padding;

    private ConvGeometry geometry;
    private int cin, h, w, oh, ow, colRows, plane, group;
    private Shape inShape, outShape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private ChunkGradients chunks = ChunkGradients.none();
    private Tensor input;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskX, taskZ, taskDz, taskDx;
    private int taskBatch, taskCount;

    /**
     * A kh×kw convolution with strides sh×sw, dilations dh×dw and the given padding; inChannels 0
     * takes the channel count from the input shape.
     */
    public GeneralConv2d(int inChannels, int outChannels, int kh, int kw, int sh, int sw, int dh, int dw, ConvPadding padding, boolean bias) {
        if (inChannels < 0 || outChannels <= 0) {
            throw LayerSettings.outOfRange("Conv2d", "in", inChannels, 0, "out", outChannels, 1);
        }
        new ConvGeometry(kh, kw, sh, sw, dh, dw, 0, 0, 0, 0); // refuses a bad kernel, stride or dilation, naming it
        if (padding == null) throw new IllegalArgumentException("Conv2d: padding is null");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.dh = dh;
        this.dw = dw;
        this.padding = padding;
        this.biasFree = !bias;
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
        int[] p = padding.resolve(h, w, (kh - 1) * dh + 1, (kw - 1) * dw + 1, sh, sw);
        try {
            geometry = new ConvGeometry(kh, kw, sh, sw, dh, dw, p[0], p[1], p[2], p[3]);
            oh = geometry.outHeight(h);
            ow = geometry.outWidth(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + " on input " + in + ": " + e.getMessage(), e);
        }
        colRows = cin * kh * kw;
        plane = oh * ow;
        group = Math.max(1, GROUP_COLUMNS / plane);
        executor = context.executor();
        createParams(context, Shape.of(outChannels, cin, kh, kw), outChannels);
        inShape = in;
        outShape = Shape.of(outChannels, oh, ow);
        output = new BatchBuffer(outShape);
        inputGrad = context.gradientBuffer(in);
        chunks = context.chunkGradients(weight.size(), outChannels);
        return outShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, weight);
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
        executor.forEach(taskCount, backwardTask);
        chunks.sumInto(taskCount, weight.grad().data(), bias.grad().data()); // in chunk order
        return dx;
    }

    /** What the chunk tasks work on: fields, not captures, so a call allocates nothing. */
    private void setTask(int batch, float[] x, float[] z, float[] dz, float[] dx) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        chunks.ensure(taskCount);
        taskX = x;
        taskZ = z;
        taskDz = dz;
        taskDx = dx;
    }

    private void forwardChunk(int c) {
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        GeneralConvScratch scratch = GeneralConvScratch.forCurrentThread();
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0), cols = images * plane, zOff = g0 * outChannels * plane;
            float[] colBuf = lower(taskX, g0, images, scratch);
            // Z_group [cout, images·plane] = W · cols + bias: straight into Z for one image, else in scratch, then each image's block to its place
            float[] zg = images == 1 ? taskZ : (scratch.out = GeneralConvScratch.atLeast(scratch.out, outChannels * cols));
            Gemm.gemm(false, false, outChannels, cols, colRows, 1f, weight.value().data(), 0, colRows, colBuf, 0, cols,
                    0f, zg, images == 1 ? zOff : 0, cols, addBias, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
            if (images > 1) copyGroup(false, taskZ, zOff, zg, images);
        }
    }

    private void backwardChunk(int c) {
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        float[] chunkDw = chunks.weight(c), chunkDb = chunks.bias(c), wt = weight.value().data();
        GeneralConvScratch scratch = GeneralConvScratch.forCurrentThread();
        Arrays.fill(chunkDb, 0, outChannels, 0f);
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0), cols = images * plane;
            float[] colBuf = lower(taskX, g0, images, scratch);
            float[] dzg = taskDz;
            int dzOff = g0 * outChannels * plane;
            if (images > 1) { // δZ_group [cout, images·plane], the layout of the columns
                dzg = scratch.out = GeneralConvScratch.atLeast(scratch.out, outChannels * cols);
                copyGroup(true, taskDz, dzOff, dzg, images);
                dzOff = 0;
            }
            // δW (+)= δZ_group · colsᵀ : [cout, images·plane] × [images·plane, K]
            Gemm.gemm(false, true, outChannels, colRows, cols, 1f, dzg, dzOff, cols, colBuf, 0, cols,
                    g0 == from ? 0f : 1f, chunkDw, 0, colRows);
            Bias.sumRowsInto(outChannels, cols, dzg, dzOff, chunkDb, 0);
            if (taskDx == null) continue;
            // δcols = Wᵀ · δZ_group : [K, cout] × [cout, images·plane], then each image folded back
            float[] dcols = scratch.grad = GeneralConvScratch.atLeast(scratch.grad, colRows * cols);
            Gemm.gemm(true, false, colRows, cols, outChannels, 1f, wt, 0, colRows, dzg, dzOff, cols, 0f, dcols, 0, cols);
            for (int i = 0; i < images; i++) {
                GeneralIm2Col.col2im(geometry, dcols, i * plane, cols, cin, h, w, taskDx, (g0 + i) * cin * h * w);
            }
        }
    }

    /** The column matrix [K, images·plane] of images g0 .. g0 + images, lowered side by side into the thread's scratch. */
    private float[] lower(float[] x, int g0, int images, GeneralConvScratch scratch) {
        int cols = images * plane;
        float[] colBuf = scratch.cols = GeneralConvScratch.atLeast(scratch.cols, colRows * cols);
        for (int i = 0; i < images; i++) GeneralIm2Col.im2col(geometry, x, (g0 + i) * cin * h * w, cin, h, w, colBuf, i * plane, cols);
        return colBuf;
    }

    /**
     * Moves a group of output-sized images between the batch layout (image i's [cout, plane]
     * block at batchOff + i·cout·plane) and the group matrix [cout, images·plane]: into the
     * group matrix when toGroup, else out of it.
     */
    private void copyGroup(boolean toGroup, float[] batch, int batchOff, float[] group, int images) {
        int cols = images * plane;
        for (int i = 0; i < images; i++) {
            for (int co = 0; co < outChannels; co++) {
                int b = batchOff + (i * outChannels + co) * plane, g = co * cols + i * plane;
                if (toGroup) System.arraycopy(batch, b, group, g, plane);
                else System.arraycopy(group, g, batch, b, plane);
            }
        }
    }

    @Override
    GemmEpilogue epilogue(float[] bias, boolean relu) {
        return GemmEpilogue.rowBias(bias, 0, relu);
    }

    @Override
    int fanIn() {
        return colRows;
    }

    /** Input channels (known once built, or as given). */
    public int inChannels() {
        return cin != 0 ? cin : inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The window with its padding resolved for the input (null before build). */
    public ConvGeometry geometry() {
        return geometry;
    }

    public ConvPadding padding() {
        return padding;
    }

    public boolean hasBias() {
        return !biasFree;
    }

    @Override
    public GeneralConv2d copy() {
        return new GeneralConv2d(inChannels, outChannels, kh, kw, sh, sw, dh, dw, padding, !biasFree);
    }

    @Override
    public String spec() {
        int in = inChannels();
        return "conv2d " + (in != 0 ? "in=" + in + " " : "") + "out=" + outChannels + " kernel=" + pair(kh, kw) + " stride=" + pair(sh, sw)
                + " dilation=" + pair(dh, dw) + " pad=" + padding.spec() + (biasFree ? " bias=false" : "");
    }

    @Override
    public String describe() {
        int in = inChannels();
        return "Conv2d(" + (in == 0 ? "?" : String.valueOf(in)) + "→" + outChannels + ", " + kh + "×" + kw + ", stride " + sh + "×" + sw
                + (dh != 1 || dw != 1 ? ", dilation " + dh + "×" + dw : "") + ", pad " + padding.spec() + (biasFree ? ", no bias" : "") + ")";
    }

    /** "a" when both are equal, else "a,b". */
    private static String pair(int a, int b) {
        return a == b ? String.valueOf(a) : a + "," + b;
    }
}
