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
import org.panamacnn.simd.AdaptivePool;
import org.panamacnn.simd.NhwcAdaptivePool;
import org.panamacnn.simd.PixelMap;

/**
 * VGG's AdaptiveAvgPool2d((7, 7)) on its 512-channel map, one image, one thread: forward and
 * backward on NCHW (training) and the forward on NHWC (inference), on the map of a 256×256 image
 * (8×8: overlapping 2×2 windows), of a 448×448 one (14×14: 2×2 windows side by side) and of a 32×32
 * one (1×1: every output the one cell).
 * {@code scripts/jmh AdaptivePoolBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class AdaptivePoolBenchmark {
    private static final int C = 512, OUT = 7;

    /** The input map's side. */
    @Param({"8", "14", "1"})
    public int size;

    float[] x, y, dy, dx, nhwcIn, nhwcOut;
    PixelMap inMap, outMap;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(11);
        x = GemmBenchmark.random(C * size * size, random);
        dx = new float[x.length];
        y = new float[C * OUT * OUT];
        dy = GemmBenchmark.random(y.length, random);
        inMap = PixelMap.nhwc(size, size, 0, C);
        outMap = PixelMap.nhwc(OUT, OUT, 0, C);
        nhwcIn = GemmBenchmark.random(inMap.perImage(), random);
        nhwcOut = new float[outMap.perImage()];
    }

    @Benchmark
    public float[] forward() {
        AdaptivePool.averageForward(C, size, size, OUT, OUT, x, 0, y, 0);
        return y;
    }

    @Benchmark
    public float[] backward() {
        AdaptivePool.averageBackward(C, size, size, OUT, OUT, dy, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public float[] nhwcForward() {
        NhwcAdaptivePool.average(nhwcIn, inMap, size, size, nhwcOut, outMap, 0, OUT, OUT, C);
        return nhwcOut;
    }
}
