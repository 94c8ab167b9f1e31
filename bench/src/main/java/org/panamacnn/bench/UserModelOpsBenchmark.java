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
import org.panamacnn.simd.NhwcWindowPool;
import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.Quotient;
import org.panamacnn.simd.SmoothPointwise;
import org.panamacnn.simd.WindowPool;

/**
 * The kernels of the operators users' own PyTorch models bring (one thread, one image of 64×112×112,
 * a ResNet-18 stem's size at 224×224): tanh and GELU (exact and tanh-approximate) forward and
 * backward; the max-pool in ceil mode and the padded average pool (3×3, stride 2, pad 1, ceil mode,
 * count_include_pad false) forward and backward on NCHW (training) and the average on NHWC
 * (inference); the division by a per-channel constant.
 * {@code scripts/jmh UserModelOpsBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class UserModelOpsBenchmark {
    private static final int C = 64, H = 112, W = 112;

    @Param({"TANH", "GELU", "GELU_TANH"})
    public String activation;

    SmoothPointwise.Kind kind;
    float[] x, y, dy, dx, pooled, nhwcIn, nhwcOut;
    int[] argmax;
    int oh, ow;
    PixelMap inMap, outMap;

    @Setup
    public void setup() {
        kind = SmoothPointwise.Kind.valueOf(activation);
        SplittableRandom random = new SplittableRandom(7);
        x = GemmBenchmark.random(C * H * W, random);
        y = new float[x.length];
        dy = GemmBenchmark.random(x.length, random);
        dx = new float[x.length];
        oh = WindowPool.outSize(H, 3, 2, 1, true);
        ow = WindowPool.outSize(W, 3, 2, 1, true);
        pooled = GemmBenchmark.random(C * oh * ow, random);
        argmax = new int[pooled.length];
        inMap = PixelMap.nhwc(H, W, 0, C);
        outMap = PixelMap.nhwc(oh, ow, 0, C);
        nhwcIn = GemmBenchmark.random(inMap.perImage(), random);
        nhwcOut = new float[outMap.perImage()];
    }

    @Benchmark
    public float[] activationForward() {
        SmoothPointwise.forward(kind, x.length, x, 0, y, 0);
        return y;
    }

    @Benchmark
    public float[] activationBackward() {
        SmoothPointwise.backward(kind, x.length, dy, 0, x, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public float[] ceilMaxPoolForward() {
        WindowPool.maxForward(C, H, W, 3, 2, 1, oh, ow, x, 0, pooled, 0, argmax, 0);
        return pooled;
    }

    @Benchmark
    public float[] ceilMaxPoolBackward() {
        WindowPool.maxBackward(C, H, W, oh, ow, pooled, 0, argmax, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public float[] paddedAveragePoolForward() {
        WindowPool.averageForward(C, H, W, 3, 2, 1, false, oh, ow, x, 0, pooled, 0);
        return pooled;
    }

    @Benchmark
    public float[] paddedAveragePoolBackward() {
        WindowPool.averageBackward(C, H, W, 3, 2, 1, false, oh, ow, pooled, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public float[] paddedAveragePoolNhwc() {
        NhwcWindowPool.average(nhwcIn, inMap, H, W, 3, 2, 1, false, nhwcOut, outMap, 0, oh, ow, C);
        return nhwcOut;
    }

    @Benchmark
    public float[] divideByChannelConstant() {
        for (int c = 0; c < C; c++) Quotient.divide(H * W, 0.229f + c, x, c * H * W, y, c * H * W);
        return y;
    }
}
