package org.panamacnn.nn;

import java.util.Arrays;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Bias;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Fully connected layer y = x·Wᵀ + b with W [out, in]. Backward: δW = δYᵀ·x, δb = Σ_batch δY,
 * δx = δY·W. The products are spread over the executor by GEMM's blocks of C (the batch is often
 * too small to split); the bias is added by the GEMM epilogue.
 */
public final class Dense extends GemmLayer {
    private final int inFeatures; // 0: inferred at build
    private final int outFeatures;
    private int in;
    private Shape inShape, outShape;
    private BatchBuffer output, inputGrad;
    private Tensor input;
    private ParallelExecutor executor;

    /** A dense layer whose input size is taken from the (flat) input shape. */
    public Dense(int outFeatures) {
        this(0, outFeatures);
    }

    /** A dense layer that requires inFeatures inputs. */
    public Dense(int inFeatures, int outFeatures) {
        if (inFeatures < 0 || outFeatures <= 0) {
            throw LayerSettings.outOfRange("Dense", "in", inFeatures, 0, "out", outFeatures, 1);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException(describe() + " expects a flat input [features] but got " + input
                    + " (put a Flatten before it)");
        }
        if (inFeatures != 0 && input.dim(0) != inFeatures) {
            throw new IllegalArgumentException(describe() + " expects input [" + inFeatures + "] but got " + input);
        }
        in = input.dim(0);
        inShape = input;
        outShape = Shape.of(outFeatures);
        this.executor = context.executor();
        createParams(context, Shape.of(outFeatures, in), outFeatures);
        output = new BatchBuffer(Shape.of(outFeatures));
        inputGrad = context.gradientBuffer(input);
        return Shape.of(outFeatures);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, weight);
        Shapes.requireBatchOf(this, inShape, x);
        int n = x.batch();
        Tensor y = output.get(n);
        Gemm.gemm(false, true, n, outFeatures, in, 1f, x.data(), 0, in, weight.value().data(), 0, in,
                0f, y.data(), 0, outFeatures, addBias, GemmWorkspace.forCurrentThread(), executor);
        input = training ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int n = Shapes.requireGradientFor(this, input == null ? -1 : input.batch(), outShape, gradOut);
        float[] dy = gradOut.data();
        Gemm.gemm(true, false, outFeatures, in, n, 1f, dy, 0, outFeatures, input.data(), 0, in,
                0f, weight.grad().data(), 0, in, GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), executor);
        Arrays.fill(bias.grad().data(), 0f);
        Bias.sumColumnsInto(n, outFeatures, dy, 0, bias.grad().data(), 0);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(n);
        Gemm.gemm(false, false, n, in, outFeatures, 1f, dy, 0, outFeatures, weight.value().data(), 0, in,
                0f, dx.data(), 0, in, GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), executor);
        return dx;
    }

    @Override
    GemmEpilogue epilogue(float[] bias, boolean relu) {
        return GemmEpilogue.columnBias(bias, 0, relu);
    }

    @Override
    int fanIn() {
        return in;
    }

    /** Input features (known once built). */
    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Dense copy() {
        return new Dense(inFeatures, outFeatures);
    }

    @Override
    public String spec() {
        return "dense in=" + (inFeatures != 0 ? inFeatures : in) + " out=" + outFeatures;
    }

    @Override
    public String describe() {
        String i = inFeatures != 0 ? String.valueOf(inFeatures) : in != 0 ? String.valueOf(in) : "?";
        return "Dense(" + i + "→" + outFeatures + ")";
    }
}
