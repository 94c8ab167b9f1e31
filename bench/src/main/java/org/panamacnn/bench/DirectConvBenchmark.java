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
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.ConvWeightGradient;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;
import org.panamacnn.simd.Im2Col;
import org.panamacnn.simd.TaskRunner;

/**
 * Few-input-channel convolutions (3×3, pad 1, batch 64, one thread): the direct weight gradient
 * ({@link ConvWeightGradient}) against im2col + GEMM as Conv2d runs it (two images side by side per
 * GEMM), and the im2col + GEMM forward pass as Conv2d runs it (bias and ReLU in the epilogue, each
 * image's block copied to its place). A direct forward kernel, which Conv2d never used (it won
 * only one case, narrowly: docs/results/2026-12-zen5.md), was removed. channels=1: the default network's first layer (1→32 on 28×28);
 * channels=3: an RGB first layer (3→16 on 32×32). The result decides which one Conv2d uses.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class DirectConvBenchmark {
    private static final int BATCH = 64, GROUP = 2, CHUNK = 8;

    @Param({"1", "3"})
    public int channels;

    int cin, h, w, cout, taps, plane;
    float[] x, weight, bias, z, dz, dw, dwChunk, cols, zGroup, gradWork;
    GemmEpilogue epilogue;

    @Setup
    public void setup() {
        cin = channels;
        h = w = channels == 1 ? 28 : 32;
        cout = channels == 1 ? 32 : 16;
        taps = cin * 9;
        plane = h * w;
        SplittableRandom random = new SplittableRandom(3);
        x = GemmBenchmark.random(BATCH * cin * plane, random);
        weight = GemmBenchmark.random(cout * taps, random);
        bias = GemmBenchmark.random(cout, random);
        dz = GemmBenchmark.random(BATCH * cout * plane, random);
        z = new float[BATCH * cout * plane];
        dw = new float[cout * taps];
        cols = new float[BATCH * taps * plane];
        zGroup = new float[GROUP * cout * plane];
        dwChunk = new float[cout * taps];
        gradWork = new float[ConvWeightGradient.workLength(CHUNK, cin, h, w, 3, 1)];
        epilogue = GemmEpilogue.rowBias(bias, 0, true);
    }

    private void lower() {
        for (int g = 0; g < BATCH; g += GROUP) {
            for (int i = 0; i < GROUP; i++) {
                Im2Col.im2col(x, (g + i) * cin * plane, cin, h, w, 3, 3, 1, 1, cols, g * taps * plane + i * plane, GROUP * plane);
            }
        }
    }

    @Benchmark
    public float[] forwardIm2colGemm() {
        int ld = GROUP * plane;
        lower();
        for (int g = 0; g < BATCH; g += GROUP) {
            Gemm.gemm(false, false, cout, ld, taps, 1f, weight, 0, taps, cols, g * taps * plane, ld, 0f, zGroup, 0, ld,
                    epilogue, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
            for (int i = 0; i < GROUP; i++) {
                for (int co = 0; co < cout; co++) {
                    System.arraycopy(zGroup, co * ld + i * plane, z, ((g + i) * cout + co) * plane, plane);
                }
            }
        }
        return z;
    }

    /** As Conv2d runs it: one call per chunk of {@link #CHUNK} images, the chunks' gradients added in order. */
    @Benchmark
    public float[] weightGradientDirect() {
        for (int c = 0; c < BATCH; c += CHUNK) {
            ConvWeightGradient.compute(CHUNK, x, c * cin * plane, cin, h, w, 3, 1, dz, c * cout * plane, cout,
                    c == 0 ? dw : dwChunk, 0, gradWork);
            if (c > 0) Blas1.add(dw.length, dwChunk, 0, dw, 0);
        }
        return dw;
    }

    /** As Conv2d ran it: each group lowered to columns again, δZ copied to the group's layout, δZ·colsᵀ. */
    @Benchmark
    public float[] weightGradientGemm() {
        int ld = GROUP * plane;
        lower();
        for (int g = 0; g < BATCH; g += GROUP) {
            for (int i = 0; i < GROUP; i++) {
                for (int co = 0; co < cout; co++) {
                    System.arraycopy(dz, ((g + i) * cout + co) * plane, zGroup, co * ld + i * plane, plane);
                }
            }
            Gemm.gemm(false, true, cout, taps, ld, 1f, zGroup, 0, ld, cols, g * taps * plane, ld, g == 0 ? 0f : 1f, dw, 0, taps);
        }
        return dw;
    }
}
