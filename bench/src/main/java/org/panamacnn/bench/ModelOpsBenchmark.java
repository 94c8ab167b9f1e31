package org.panamacnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import java.util.List;
import org.panamacnn.nn.Multiply;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.GroupedConv;
import org.panamacnn.simd.MaxPool;
import org.panamacnn.simd.NhwcDepthwiseConv;
import org.panamacnn.simd.NhwcPool;
import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.Pointwise;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The kernels torchvision's models brought (one thread, one image of MobileNetV2 / ResNet-18 size at
 * 224×224): the depthwise 3×3 convolution (32 channels on 112×112, stride 1, pad 1) forward, weight
 * and input gradient (NCHW, training) and forward on NHWC with a fused ReLU6 (inference); ResNet's
 * padded stem max-pool (3×3, stride 2, pad 1 on 64×112×112) forward and backward, and on NHWC; the
 * element-wise activations forward and backward on 32×112×112; the mul merge (EfficientNet's and
 * MobileNetV3's squeeze-and-excitation scale, [32, 1, 1] times 32×112×112, and SiLU's x·sigmoid(x))
 * forward and backward, as training runs it.
 * {@code scripts/jmh ModelOpsBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class ModelOpsBenchmark {
    private static final int C = 32, H = 112, W = 112, POOL_C = 64;

    @Param({"CLIP", "HARDSWISH", "SIGMOID", "SILU"})
    public String activation;

    Pointwise.Kind kind;
    GroupedConv.Shape depthwise;
    float[] x, wt, bias, z, dz, dw, dx, pooled, poolIn, poolDx, nhwcIn, nhwcOut, nhwcWeights, nhwcBias, nhwcPoolIn;
    int[] argmax;
    PixelMap windows, outMap, poolInMap, poolOutMap;
    int poolOh, poolOw;
    Multiply scale, product;
    Tensor[] scaleIn, productIn, grads = new Tensor[2];
    Tensor planeGrad;

    @Setup
    public void setup() {
        kind = Pointwise.Kind.valueOf(activation);
        SplittableRandom random = new SplittableRandom(5);
        depthwise = GroupedConv.Shape.of(C, H, W, C, C, 3, 1, 1);
        x = GemmBenchmark.random(C * H * W, random);
        wt = GemmBenchmark.random(depthwise.weightSize(), random);
        bias = GemmBenchmark.random(C, random);
        z = new float[C * H * W];
        dz = GemmBenchmark.random(C * H * W, random);
        dw = new float[depthwise.weightSize()];
        dx = new float[C * H * W];
        poolOh = MaxPool.outSize(H, 3, 2, 1);
        poolOw = MaxPool.outSize(W, 3, 2, 1);
        poolIn = GemmBenchmark.random(POOL_C * H * W, random);
        pooled = new float[POOL_C * poolOh * poolOw];
        argmax = new int[pooled.length];
        poolDx = new float[poolIn.length];
        PixelMap in = PixelMap.nhwc(H, W, 1, C);
        nhwcIn = GemmBenchmark.random(in.perImage(), random);
        outMap = PixelMap.nhwc(H, W, 0, C);
        nhwcOut = new float[outMap.perImage()];
        windows = new PixelMap(in.perImage(), in.perRow(), C, in.at(0, -1, -1));
        nhwcWeights = GemmBenchmark.random(9 * C, random);
        nhwcBias = GemmBenchmark.random(C, random);
        poolInMap = PixelMap.nhwc(H, W, 0, POOL_C);
        poolOutMap = PixelMap.nhwc(poolOh, poolOw, 0, POOL_C);
        nhwcPoolIn = GemmBenchmark.random(poolInMap.perImage(), random);
        Shape image = Shape.of(C, H, W), gate = Shape.of(C, 1, 1);
        scale = new Multiply();
        scale.build(List.of(image, gate), ParallelExecutor.SEQUENTIAL);
        product = new Multiply();
        product.build(List.of(image, image), ParallelExecutor.SEQUENTIAL);
        Tensor xt = new Tensor(image.withBatch(1), x), zt = new Tensor(image.withBatch(1), dz);
        scaleIn = new Tensor[] {xt, new Tensor(gate.withBatch(1), GemmBenchmark.random(C, random))};
        productIn = new Tensor[] {xt, zt};
        planeGrad = new Tensor(image.withBatch(1), GemmBenchmark.random(C * H * W, random));
    }

    @Benchmark
    public Tensor scaleByChannelForward() {
        return scale.forward(scaleIn);
    }

    @Benchmark
    public Tensor[] scaleByChannelBackward() {
        scale.forward(scaleIn);
        scale.backward(planeGrad, grads);
        return grads;
    }

    @Benchmark
    public Tensor productForward() {
        return product.forward(productIn);
    }

    @Benchmark
    public float[] depthwiseForward() {
        GroupedConv.forward(depthwise, x, 0, wt, 0, bias, z, 0);
        return z;
    }

    @Benchmark
    public float[] depthwiseWeightGradient() {
        java.util.Arrays.fill(dw, 0f);
        GroupedConv.accumulateWeightGradient(depthwise, x, 0, dz, 0, dw, 0);
        return dw;
    }

    @Benchmark
    public float[] depthwiseInputGradient() {
        GroupedConv.inputGradient(depthwise, dz, 0, wt, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public float[] depthwiseNhwcRelu6() {
        NhwcDepthwiseConv.convolve(nhwcIn, windows, windows.perRow(), C, 3, nhwcWeights, nhwcBias, 0f, 6f, nhwcOut, outMap, 0, 0, H, W, C);
        return nhwcOut;
    }

    @Benchmark
    public float[] paddedMaxPoolForward() {
        MaxPool.forward(POOL_C, H, W, 3, 2, 1, poolIn, 0, pooled, 0, argmax, 0, 0);
        return pooled;
    }

    @Benchmark
    public float[] paddedMaxPoolBackward() {
        MaxPool.backward(POOL_C, H, W, 3, 2, 1, pooled, 0, argmax, 0, poolDx, 0);
        return poolDx;
    }

    @Benchmark
    public float[] paddedMaxPoolNhwc() {
        NhwcPool.maxPadded(nhwcPoolIn, poolInMap, H, W, 3, 2, 1, pooled, poolOutMap, 0, poolOh, poolOw, POOL_C);
        return pooled;
    }

    @Benchmark
    public float[] activationForward() {
        Pointwise.forward(kind, 0f, 6f, z.length, x, 0, z, 0);
        return z;
    }

    @Benchmark
    public float[] activationBackward() {
        Pointwise.backward(kind, 0f, 6f, dx.length, dz, 0, x, 0, dx, 0);
        return dx;
    }
}
