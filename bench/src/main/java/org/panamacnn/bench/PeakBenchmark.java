package org.panamacnn.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's FMA peak as the Vector API reaches it: 16 independent FMA chains on the
 * preferred species (enough to cover 4-cycle latency × 2 pipes × 2), nothing loaded or stored in
 * the loop. GFLOP/s = 2 · lanes · 16 · iterations / time; run with {@code -t 2} for both cores.
 * Every speed figure of the README is also given as a share of this.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class PeakBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int ITERATIONS = 1 << 16;
    /** FLOPs per invocation: 16 chains × lanes × 2 (multiply and add) × iterations. */
    public static final long FLOPS = 16L * F.length() * 2 * ITERATIONS;

    float a = 0.999f, b = 1e-6f;

    /** JMH's ops/s is FLOP/s per lane: times the lane count (16 on 512-bit vectors, 8 on 256) for FLOP/s. */
    @Benchmark
    @OperationsPerInvocation(16 * 2 * ITERATIONS)
    public float fmaChainsPerLane() {
        FloatVector x = FloatVector.broadcast(F, a), y = FloatVector.broadcast(F, b);
        FloatVector c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y;
        FloatVector c8 = y, c9 = y, c10 = y, c11 = y, c12 = y, c13 = y, c14 = y, c15 = y;
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(x, y); c1 = c1.fma(x, y); c2 = c2.fma(x, y); c3 = c3.fma(x, y);
            c4 = c4.fma(x, y); c5 = c5.fma(x, y); c6 = c6.fma(x, y); c7 = c7.fma(x, y);
            c8 = c8.fma(x, y); c9 = c9.fma(x, y); c10 = c10.fma(x, y); c11 = c11.fma(x, y);
            c12 = c12.fma(x, y); c13 = c13.fma(x, y); c14 = c14.fma(x, y); c15 = c15.fma(x, y);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return s.lane(0);
    }
}
