package org.panamacnn.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Gemm;
import org.panamacnn.simd.GemmEpilogue;
import org.panamacnn.simd.GemmWorkspace;

/**
 * One GEMM shape in a plain loop: the median call's milliseconds and GFLOP/s after a warm-up.
 * For A/B experiments between JVM flags in alternating processes (a JVM per variant, since the
 * kernel's choices are fixed at class initialisation), where JMH's forks would take too long;
 * results for the README come from JMH (GemmBenchmark). Usage: GemmLoop MxKxN threads [calls].
 * {@code -Dgemm.cOffset=F -Dgemm.ldcPad=P} place C at float F of its array with rows of N + P
 * floats, to move the column tasks' borders against cache lines.
 */
public final class GemmLoop {
    public static void main(String[] args) {
        String[] parts = args[0].split("x");
        int m = Integer.parseInt(parts[0]), k = Integer.parseInt(parts[1]), n = Integer.parseInt(parts[2]);
        int cOff = Integer.getInteger("gemm.cOffset", 0), ldc = n + Integer.getInteger("gemm.ldcPad", 0);
        int threads = Integer.parseInt(args[1]), calls = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        SplittableRandom random = new SplittableRandom(7);
        float[] a = GemmBenchmark.random(m * k, random), b = GemmBenchmark.random(k * n, random), c = new float[cOff + m * ldc];
        GemmWorkspace ws = new GemmWorkspace();
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            long[] times = new long[calls];
            for (int i = -calls; i < calls; i++) {  // the first half warms up
                long t0 = System.nanoTime();
                Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, cOff, ldc, GemmEpilogue.NONE, ws, executor);
                if (i >= 0) times[i] = System.nanoTime() - t0;
            }
            Arrays.sort(times);
            double ms = times[calls / 2] / 1e6;
            System.out.printf("%s threads=%d median %.3f ms %.1f GFLOP/s (p10 %.3f, p90 %.3f)%n", args[0], threads, ms,
                    2.0 * m * n * k / (ms * 1e6), times[calls / 10] / 1e6, times[calls * 9 / 10] / 1e6);
        }
    }
}
