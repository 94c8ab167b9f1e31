package org.panamacnn.nn;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Bias;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.simd.Im2Col;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in the notes and every framework) over NCHW input:
 * z[n,c,i,j] = b[c] + Σ_{c',u,v} W[c,c',u,v]·x[n,c',i·s+u−p, j·s+v−p].
 *
 * <p>Each image is lowered with im2col to cols [cin·kh·kw, oh·ow], so forward is the GEMM
 * W[cout, K]·cols, the weight gradient δZ·colsᵀ and the input gradient col2im(Wᵀ·δZ). A training
 * forward keeps each image's columns for the backward pass (memory for speed: batch·K·plane
 * floats, 14 MB for the default network's second convolution at batch 64). The batch
 * is split into {@link BatchChunks}; each chunk has its own column buffers and partial weight
 * and bias gradients, which are added in chunk order, so results do not depend on the thread count.
 */
public final class Conv2d extends GemmLayer {
    private final int inChannels; // 0: inferred at build
    private final int outChannels, kernel, stride, padding;

    private int cin, h, w, oh, ow, colRows, plane;
    private Shape inShape, outShape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private Chunk[] chunks = new Chunk[0];
    private Tensor input;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskX, taskZ, taskDz, taskDx;
    private int taskBatch, taskCount;
    private boolean taskKeepCols;
    /** Every image's im2col columns from the last training forward: backward reuses them instead of lowering again. */
    private float[] savedCols = new float[0];

    /** A k×k convolution whose input channel count is taken from the input shape. */
    public Conv2d(int outChannels, int kernel, int stride, int padding) {
        this(0, outChannels, kernel, stride, padding);
    }

    /** A k×k convolution that requires inChannels input channels. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        if (inChannels < 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("bad Conv2d(in " + inChannels + ", out " + outChannels + ", kernel "
                    + kernel + ", stride " + stride + ", padding " + padding + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Shape build(Shape in, ParallelExecutor executor) {
        Shapes.requireImage(this, in);
        if (inChannels != 0 && in.dim(0) != inChannels) {
            throw new IllegalArgumentException(describe() + " expects " + inChannels + " input channels but got input " + in);
        }
        cin = in.dim(0);
        h = in.dim(1);
        w = in.dim(2);
        if (h + 2 * padding < kernel || w + 2 * padding < kernel) {
            throw new IllegalArgumentException(describe() + ": a " + kernel + "×" + kernel
                    + " kernel does not fit input " + in + " with padding " + padding);
        }
        oh = Im2Col.outSize(h, kernel, stride, padding);
        ow = Im2Col.outSize(w, kernel, stride, padding);
        colRows = cin * kernel * kernel;
        plane = oh * ow;
        this.executor = executor;
        createParams(Shape.of(outChannels, cin, kernel, kernel), outChannels);
        Shape out = Shape.of(outChannels, oh, ow);
        inShape = in;
        outShape = out;
        output = new BatchBuffer(out);
        inputGrad = new BatchBuffer(in);
        chunks = new Chunk[0];
        return out;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, weight);
        Shapes.requireBatchOf(this, inShape, x);
        int batch = x.batch();
        Tensor z = output.get(batch);
        setTask(batch, x.data(), z.data(), null, null);
        taskKeepCols = training && !isPointwise();
        if (taskKeepCols && savedCols.length < batch * colRows * plane) savedCols = new float[batch * colRows * plane];
        executor.forEach(taskCount, forwardTask);
        input = training ? x : null;
        return z;
    }

    /** What the chunk tasks work on; set before each forEach (fields, not captured, so nothing is allocated). */
    private void setTask(int batch, float[] x, float[] z, float[] dz, float[] dx) {
        taskBatch = batch;
        taskCount = ensureChunks(batch);
        taskX = x;
        taskZ = z;
        taskDz = dz;
        taskDx = dx;
    }

    private void forwardChunk(int c) {
        Chunk chunk = chunks[c];
        float[] x = taskX, z = taskZ;
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        float[] wt = weight.value().data();
        boolean keep = taskKeepCols;
        for (int n = from; n < to; n++) {
            float[] cols = keep ? lower(x, n * cin * h * w, savedCols, n * colRows * plane) : lower(x, n * cin * h * w, chunk.cols, 0);
            int colOff = cols == x ? n * cin * h * w : keep ? n * colRows * plane : 0;
            int zOff = n * outChannels * plane;
            Gemm.gemm(false, false, outChannels, plane, colRows, 1f, wt, 0, colRows,
                    cols, colOff, plane, 0f, z, zOff, plane, addBias, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
        }
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        if (input == null) throw new IllegalStateException(describe() + ": backward without a training forward");
        Shapes.requireBatchOf(this, outShape, gradOut);
        int batch = input.batch();
        if (gradOut.batch() != batch) {
            throw new IllegalArgumentException(describe() + ": gradient batch " + gradOut.batch()
                    + " differs from forward batch " + batch);
        }
        Tensor dx = inputGradient ? inputGrad.get(batch) : null;
        setTask(batch, input.data(), null, gradOut.data(), dx == null ? null : dx.data());
        int count = taskCount;
        executor.forEach(count, backwardTask);
        // Fixed-order reduction of the per-chunk partial gradients.
        float[] dw = weight.grad().data();
        float[] db = bias.grad().data();
        System.arraycopy(chunks[0].dw, 0, dw, 0, weight.size());
        System.arraycopy(chunks[0].db, 0, db, 0, outChannels);
        for (int c = 1; c < count; c++) {
            Blas1.add(weight.size(), chunks[c].dw, 0, dw, 0);
            Blas1.add(outChannels, chunks[c].db, 0, db, 0);
        }
        return dx;
    }

    private void backwardChunk(int c) {
        Chunk chunk = chunks[c];
        float[] x = taskX, dz = taskDz, dx = taskDx;
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        float[] wt = weight.value().data();
        Arrays.fill(chunk.db, 0f);
        for (int n = from; n < to; n++) {
            // The forward kept every image's columns, so they are not lowered again here.
            float[] cols = isPointwise() ? x : savedCols;
            int colOff = isPointwise() ? n * cin * h * w : n * colRows * plane;
            int dzOff = n * outChannels * plane;
            // δW (+)= δZ_n · cols_nᵀ : [cout, plane] × [plane, K]
            Gemm.gemm(false, true, outChannels, colRows, plane, 1f, dz, dzOff, plane,
                    cols, colOff, plane, n == from ? 0f : 1f, chunk.dw, 0, colRows);
            Bias.sumRowsInto(outChannels, plane, dz, dzOff, chunk.db, 0);
            if (dx != null) {
                int dxOff = n * cin * h * w;
                if (isPointwise()) {
                    Gemm.gemm(true, false, colRows, plane, outChannels, 1f, wt, 0, colRows,
                            dz, dzOff, plane, 0f, dx, dxOff, plane);
                } else {
                    // δcols = Wᵀ · δZ_n : [K, cout] × [cout, plane], then folded back onto the image.
                    Gemm.gemm(true, false, colRows, plane, outChannels, 1f, wt, 0, colRows,
                            dz, dzOff, plane, 0f, chunk.dcols, 0, plane);
                    Im2Col.col2im(chunk.dcols, 0, cin, h, w, kernel, kernel, stride, padding, dx, dxOff);
                }
            }
        }
    }

    /** The column matrix of the image at xOff: x itself for a 1×1, stride-1, unpadded kernel, else im2col into buf at bufOff. */
    private float[] lower(float[] x, int xOff, float[] buf, int bufOff) {
        if (isPointwise()) return x;
        Im2Col.im2col(x, xOff, cin, h, w, kernel, kernel, stride, padding, buf, bufOff);
        return buf;
    }

    private boolean isPointwise() {
        return kernel == 1 && stride == 1 && padding == 0;
    }

    private int ensureChunks(int batch) {
        int count = BatchChunks.count(batch);
        if (chunks.length < count) {
            Chunk[] grown = Arrays.copyOf(chunks, count);
            for (int c = chunks.length; c < count; c++) grown[c] = new Chunk(colRows * plane, outChannels * colRows, outChannels);
            chunks = grown;
        }
        return count;
    }

    /** One chunk's working memory. */
    private static final class Chunk {
        final float[] cols, dcols, dw, db;

        Chunk(int colSize, int weightSize, int biasSize) {
            cols = new float[colSize];
            dcols = new float[colSize];
            dw = new float[weightSize];
            db = new float[biasSize];
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

    @Override
    public String spec() {
        return "conv2d in=" + (inChannels != 0 ? inChannels : cin) + " out=" + outChannels + " kernel=" + kernel
                + " stride=" + stride + " pad=" + padding;
    }

    @Override
    public String describe() {
        String in = inChannels == 0 ? (cin == 0 ? "?" : String.valueOf(cin)) : String.valueOf(inChannels);
        return "Conv2d(" + in + "→" + outChannels + ", " + kernel + "×" + kernel + ", stride " + stride
                + ", pad " + padding + ")";
    }
}
