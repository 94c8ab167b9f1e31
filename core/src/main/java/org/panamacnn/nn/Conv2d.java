package org.panamacnn.nn;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Bias;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.ConvWeightGradient;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;
import org.panamacnn.simd.ImageColumns;
import org.panamacnn.simd.ImageTaps;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.simd.Im2Col;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.BufferArena;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in the notes and every framework) over NCHW input:
 * z[n,c,i,j] = b[c] + Σ_{c',u,v} W[c,c',u,v]·x[n,c',i·s+u−p, j·s+v−p].
 *
 * <p>Images are lowered with im2col side by side, a group of them at a time, into cols
 * [cin·kh·kw, images·oh·ow], so forward is the GEMM W[cout, K]·cols (then each image's block
 * is copied to its place in the NCHW output), the weight gradient δZ·colsᵀ and the input
 * gradient col2im(Wᵀ·δZ). A stride-1 "same" convolution (odd k, padding (k − 1)/2) writes no
 * columns at all: the GEMM packs them straight from the images ({@link ImageColumns}), and its input
 * gradient is the same kind of convolution of δZ, with each kernel flipped and the channel axes
 * swapped, δx[c] = Σ_{c'} rot180(W[c', c]) ⋆ δZ[c'], so it needs no col2im either. The weight
 * gradient δW = δZ·colsᵀ needs the columns transposed (a pixel per row); when the input channels
 * are whole blocks of the GEMM's panel width it takes them from a channel-blocked copy of each
 * group's images ({@link ImageTaps}: one transposing pass, then plain copies per pixel and tap)
 * into a tap-major δW, reordered once per backward. (Packing those transposed columns straight
 * from NCHW images was slower than lowering them: a panel of NR rows covers too few channels to
 * pay for each tap's mask.) Otherwise backward lowers each
 * group again, for the weight gradient, into the thread's scratch instead of
 * keeping every image's columns from the forward pass (which took batch·K·plane floats, 14 MB
 * for the default network's second convolution at batch 64, and was slower: see the README).
 * The batch is split into {@link BatchChunks} and each chunk into groups of the same size every
 * time; each chunk has its own partial weight and bias gradients, added in chunk order, so
 * results do not depend on the thread count.
 */
public final class Conv2d extends GemmLayer {
    /**
     * Columns of one group's GEMM. A 14×14 plane alone gives a 196-column product whose A
     * packing, call overhead and 4-column edge tile cost a quarter of its time (54 GFLOP/s on one
     * core); 8 images side by side (1,568 columns) run at 72 GFLOP/s.
     */
    static final int GROUP_COLUMNS = 2048;
    /**
     * Largest cin·k·k whose weight gradient is computed directly ({@link ConvWeightGradient}) for
     * a stride-1 layer: the GEMM δZ·colsᵀ has only that many columns. Measured on Zen 5
     * (DirectConvBenchmark, batch 64, one thread): 1→32 on 28×28 (K = 9) and 3→16 on 32×32
     * (K = 27) both faster directly; at 32 input channels (K = 288) GEMM is at 75% of peak.
     */
    static final int DIRECT_WEIGHT_GRADIENT_MAX_K = 27;
    /**
     * Fewest input (forward) and output (input gradient) channels for {@link ImageColumns}: the
     * packer makes each tap's mask once per vector and uses it for every channel, so with one or
     * three channels (a first layer) the masks cost more than the im2col copy they save; measured
     * slower at 256 bits on such layers (docs/results).
     */
    static final int IMAGE_COLUMNS_MIN_CHANNELS = 8;
    private final int inChannels; // 0: inferred at build
    private final int outChannels, kernel, stride, padding;

    private int cin, h, w, oh, ow, colRows, plane;
    /** Images lowered side by side into one column matrix, so one GEMM covers about {@link #GROUP_COLUMNS} columns. */
    private int group;
    /**
     * How δW is computed: one way chosen at build ({@link WeightGradientPath#DIRECT},
     * {@link WeightGradientPath#COLUMNS} or {@link WeightGradientPath#CHUNK_TAPS}), and this
     * backward's, which may turn chunk taps into {@link WeightGradientPath#BATCH_TAPS}.
     */
    private WeightGradientPath builtPath = WeightGradientPath.COLUMNS, path = WeightGradientPath.COLUMNS;
    /** Forward and input gradient from {@link ImageColumns} (a stride-1 same convolution; see the class comment). */
    private boolean imageColumns;
    /** δW summed over the chunks in the tap-major order [cout][u][v][cin] of {@link ImageTaps}, before reordering. */
    private float[] tapMajor = new float[0];
    /** The whole batch channel-blocked, and δZ as [cout, batch·plane], for {@link WeightGradientPath#BATCH_TAPS} (arrays lent by the arena). */
    private BatchBuffer batchBlocked, batchDz;
    private final ImageTaps batchTaps = new ImageTaps();
    private BufferArena gradients = new BufferArena();
    private float[] taskBlocked, taskBatchDz;
    /** W' [cin, cout·k·k] with W'[c, (c', u, v)] = W[c', c, k−1−u, k−1−v]: the input gradient's kernels, made per backward. */
    private float[] flipped = new float[0];
    private Shape inShape, outShape;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private ChunkGradients chunks = ChunkGradients.none();
    private Tensor input;
    /** The max-pool (after a fused ReLU) the last forward pooled each group into ({@link #forwardPooled}); null when none. */
    private MaxPool2d pool;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskX, taskZ, taskDz, taskDx;
    private int taskBatch, taskCount;

    /** A k×k convolution whose input channel count is taken from the input shape. */
    public Conv2d(int outChannels, int kernel, int stride, int padding) {
        this(0, outChannels, kernel, stride, padding);
    }

    /** A k×k convolution that requires inChannels input channels (0: any), with a bias or bias-free (PyTorch's bias=False). */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, kernel, stride, padding);
        biasFree = !bias;
    }

    /** A k×k convolution that requires inChannels input channels. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        if (inChannels < 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw LayerSettings.outOfRange("Conv2d", "in", inChannels, 0, "out", outChannels, 1, "kernel", kernel, 1, "stride", stride, 1,
                    "pad", padding, 0);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
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
        if (h + 2 * padding < kernel || w + 2 * padding < kernel) {
            throw new IllegalArgumentException(describe() + ": a " + kernel + "×" + kernel
                    + " kernel does not fit input " + in + " with padding " + padding);
        }
        oh = Im2Col.outSize(h, kernel, stride, padding);
        ow = Im2Col.outSize(w, kernel, stride, padding);
        colRows = cin * kernel * kernel;
        plane = oh * ow;
        group = isPointwise() ? 1 : Math.max(1, GROUP_COLUMNS / plane);
        boolean direct = stride == 1 && !isPointwise() && colRows <= DIRECT_WEIGHT_GRADIENT_MAX_K
                && ConvWeightGradient.supports(w, kernel, padding)
                && !context.options().gemmWeightGradient();
        imageColumns = !isPointwise() && ImageColumns.supports(kernel, stride, padding) && context.options().imageColumns()
                && cin >= IMAGE_COLUMNS_MIN_CHANNELS && outChannels >= IMAGE_COLUMNS_MIN_CHANNELS;
        builtPath = direct ? WeightGradientPath.DIRECT
                : !isPointwise() && ImageTaps.supports(cin) && context.options().imageTaps() ? WeightGradientPath.CHUNK_TAPS
                : WeightGradientPath.COLUMNS;
        path = builtPath;
        this.executor = context.executor();
        createParams(context, Shape.of(outChannels, cin, kernel, kernel), outChannels);
        flipped = imageColumns ? new float[weight.size()] : new float[0];
        tapMajor = builtPath == WeightGradientPath.CHUNK_TAPS ? new float[weight.size()] : new float[0];
        Shape out = Shape.of(outChannels, oh, ow);
        inShape = in;
        outShape = out;
        output = new BatchBuffer(out);
        inputGrad = context.gradientBuffer(in);
        batchBlocked = context.gradientBuffer(in);
        batchDz = context.gradientBuffer(out);
        gradients = context.gradientArena();
        chunks = context.chunkGradients(weight.size(), outChannels);
        return out;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forward(x, training, null);
    }

    /**
     * forward, then pool's forward on its output (pool follows this layer through a fused ReLU):
     * each group's output is pooled from the thread's scratch while it is in cache, into the
     * pool's output and arg-maxes, so the full-size activation is never written to memory and
     * read back (the same values: max-pooling the rectified GEMM output either way). Returns the
     * pooled output; {@link #backwardPooled} is its backward.
     */
    Tensor forwardPooled(Tensor x, boolean training, MaxPool2d pool) {
        Tensor y = forward(x, training, pool);
        pool.pooledByConvolution(y, training);
        return y;
    }

    private Tensor forward(Tensor x, boolean training, MaxPool2d pool) {
        Shapes.requireBuilt(this, weight);
        Shapes.requireBatchOf(this, inShape, x);
        int batch = x.batch();
        this.pool = pool;
        Tensor z = pool != null ? pool.outputFor(batch) : output.get(batch);
        setTask(batch, x.data(), z.data(), null, null);
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
        float[] x = taskX, z = taskZ;
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        ConvScratch scratch = ConvScratch.forCurrentThread();
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0), cols = images * plane;
            int zOff = g0 * outChannels * plane;
            if (pool != null) { // Z_group in scratch, each of its planes pooled into the pool's output
                float[] zg = scratch.out = ConvScratch.atLeast(scratch.out, outChannels * cols);
                gemmForward(x, g0, images, scratch, zg, 0);
                for (int co = 0; co < outChannels; co++) {
                    for (int i = 0; i < images; i++) pool.poolPlane(zg, co * cols + i * plane, z, g0 + i, co, from);
                }
            } else if (images == 1) {
                gemmForward(x, g0, images, scratch, z, zOff);
            } else { // Z_group [cout, images·plane], then each image's [cout, plane] block to its place
                float[] zg = scratch.out = ConvScratch.atLeast(scratch.out, outChannels * cols);
                gemmForward(x, g0, images, scratch, zg, 0);
                copyGroup(false, z, zOff, zg, images, outChannels);
            }
        }
    }

    /**
     * δZ of images g0 .. g0 + images (of the chunk from image first) unpooled by the pool inside
     * from dy, the gradient of the pooled output, into dst: as the group matrix [cout,
     * images·plane] when grouped, else in the batch layout [images, cout, plane].
     */
    private void unpoolImages(float[] dy, float[] dst, int g0, int images, boolean grouped, int first) {
        int cols = images * plane;
        for (int i = 0; i < images; i++) {
            for (int co = 0; co < outChannels; co++) {
                pool.unpoolPlane(dy, dst, grouped ? co * cols + i * plane : (i * outChannels + co) * plane, g0 + i, co, first);
            }
        }
    }

    /**
     * Moves a group of images of the output plane's size between the batch's layout (image i's
     * [channels, plane] block at batchOff + i·channels·plane) and the group matrix [channels,
     * images·plane]: into the group matrix when toGroup, else out of it.
     */
    private void copyGroup(boolean toGroup, float[] batch, int batchOff, float[] group, int images, int channels) {
        int cols = images * plane;
        for (int i = 0; i < images; i++) {
            for (int co = 0; co < channels; co++) {
                int b = batchOff + (i * channels + co) * plane, g = co * cols + i * plane;
                if (toGroup) System.arraycopy(batch, b, group, g, plane);
                else System.arraycopy(group, g, batch, b, plane);
            }
        }
    }

    /** C[cout, images·plane] = W · cols(images g0 ..) + bias, ReLU when fused: from the images themselves, or lowered first. */
    private void gemmForward(float[] x, int g0, int images, ConvScratch scratch, float[] c, int cOff) {
        int ld = images * plane;
        GemmWorkspace ws = GemmWorkspace.forCurrentThread();
        if (imageColumns) {
            ImageColumns cols = scratch.columns.set(x, g0 * cin * h * w, cin * h * w, h * w, images, cin, h, w, kernel);
            Gemm.gemm(outChannels, 1f, weight.value().data(), 0, colRows, cols, 0f, c, cOff, ld, addBias, ws, TaskRunner.SERIAL);
        } else {
            Gemm.gemm(false, false, outChannels, ld, colRows, 1f, weight.value().data(), 0, colRows,
                    lowerGroup(x, g0, images, scratch), columnsOffset(g0), ld, 0f, c, cOff, ld, addBias, ws, TaskRunner.SERIAL);
        }
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        if (pool != null) {
            throw new IllegalStateException(describe() + ": the last forward was pooled, so its backward is backwardPooled");
        }
        return backwardOf(gradOut, inputGradient, outShape);
    }

    /** The backward of {@link #forwardPooled}: gradOut is the gradient of the pooled output, unpooled here group by group. */
    Tensor backwardPooled(Tensor gradOut, boolean inputGradient, MaxPool2d pool) {
        if (this.pool != pool) {
            throw new IllegalStateException(describe() + ": the last forward was not pooled by " + pool.describe());
        }
        return backwardOf(gradOut, inputGradient, pool.outputShape());
    }

    private Tensor backwardOf(Tensor gradOut, boolean inputGradient, Shape gradShape) {
        int batch = Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), gradShape, gradOut);
        Tensor dx = inputGradient ? inputGrad.get(batch) : null;
        if (dx != null && imageColumns) flipKernels(weight.value().data(), flipped);
        setTask(batch, input.data(), null, gradOut.data(), dx == null ? null : dx.data());
        int count = taskCount;
        path = builtPath == WeightGradientPath.CHUNK_TAPS && WeightGradientPath.wholeBatchPays(weight.size(), count, cin * h * w + outChannels * plane, batch)
                ? WeightGradientPath.BATCH_TAPS : builtPath;
        if (path == WeightGradientPath.BATCH_TAPS) {
            taskBlocked = batchBlocked.get(batch).data();
            taskBatchDz = batchDz.get(batch).data();
        }
        executor.forEach(count, backwardTask);
        float[] dw = weight.grad().data();
        float[] db = bias.grad().data();
        if (path == WeightGradientPath.BATCH_TAPS) { // δW = δZ · taps over the whole batch: each thread its own columns, so no partials to add
            int pixels = batch * plane;
            ImageTaps taps = batchTaps.set(taskBlocked, 0, batch, cin, h, w, kernel, stride, padding);
            Gemm.gemm(outChannels, 1f, taskBatchDz, 0, pixels, taps, 0f, tapMajor, 0, colRows,
                    GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), executor);
            chunks.sumBiasInto(count, db);
            gradients.giveBack(taskBlocked);
            gradients.giveBack(taskBatchDz);
            taskBlocked = taskBatchDz = null;
        } else { // fixed-order reduction of the per-chunk partial gradients
            chunks.sumInto(count, path.tapMajor() ? tapMajor : dw, db);
        }
        if (path.tapMajor()) fromTapMajor(tapMajor, dw);
        return dx;
    }

    /** dw[c', c, u, v] = tapMajor[c', u, v, c]: {@link ImageTaps}' order back to the weights'. Writes dw. */
    private void fromTapMajor(float[] tapMajor, float[] dw) {
        int kk = kernel * kernel;
        for (int co = 0; co < outChannels; co++) {
            int base = co * cin * kk;
            for (int t = 0; t < kk; t++) {
                int src = base + t * cin;
                for (int ci = 0; ci < cin; ci++) dw[base + ci * kk + t] = tapMajor[src + ci];
            }
        }
    }

    private void backwardChunk(int c) {
        float[] chunkDw = chunks.weight(c), chunkDb = chunks.bias(c);
        float[] x = taskX, dz = taskDz, dx = taskDx;
        int from = BatchChunks.start(c, taskCount, taskBatch), to = BatchChunks.start(c + 1, taskCount, taskBatch);
        float[] wt = weight.value().data();
        ConvScratch scratch = ConvScratch.forCurrentThread();
        Arrays.fill(chunkDb, 0, outChannels, 0f);
        if (path == WeightGradientPath.DIRECT) { // few input channels: the chunk's weight gradient in one pass, no columns
            scratch.work = ConvScratch.atLeast(scratch.work, ConvWeightGradient.workLength(to - from, cin, h, w, kernel, padding));
            float[] dzc = dz;
            int dzcOff = from * outChannels * plane;
            if (pool != null) { // the chunk's δZ unpooled into scratch, in the batch layout
                dzc = scratch.out = ConvScratch.atLeast(scratch.out, (to - from) * outChannels * plane);
                dzcOff = 0;
                unpoolImages(dz, dzc, from, to - from, false, from);
            }
            ConvWeightGradient.compute(to - from, x, from * cin * h * w, cin, h, w, kernel, padding,
                    dzc, dzcOff, outChannels, chunkDw, 0, scratch.work);
            for (int n = 0; n < to - from; n++) Bias.sumRowsInto(outChannels, plane, dzc, dzcOff + n * outChannels * plane, chunkDb, 0);
            if (dx == null) return;  // else the groups below unpool δZ again for the input gradient
        }
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0), cols = images * plane;
            // The group's columns are lowered again rather than kept from the forward pass: a copy
            // from the cached input into a cache-sized scratch costs less than writing every
            // image's columns to memory and reading them back (14 MB at batch 64 for the default
            // network's second layer; README, "Convolution").
            float[] colBuf = path == WeightGradientPath.COLUMNS ? lowerGroup(x, g0, images, scratch) : null;
            int colOff = columnsOffset(g0);
            float[] dzg = dz;
            int dzOff = g0 * outChannels * plane;
            if (pool != null) { // δZ_group unpooled straight into the group layout
                dzg = scratch.out = ConvScratch.atLeast(scratch.out, outChannels * cols);
                unpoolImages(dz, dzg, g0, images, true, from);
                dzOff = 0;
            } else if (images > 1) { // δZ_group [cout, images·plane], the layout the columns have
                dzg = scratch.out = ConvScratch.atLeast(scratch.out, outChannels * cols);
                copyGroup(true, dz, dzOff, dzg, images, outChannels);
                dzOff = 0;
            }
            if (path != WeightGradientPath.DIRECT) {
                switch (path) {
                    case BATCH_TAPS -> { // the group's images channel-blocked, and its δZ, to their places in the whole batch's matrices
                        ImageTaps.toBlocked(images, cin, h * w, x, g0 * cin * h * w, taskBlocked, g0 * cin * h * w);
                        int pixels = taskBatch * plane;
                        for (int co = 0; co < outChannels; co++) {
                            System.arraycopy(dzg, dzOff + co * cols, taskBatchDz, co * pixels + g0 * plane, cols);
                        }
                    }
                    case CHUNK_TAPS -> { // δW (+)= δZ_group · taps : [cout, images·plane] × [images·plane, k²·cin], tap-major
                        float[] blocked = scratch.blocked = ConvScratch.atLeast(scratch.blocked, images * cin * h * w);
                        ImageTaps.toBlocked(images, cin, h * w, x, g0 * cin * h * w, blocked, 0);
                        ImageTaps taps = scratch.taps.set(blocked, 0, images, cin, h, w, kernel, stride, padding);
                        Gemm.gemm(outChannels, 1f, dzg, dzOff, cols, taps, g0 == from ? 0f : 1f, chunkDw, 0, colRows,
                                GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
                    }
                    default -> // δW (+)= δZ_group · cols_groupᵀ : [cout, images·plane] × [images·plane, K]
                            Gemm.gemm(false, true, outChannels, colRows, cols, 1f, dzg, dzOff, cols,
                                    colBuf, colOff, cols, g0 == from ? 0f : 1f, chunkDw, 0, colRows);
                }
                Bias.sumRowsInto(outChannels, cols, dzg, dzOff, chunkDb, 0);
                if (dx == null) continue;
            }
            if (isPointwise()) {
                Gemm.gemm(true, false, colRows, plane, outChannels, 1f, wt, 0, colRows,
                        dzg, dzOff, plane, 0f, dx, g0 * cin * h * w, plane);
            } else if (imageColumns) {
                // δx_group [cin, images·plane] = W' · cols(δZ_group): δZ_group is [cout, images·plane] (one image: its own block)
                ImageColumns dzCols = scratch.columns.set(dzg, dzOff, plane, cols, images, outChannels, oh, ow, kernel);
                int kk = outChannels * kernel * kernel;
                GemmWorkspace ws = GemmWorkspace.forCurrentThread();
                if (images == 1) {
                    Gemm.gemm(cin, 1f, flipped, 0, kk, dzCols, 0f, dx, g0 * cin * h * w, plane, GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
                } else {
                    float[] dxg = scratch.grad = ConvScratch.atLeast(scratch.grad, cin * cols);
                    Gemm.gemm(cin, 1f, flipped, 0, kk, dzCols, 0f, dxg, 0, cols, GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
                    copyGroup(false, dx, g0 * cin * h * w, dxg, images, cin);
                }
            } else {
                // δcols = Wᵀ · δZ_group : [K, cout] × [cout, images·plane], then each image folded back.
                float[] dcols = scratch.grad = ConvScratch.atLeast(scratch.grad, colRows * cols);
                Gemm.gemm(true, false, colRows, cols, outChannels, 1f, wt, 0, colRows,
                        dzg, dzOff, cols, 0f, dcols, 0, cols);
                for (int i = 0; i < images; i++) {
                    Im2Col.col2im(dcols, i * plane, cols, cin, h, w, kernel, kernel, stride, padding,
                            dx, (g0 + i) * cin * h * w);
                }
            }
        }
    }

    /** W'[c, (c', u, v)] = W[c', c, k−1−u, k−1−v] for all c, c', u, v. Writes flipped. */
    private void flipKernels(float[] w, float[] flipped) {
        int kk = kernel * kernel, rowLength = outChannels * kk;
        for (int co = 0; co < outChannels; co++) {
            for (int ci = 0; ci < cin; ci++) {
                int src = (co * cin + ci) * kk, dst = ci * rowLength + co * kk + kk - 1;
                for (int t = 0; t < kk; t++) flipped[dst - t] = w[src + t];
            }
        }
    }

    /**
     * The column matrix [K, images·plane] of images g0 .. g0 + images: x itself for a pointwise
     * convolution (group 1; at {@link #columnsOffset}), else lowered side by side into the
     * thread's scratch. Writes scratch.cols.
     */
    private float[] lowerGroup(float[] x, int g0, int images, ConvScratch scratch) {
        if (isPointwise()) return x;
        int cols = images * plane;
        float[] colBuf = scratch.cols = ConvScratch.atLeast(scratch.cols, colRows * cols);
        for (int i = 0; i < images; i++) {
            Im2Col.im2col(x, (g0 + i) * cin * h * w, cin, h, w, kernel, kernel, stride, padding, colBuf, i * plane, cols);
        }
        return colBuf;
    }

    /** Where {@link #lowerGroup}'s matrix for images from g0 starts. */
    private int columnsOffset(int g0) {
        return isPointwise() ? g0 * cin * h * w : 0;
    }

    private boolean isPointwise() {
        return kernel == 1 && stride == 1 && padding == 0;
    }

    private int ensureChunks(int batch) {
        int count = BatchChunks.count(batch);
        chunks.ensure(count);
        return count;
    }

    @Override
    GemmEpilogue epilogue(float[] bias, boolean relu) {
        return GemmEpilogue.rowBias(bias, 0, relu);
    }

    @Override
    int fanIn() {
        return colRows;
    }

    /** Input channels (known once built). */
    public int inChannels() {
        return cin;
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

    @Override
    public Conv2d copy() {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, !biasFree);
    }

    @Override
    public String spec() {
        return "conv2d in=" + (inChannels != 0 ? inChannels : cin) + " out=" + outChannels + " kernel=" + kernel
                + " stride=" + stride + " pad=" + padding + (biasFree ? " bias=false" : "");
    }

    @Override
    public String describe() {
        String in = inChannels == 0 ? (cin == 0 ? "?" : String.valueOf(cin)) : String.valueOf(inChannels);
        return "Conv2d(" + in + "→" + outChannels + ", " + kernel + "×" + kernel + ", stride " + stride
                + ", pad " + padding + (biasFree ? ", no bias" : "") + ")";
    }
}
