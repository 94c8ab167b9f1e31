package org.panamacnn.nn;

import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Resize;
import org.panamacnn.simd.ResizeAxis;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * PyTorch's nn.Upsample / F.interpolate by integer scale factors: {@code mode='nearest'} (each
 * pixel repeated s_h×s_w times) or {@code mode='bilinear'} with align_corners False (half-pixel
 * centres) or True (corners aligned) — see {@link ResizeAxis} for the source coordinates. Backward:
 * nearest sums δy over each source pixel's copies, bilinear spreads δy over the four sources with
 * the forward's weights ({@link Resize}). No parameters. Split over batch chunks.
 */
public final class Upsample2d implements Layer {
    /** Largest scale factor accepted (a spec or file cannot ask for a huge buffer). */
    public static final int MAX_SCALE = 64;

    /** How output pixels are computed from the input's. */
    public enum Mode {
        NEAREST, BILINEAR
    }

    private final int scaleH, scaleW;
    private final Mode mode;
    private final boolean alignCorners;
    private ResizeAxis rows, cols;
    private Shape inShape, outShape;
    private int c;
    private ParallelExecutor executor;
    private BatchBuffer output, inputGrad;
    private int trainedBatch = -1;
    private final IntConsumer forwardTask = this::forwardChunk, backwardTask = this::backwardChunk;
    private float[] taskIn, taskOut;
    private int taskBatch, taskCount;

    public Upsample2d(int scaleH, int scaleW, Mode mode, boolean alignCorners) {
        if (scaleH < 1 || scaleW < 1 || scaleH > MAX_SCALE || scaleW > MAX_SCALE) {
            throw new IllegalArgumentException("Upsample2d: scale " + scaleH + "×" + scaleW + " must be whole numbers in 1.." + MAX_SCALE);
        }
        if (mode == Mode.NEAREST && alignCorners) {
            throw new IllegalArgumentException("Upsample2d: align_corners applies to bilinear mode only (PyTorch refuses it for nearest)");
        }
        this.scaleH = scaleH;
        this.scaleW = scaleW;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    public static Upsample2d nearest(int scale) {
        return new Upsample2d(scale, scale, Mode.NEAREST, false);
    }

    public static Upsample2d bilinear(int scale, boolean alignCorners) {
        return new Upsample2d(scale, scale, Mode.BILINEAR, alignCorners);
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        Shapes.requireImage(this, input);
        c = input.dim(0);
        int h = input.dim(1), w = input.dim(2);
        try {
            rows = axis(h, Math.multiplyExact(h, scaleH));
            cols = axis(w, Math.multiplyExact(w, scaleW));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(describe() + " on input " + input + ": " + e.getMessage(), e);
        }
        inShape = input;
        executor = context.executor();
        outShape = Shape.of(c, rows.out(), cols.out());
        output = new BatchBuffer(outShape);
        inputGrad = context.gradientBuffer(input);
        return outShape;
    }

    private ResizeAxis axis(int in, int out) {
        return mode == Mode.NEAREST ? ResizeAxis.nearest(in, out) : ResizeAxis.linear(in, out, alignCorners);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        int batch = x.batch();
        Tensor y = output.get(batch);
        setTask(batch, x.data(), y.data());
        executor.forEach(taskCount, forwardTask);
        trainedBatch = training ? batch : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, trainedBatch, outShape, gradOut);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(batch);
        setTask(batch, dx.data(), gradOut.data());
        executor.forEach(taskCount, backwardTask);
        return dx;
    }

    private void setTask(int batch, float[] in, float[] out) {
        taskBatch = batch;
        taskCount = BatchChunks.count(batch);
        taskIn = in;
        taskOut = out;
    }

    private void forwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        Resize.forward(planes, rows, cols, taskIn, from * inShape.size(), taskOut, from * outShape.size());
    }

    private void backwardChunk(int k) {
        int from = BatchChunks.start(k, taskCount, taskBatch), planes = (BatchChunks.start(k + 1, taskCount, taskBatch) - from) * c;
        Resize.backward(planes, rows, cols, taskOut, from * outShape.size(), taskIn, from * inShape.size());
    }

    /** The row and column source tables (known once built). */
    public ResizeAxis rows() {
        return rows;
    }

    public ResizeAxis columns() {
        return cols;
    }

    public int scaleHeight() {
        return scaleH;
    }

    public int scaleWidth() {
        return scaleW;
    }

    public Mode mode() {
        return mode;
    }

    public boolean alignCorners() {
        return alignCorners;
    }

    @Override
    public Upsample2d copy() {
        return new Upsample2d(scaleH, scaleW, mode, alignCorners);
    }

    @Override
    public String spec() {
        return "upsample scale=" + scaleH + (scaleW != scaleH ? "," + scaleW : "") + (mode == Mode.BILINEAR ? " mode=bilinear" : "")
                + (alignCorners ? " align_corners=true" : "");
    }

    @Override
    public String describe() {
        return "Upsample2d(×" + scaleH + (scaleW != scaleH ? "×" + scaleW : "") + ", " + (mode == Mode.NEAREST ? "nearest" : "bilinear")
                + (alignCorners ? ", align corners" : "") + ")";
    }
}
