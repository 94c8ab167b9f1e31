package org.panamacnn.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * on the system's OpenBLAS (called through the FFM API; Debian's libopenblas0-pthread), on EJML
 * and on the scalar oracle (double loops) in the same run. Shapes are M×K×N.
 * {@link GemmReport} turns the times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Native access only here, not in jvm.config: the engine and its tests stay free of native code.
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    /** M×K×N: the square case, then conv2 forward, conv1 forward (im2col of a 3-channel 256×256 image), conv2 weight gradient, conv2 input gradient. */
    @Param({"1024x1024x1024", "64x288x12544", "16x27x65536", "64x12544x288", "288x64x12544"})
    public String shape;

    @Param({"panama", "openblas", "ejml", "oracle"})
    public String impl;

    /** Threads for panama-cnn's GEMM (its blocks of C over the engine's executor) and for OpenBLAS; EJML and the oracle run on one. */
    @Param({"1"})
    public int threads;

    ParallelExecutor executor;

    int m, k, n;
    float[] a, b, c;
    double[] ad, bd, cd;
    FMatrixRMaj ea, eb, ec;
    GemmWorkspace workspace;
    OpenBlas blas;
    MemorySegment sa, sb, sc;

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
            case "openblas" -> {
                blas = OpenBlas.bind();
                blas.setNumThreads(threads);
                // Heap segments over the float[]s (the critical downcall allows them): no copy per call.
                sa = MemorySegment.ofArray(a);
                sb = MemorySegment.ofArray(b);
                sc = MemorySegment.ofArray(c);
                checkOpenBlas();
                System.out.printf("%nOpenBLAS: %s, %d thread(s)%n", blas.config(), blas.numThreads());
            }
            case "panama" -> { }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    /**
     * Fails the trial unless OpenBLAS's C agrees with panama-cnn's on a few entries, so that a
     * wrongly bound call (argument order, layout) can never report a fast, wrong figure.
     */
    private void checkOpenBlas() {
        float[] expected = new float[m * n];
        Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n, GemmEpilogue.NONE, workspace, executor);
        Arrays.fill(c, Float.NaN); // a call that writes nothing fails too
        openBlasMultiply();
        SplittableRandom random = new SplittableRandom(11);
        int[][] entries = {{0, 0}, {0, n - 1}, {m - 1, 0}, {m - 1, n - 1},
            {random.nextInt(m), random.nextInt(n)}, {random.nextInt(m), random.nextInt(n)}, {random.nextInt(m), random.nextInt(n)}};
        for (int[] e : entries) {
            int i = e[0], j = e[1];
            // Relative to Σ|a·b| rather than |c|: a random entry can cancel to almost 0.
            double scale = 0;
            for (int p = 0; p < k; p++) scale += Math.abs(a[i * k + p] * b[p * n + j]);
            float got = c[i * n + j], want = expected[i * n + j];
            if (!(Math.abs(got - want) <= 1e-3 * scale)) {
                throw new IllegalStateException("OpenBLAS cblas_sgemm disagrees with panama-cnn's Gemm at C[" + i + "][" + j
                        + "] of " + shape + ": " + got + " vs " + want + " (is the binding right?)");
            }
        }
    }

    private void openBlasMultiply() {
        blas.sgemm(m, n, k, sa, sb, sc);
    }

    @Benchmark
    public Object multiply() {
        switch (impl) {
            case "panama" -> {
                Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, GemmEpilogue.NONE, workspace, executor);
                return c;
            }
            case "openblas" -> {
                openBlasMultiply();
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

    /**
     * The system's OpenBLAS through the FFM API: {@code cblas_sgemm} and its thread-count calls.
     * Bound in setup and kept in a field rather than a static constant, so that a missing library
     * fails only impl=openblas's setup; a non-constant handle costs nanoseconds per call of milliseconds.
     */
    @SuppressWarnings("restricted") // calling native code is the point; @Fork enables native access
    record OpenBlas(MethodHandle sgemmHandle, MethodHandle setNumThreadsHandle, MethodHandle getNumThreadsHandle, MethodHandle getConfigHandle) {
        // cblas.h: enum CBLAS_ORDER CblasRowMajor, enum CBLAS_TRANSPOSE CblasNoTrans.
        private static final int ROW_MAJOR = 101, NO_TRANS = 111;
        /** Debian's name (ld.so's search path), then its usual place. */
        private static final List<String> NAMES = List.of("libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0");

        static OpenBlas bind() {
            SymbolLookup lib = null;
            List<String> failures = new ArrayList<>();
            for (String name : NAMES) {
                try {
                    lib = SymbolLookup.libraryLookup(name, Arena.global());
                    break;
                } catch (IllegalArgumentException e) {
                    failures.add(e.getMessage());
                }
            }
            if (lib == null) {
                throw new IllegalStateException("OpenBLAS not found (" + String.join("; ", failures)
                        + "): install it with 'apt-get install libopenblas0-pthread'");
            }
            Linker linker = Linker.nativeLinker();
            // void cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); blasint is int (LP64 build).
            // critical(true): heap segments allowed, so the float[]s are passed in place instead of copied
            // per call; the thread stays in Java state, so GC waits for the call to end (fine for a benchmark).
            MethodHandle sgemm = linker.downcallHandle(find(lib, "cblas_sgemm"),
                    FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                            JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), Linker.Option.critical(true));
            return new OpenBlas(sgemm,
                    linker.downcallHandle(find(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_INT)),
                    linker.downcallHandle(find(lib, "openblas_get_num_threads"), FunctionDescriptor.of(JAVA_INT)),
                    linker.downcallHandle(find(lib, "openblas_get_config"), FunctionDescriptor.of(ADDRESS)));
        }

        private static MemorySegment find(SymbolLookup lib, String symbol) {
            return lib.find(symbol).orElseThrow(() -> new IllegalStateException(
                    "the library loaded as OpenBLAS has no " + symbol + ": install 'libopenblas0-pthread'"));
        }

        /** C = A·B, row-major, no transposes, alpha 1, beta 0; the segments may be heap segments. */
        void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
            try {
                sgemmHandle.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, a, k, b, n, 0f, c, n);
            } catch (Throwable t) {
                throw new IllegalStateException("cblas_sgemm failed", t);
            }
        }

        void setNumThreads(int threads) {
            try {
                setNumThreadsHandle.invokeExact(threads);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            // OpenBLAS caps the count at its build's MAX_THREADS: a silent cap would mislabel the figures.
            if (numThreads() != threads) {
                throw new IllegalStateException("OpenBLAS runs " + numThreads() + " threads, asked for " + threads);
            }
        }

        int numThreads() {
            try {
                return (int) getNumThreadsHandle.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The build line, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64". */
        String config() {
            try {
                return ((MemorySegment) getConfigHandle.invokeExact()).reinterpret(Long.MAX_VALUE).getString(0);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
