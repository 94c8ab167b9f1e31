package org.panamacnn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.tensor.Shape;

/**
 * What a convolution and a dense layer share: a weight and a bias, He initialisation, and a
 * GEMM epilogue that adds the bias — and applies a ReLU fused into the layer.
 */
public abstract class GemmLayer implements Layer, ReluFusable {
    Param weight, bias;
    /** Adds the bias (and, once fused, applies ReLU) on GEMM's store of the output. */
    GemmEpilogue addBias;
    private boolean relu;
    /** A bias-free layer (PyTorch's bias=False): the bias stays zero and is not a parameter. */
    boolean biasFree;

    /** Takes (or, for a new model, creates) the parameters at build time. */
    final void createParams(BuildContext context, Shape weightShape, int biasSize) {
        weight = context.param("weight", weightShape);
        bias = biasFree ? context.zeros("bias", Shape.of(biasSize)) : context.param("bias", Shape.of(biasSize));
        addBias = epilogue(bias.value().data(), relu);
    }

    /** The epilogue that adds this bias (per output channel or per output feature). */
    abstract GemmEpilogue epilogue(float[] bias, boolean relu);

    /** Inputs feeding one output: He's N(0, 2 / fanIn). */
    abstract int fanIn();

    @Override
    public void initialize(SplittableRandom random) {
        Init.heNormal(weight.value().data(), weight.size(), fanIn(), random);
        Arrays.fill(bias.value().data(), 0f);
    }

    @Override
    public void fuseRelu() {
        relu = true;
        if (bias != null) addBias = epilogue(bias.value().data(), true);
    }

    @Override
    public List<Param> params() {
        return biasFree ? List.of(weight) : List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }
}
