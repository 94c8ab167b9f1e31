package org.panamacnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.oracle.OracleGemm;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;

/**
 * C = A·B (row-major, fp32) for square and convolution-shaped products, on panama-cnn's GEMM,
 * on EJML and on the scalar oracle (double loops) in the same run. Shapes are M×K×N.
 * {@link GemmReport} turns the times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
    /** M×K×N: the square case, then conv2 forward, conv1 forward (im2col of a 3-channel 256×256 image), conv2 weight gradient, conv2 input gradient. */
    @Param({"1024x1024x1024", "64x288x12544", "16x27x65536", "64x12544x288", "288x64x12544"})
    public String shape;

    @Param({"panama", "ejml", "oracle"})
    public String impl;

    /** Threads for panama-cnn's GEMM (its blocks of C over the engine's executor); EJML and the oracle run on one. */
    @Param({"1"})
    public int threads;

    ParallelExecutor executor;

    int m, k, n;
    float[] a, b, c;
    double[] ad, bd, cd;
    FMatrixRMaj ea, eb, ec;
    GemmWorkspace workspace;

    @Setup(Level.Trial)
    public void setup() {
        String[] parts = shape.split("x");
        m = Integer.parseInt(parts[0]);
        k = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        SplittableRandom random = new SplittableRandom(7);
        a = random(m * k, random);
        b = random(k * n, random);
        c = new float[m * n];
        workspace = new GemmWorkspace();
        executor = new ParallelExecutor(impl.equals("panama") ? threads : 1);
        switch (impl) {
            case "ejml" -> {
                ea = new FMatrixRMaj(m, k, true, a);
                eb = new FMatrixRMaj(k, n, true, b);
                ec = new FMatrixRMaj(m, n);
            }
            case "oracle" -> {
                ad = toDouble(a);
                bd = toDouble(b);
                cd = new double[m * n];
            }
            case "panama" -> { }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public Object multiply() {
        switch (impl) {
            case "panama" -> {
                Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, GemmEpilogue.NONE, workspace, executor);
                return c;
            }
            case "ejml" -> {
                CommonOps_FDRM.mult(ea, eb, ec);
                return ec;
            }
            default -> {
                OracleGemm.gemm(false, false, m, n, k, 1.0, ad, k, bd, n, 0.0, cd, n);
                return cd;
            }
        }
    }

    /** Floating-point operations of one call: 2·M·K·N. */
    public static double flops(String shape) {
        String[] p = shape.split("x");
        return 2.0 * Double.parseDouble(p[0]) * Double.parseDouble(p[1]) * Double.parseDouble(p[2]);
    }

    static float[] random(int size, SplittableRandom random) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (random.nextDouble() * 2 - 1);
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
