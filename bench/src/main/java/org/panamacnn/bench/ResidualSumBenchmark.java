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
import org.panamacnn.simd.Relu;

/**
 * The passes of a residual block's sum on one thread, over a batch-64 activation of a ResNet
 * stage ({@code floats} = 64·32·28·28, or 64·128·7·7): y = max(main + shortcut, 0) in one pass
 * ({@link Relu#forwardOfSum}) against the copy, add and ReLU it replaces; backward's mask and the
 * sum of the two paths' gradients ({@link Blas1#addInto}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class ResidualSumBenchmark {
    @Param({"1605632", "401408"})
    public int floats;

    float[] a, b, y, dy, dx;
    boolean[] mask;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        a = GemmBenchmark.random(floats, r);
        b = GemmBenchmark.random(floats, r);
        dy = GemmBenchmark.random(floats, r);
        y = new float[floats];
        dx = new float[floats];
        mask = new boolean[floats];
    }

    @Benchmark
    public float[] sumAndReluInOnePass() {
        Relu.forwardOfSum(floats, a, 0, b, 0, y, 0);
        return y;
    }

    /** What the block and a separate ReLU layer did before: copy, add in place, then ReLU recording its mask. */
    @Benchmark
    public float[] copyAddThenRelu() {
        System.arraycopy(a, 0, y, 0, floats);
        Blas1.add(floats, b, 0, y, 0);
        Relu.forward(floats, y, 0, y, 0, mask, 0);
        return y;
    }

    @Benchmark
    public float[] maskFromOutput() {
        Relu.backwardFromOutput(floats, dy, 0, a, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public float[] addInto() {
        Blas1.addInto(floats, a, 0, b, 0, dx, 0);
        return dx;
    }
}
